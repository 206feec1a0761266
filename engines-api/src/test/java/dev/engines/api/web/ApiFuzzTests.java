package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.RawHttp;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes the whole application through its real HTTP server and filter chain: every operation of
 * the OpenAPI document, with its documented example body ({@code openapi/request-examples.json})
 * mutated field by field or replaced, fuzzed scoping headers ({@code Authorization}, {@code
 * X-Tenant-Id}, {@code X-Env}, {@code X-User-Id}, {@code X-Request-Id}, {@code traceparent}, {@code
 * Idempotency-Key}, {@code If-Match}), fuzzed path ids and the operation's query parameters.
 * Property for every answer: never a 5xx (but the documented ones: a 503 availability problem,
 * which a loaded machine may answer, and 501 {@code presign_unsupported} on the filesystem
 * backend), every 4xx is {@code application/problem+json} with a {@code code}, and nothing of the
 * second tenant (its canary text, its owner's e-mail) ever reaches the first tenant's caller.
 *
 * <p>Real HTTP to the suite's shared server rather than MockMvc: the context is the one every other
 * {@code *IntegrationTests} class already started (no second context in {@code verify}), and the
 * request passes Tomcat's parsing and error pages as well as the filters — errors from Tomcat are
 * part of the property. See docs/reliability.md.
 */
class ApiFuzzTests extends IntegrationTest {

  /**
   * The documented 5xx answers, by status: availability problems a loaded machine may answer, and
   * presigning on the filesystem backend, which cannot offer it. Anything else at 5xx is a finding.
   */
  private static final Map<Integer, Set<String>> DOCUMENTED_5XX =
      Map.of(
          503,
          Set.of("pii_unavailable", "storage_unavailable", "database_unavailable"),
          501,
          Set.of("presign_unsupported"));

  private static Fixture fixture;

  /** Two tenants: the caller's (a) and the one whose data must never show (b). */
  private record Fixture(
      Member a,
      Member b,
      String canary,
      List<Operation> operations,
      Map<String, List<String>> ids) {}

  /** One operation of the OpenAPI document. */
  private record Operation(
      String id, String method, String path, List<String> query, JsonNode example) {}

  @FuzzTest(maxDuration = "10s")
  void requestWhenAnyBodyHeadersAndParametersThenProblemNever5xxNeverAnotherTenantsData(
      FuzzedDataProvider data) {
    Fixture f = fixture();
    Operation op = data.pickValue(f.operations());
    Map<String, String> headers = new LinkedHashMap<>();
    int principal = data.consumeInt(0, 3);
    switch (principal) {
      case 0 -> headers.put("Authorization", "Bearer " + f.a().token());
      case 1 -> headers.put("Authorization", "Bearer " + TestApi.OPERATOR_TOKEN);
      case 2 -> headers.put("Authorization", headerValue(data, 80));
      default -> {}
    }
    header(data, headers, "X-Tenant-Id", f.a().tenantId(), f.b().tenantId());
    header(data, headers, "X-Env", "dev", "stage");
    header(data, headers, "X-User-Id", f.a().userId(), f.b().userId());
    header(data, headers, "X-Request-Id", "req-fuzz-1", "");
    header(
        data,
        headers,
        "traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-0000000000000000-01");
    header(data, headers, "Idempotency-Key", "idem-fuzz-1", "");
    header(data, headers, "If-Match", "\"0\"", "*");

    StringBuilder path = new StringBuilder();
    for (String segment : op.path().split("/", -1)) {
      if (!path.isEmpty() || !segment.isEmpty()) {
        path.append('/');
      }
      if (segment.startsWith("{")) {
        List<String> known = f.ids().getOrDefault(segment, List.of());
        path.append(
            known.isEmpty() || data.consumeBoolean()
                ? encode(data.consumeString(40))
                : data.pickValue(known));
      } else {
        path.append(segment);
      }
    }
    if (path.isEmpty()) {
      path.append('/');
    }
    List<String> params = new ArrayList<>(op.query());
    params.add("limit");
    params.add("cursor");
    params.add("unknown_param");
    int count = data.consumeInt(0, 3);
    for (int i = 0; i < count; i++) {
      String name = data.pickValue(params);
      String value =
          switch (data.consumeInt(0, 2)) {
            case 0 -> Integer.toString(data.consumeInt(-5, 1001));
            case 1 -> "eyJrIjoiYSJ9";
            default -> data.consumeString(30);
          };
      path.append(i == 0 ? '?' : '&').append(name).append('=').append(encode(value));
    }

    String body = null;
    if (op.example() != null) {
      headers.put("Content-Type", "application/json");
      body = body(data, op.example());
    } else if (!op.method().equals("GET")
        && !op.method().equals("DELETE")
        && data.consumeBoolean()) {
      headers.put("Content-Type", data.pickValue(List.of("application/json", "text/plain")));
      body = data.consumeString(200);
    }

    TestApi.Response r = new RawHttp(api.port()).send(op.method(), path.toString(), headers, body);
    String request = op.method() + " " + path + " " + headers.keySet();
    if (r.status() >= 500) {
      assertThat(DOCUMENTED_5XX.getOrDefault(r.status(), Set.of()))
          .as("5xx for %s: %s", request, r.body())
          .contains(r.code());
    }
    if (r.status() >= 400) {
      assertThat(r.header("Content-Type"))
          .as("problem type for %s: %s", request, r.body())
          .startsWith("application/problem+json");
      assertThat(r.code()).as("problem code for %s: %s", request, r.body()).isNotBlank();
    }
    if (principal != 1) {
      assertThat(r.body())
          .as("another tenant's data for %s", request)
          .doesNotContain(f.canary())
          .doesNotContain(f.b().email());
    }
  }

  /**
   * Every operation once with its documented example, as the first tenant's owner: the seeds the
   * fuzz target mutates are all answered without a 5xx.
   */
  @Test
  void examplesWhenSentAsDocumentedThenNoServerError() {
    Fixture f = fixture();
    for (Operation op : f.operations()) {
      String path = op.path();
      for (Map.Entry<String, List<String>> id : f.ids().entrySet()) {
        path = path.replace(id.getKey(), id.getValue().getFirst());
      }
      path = path.replaceAll("\\{[^}]+}", "x");
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Authorization", "Bearer " + f.a().token());
      headers.put("X-Tenant-Id", f.a().tenantId());
      headers.put("X-Env", "dev");
      String body = op.example() == null ? null : op.example().toString();
      if (body != null) {
        headers.put("Content-Type", "application/json");
      }
      TestApi.Response r = new RawHttp(api.port()).send(op.method(), path, headers, body);
      if (r.status() >= 500) {
        assertThat(DOCUMENTED_5XX.getOrDefault(r.status(), Set.of()))
            .as("%s %s: %s", op.method(), path, r.body())
            .contains(r.code());
      }
      assertThat(r.body()).doesNotContain(f.canary());
    }
  }

  /** The example, as is or with one field replaced, removed or added, or a fuzzed body. */
  private static String body(FuzzedDataProvider data, JsonNode example) {
    switch (data.consumeInt(0, 4)) {
      case 0:
        return example.toString();
      case 1:
        return data.consumeString(300);
      default:
        JsonNode copy = example.deepCopy();
        int edits = data.consumeInt(1, 3);
        for (int i = 0; i < edits; i++) {
          mutate(data, copy, 0);
        }
        return copy.toString();
    }
  }

  /** Replaces, removes or adds one member somewhere in {@code node}. */
  private static void mutate(FuzzedDataProvider data, JsonNode node, int depth) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = object.propertyNames().iterator();
      it.forEachRemaining(names::add);
      if (names.isEmpty() || data.consumeInt(0, 5) == 0) {
        object.set(data.consumeString(12), value(data, depth));
        return;
      }
      String name = data.pickValue(names);
      JsonNode child = object.get(name);
      switch (data.consumeInt(0, 3)) {
        case 0 -> object.remove(name);
        case 1 -> {
          if (child.isContainer() && depth < 4) {
            mutate(data, child, depth + 1);
          } else {
            object.set(name, value(data, depth));
          }
        }
        default -> object.set(name, value(data, depth));
      }
    } else if (node instanceof ArrayNode array) {
      if (array.isEmpty() || data.consumeBoolean()) {
        array.add(value(data, depth));
      } else {
        int index = data.consumeInt(0, array.size() - 1);
        if (array.get(index).isContainer() && depth < 4) {
          mutate(data, array.get(index), depth + 1);
        } else {
          array.set(index, value(data, depth));
        }
      }
    }
  }

  private static JsonNode value(FuzzedDataProvider data, int depth) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    return switch (data.consumeInt(0, 7)) {
      case 0 -> json.nullNode();
      case 1 -> json.booleanNode(data.consumeBoolean());
      case 2 -> json.numberNode(data.consumeLong());
      case 3 -> json.numberNode(data.consumeDouble());
      case 4 ->
          depth < 3
              ? json.arrayNode().add(value(data, depth + 1))
              : json.stringNode(data.consumeString(20));
      case 5 ->
          depth < 3
              ? json.objectNode().set(data.consumeString(10), value(data, depth + 1))
              : json.stringNode(data.consumeString(20));
      default -> json.stringNode(data.consumeString(60));
    };
  }

  /** Omitted, the valid value, the other value, or fuzzed. */
  private static void header(
      FuzzedDataProvider data,
      Map<String, String> headers,
      String name,
      String valid,
      String other) {
    switch (data.consumeInt(0, 3)) {
      case 0 -> {}
      case 1 -> headers.put(name, valid);
      case 2 -> headers.put(name, other);
      default -> headers.put(name, headerValue(data, 60));
    }
  }

  /**
   * A fuzzed header value that stays one header: CR and LF would start another header line (a
   * request-smuggling test of its own), so they are dropped.
   */
  private static String headerValue(FuzzedDataProvider data, int max) {
    return data.consumeString(max).replace("\r", "").replace("\n", "");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * The two tenants with data of each kind, made once per JVM: the fuzz target runs thousands of
   * times against the same server.
   */
  private synchronized Fixture fixture() {
    if (fixture != null) {
      return fixture;
    }
    Member a = tenants.nexusTenant("fuzza");
    Member b = tenants.nexusTenant("fuzzb");
    tenants.configureSession(a, "dev");
    tenants.configureSession(b, "dev");
    String canary = "zq" + Long.toString(System.nanoTime(), 36) + "canary";
    NexusFixtures nexus = new NexusFixtures(api);
    String assetA = nexus.asset(a, "dev", "tenant a text\nsecond line\n");
    nexus.derive(a, "dev", assetA, "text.lines", Map.of());
    String assetB = nexus.asset(b, "dev", "tenant b " + canary + "\nmore " + canary + "\n");
    nexus.derive(b, "dev", assetB, "text.lines", Map.of());
    String atomB =
        api.get("/v1/atoms?asset_id=" + assetB)
            .as(b, "dev")
            .send()
            .json()
            .get("items")
            .get(0)
            .get("atom_id")
            .asString();
    Map<String, List<String>> ids = new LinkedHashMap<>();
    ids.put("{assetId}", List.of(assetA, assetB));
    ids.put("{atomId}", List.of(atomB));
    ids.put("{tenantId}", List.of(a.tenantId(), b.tenantId()));
    ids.put("{userId}", List.of(a.userId(), b.userId()));
    ids.put("{keyId}", List.of(b.keyId()));
    ids.put("{slot}", List.of("storage", "nexus", "session", "vector", "gates"));
    ids.put("{surface}", List.of("support"));
    ids.put("{kpi}", List.of("first_contact_resolution"));
    ids.put("{space}", List.of("support_docs"));
    ids.put("{sessionId}", List.of("support-chat-4711", "fuzz-b-session"));
    ids.put("{blackboardKey}", List.of("step"));
    TestApi.Response session =
        api.post("/v1/sessions")
            .as(b, "dev")
            .json(Map.of("session_id", "fuzz-b-session", "title", "b " + canary))
            .send();
    assertThat(session.status()).as("%s", session).isLessThan(300);

    JsonNode examples;
    try (InputStream in = new ClassPathResource(RequestExamples.RESOURCE).getInputStream()) {
      examples = TestApi.JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    JsonNode doc = api.get("/v3/api-docs").send().json();
    List<Operation> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : doc.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> m : p.getValue().properties()) {
        JsonNode operation = m.getValue();
        if (!operation.has("operationId")) {
          continue;
        }
        // Tenant purge would wipe the caller's own fixtures mid-run and end the exploration of
        // everything else; its validation is fuzzed through the example check above.
        if (operation.get("operationId").asString().equals("purgeTenant")) {
          continue;
        }
        List<String> query = new ArrayList<>();
        if (operation.has("parameters")) {
          for (JsonNode parameter : operation.get("parameters")) {
            if (parameter.has("in") && parameter.get("in").asString().equals("query")) {
              query.add(parameter.get("name").asString());
            }
          }
        }
        String opId = operation.get("operationId").asString();
        operations.add(
            new Operation(
                opId,
                m.getKey().toUpperCase(java.util.Locale.ROOT),
                p.getKey(),
                query,
                operation.has("requestBody") && examples.has(opId) ? examples.get(opId) : null));
      }
    }
    assertThat(operations).hasSizeGreaterThan(50);
    fixture = new Fixture(a, b, canary, List.copyOf(operations), ids);
    return fixture;
  }
}
