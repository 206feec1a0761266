package dev.engines.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for the running service: real requests, real headers, parsed JSON answers.
 */
public final class TestApi {

  /** The operator token whose SHA-256 is configured in application-test.yml. */
  public static final String OPERATOR_TOKEN = "eop_test_operator_token_for_integration_tests";

  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final int port;

  public TestApi(int port) {
    this.port = port;
  }

  public int port() {
    return port;
  }

  public Call get(String path) {
    return new Call("GET", path);
  }

  public Call post(String path) {
    return new Call("POST", path);
  }

  public Call put(String path) {
    return new Call("PUT", path);
  }

  public Call patch(String path) {
    return new Call("PATCH", path);
  }

  public Call delete(String path) {
    return new Call("DELETE", path);
  }

  public Call call(String method, String path) {
    return new Call(method, path);
  }

  /** One request being built. */
  public final class Call {
    private final String method;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private String contentType = "application/json";

    Call(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Call bearer(String token) {
      return token == null ? this : header("Authorization", "Bearer " + token);
    }

    public Call operator() {
      return bearer(OPERATOR_TOKEN);
    }

    public Call scope(String tenant, String env) {
      if (tenant != null) {
        header("X-Tenant-Id", tenant);
      }
      if (env != null) {
        header("X-Env", env);
      }
      return this;
    }

    /** Tenant, env and bearer in one go. */
    public Call as(TestTenants.Member member, String env) {
      return scope(member.tenantId(), env).bearer(member.token());
    }

    public Call header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Call json(Object value) {
      this.body = value instanceof String s ? s : JSON.writeValueAsString(value);
      return this;
    }

    public Call body(String raw, String type) {
      this.body = raw;
      this.contentType = type;
      return this;
    }

    public Response send() {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        builder.header("Content-Type", contentType);
      }
      headers.forEach(builder::header);
      try {
        HttpResponse<String> response =
            CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers().map());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A response with its body parsed lazily. */
  public record Response(int status, String body, Map<String, java.util.List<String>> headers) {

    public JsonNode json() {
      return body == null || body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
    }

    public String text(String field) {
      JsonNode node = json().get(field);
      return node == null || node.isNull() ? null : node.asString();
    }

    public String code() {
      return text("code");
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
