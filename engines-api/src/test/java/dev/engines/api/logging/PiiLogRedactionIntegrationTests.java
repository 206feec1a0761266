package dev.engines.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Logs as the last line of defence: whatever code logs, PII and credentials never reach the output.
 */
@ExtendWith(OutputCaptureExtension.class)
class PiiLogRedactionIntegrationTests extends IntegrationTest {

  private static final Logger log = LoggerFactory.getLogger(PiiLogRedactionIntegrationTests.class);
  private static final String EMAIL = "leaky.person@mail.example";
  private static final String CARD = "5555 5555 5555 4444";

  @Test
  void messageWithPiiAndKeyWhenLoggedThenRedactedInTheWrittenLine(CapturedOutput output) {
    Member owner = tenants.tenant("logr");
    log.warn("careless: user {} paid with {} using {}", EMAIL, CARD, owner.token());
    String line =
        output.getOut().lines().filter(l -> l.contains("careless:")).findFirst().orElseThrow();
    assertThat(line)
        .contains("<EMAIL_ADDRESS>")
        .contains("<CREDIT_CARD>")
        .contains("<ENGINES_API_KEY>");
    assertThat(output.getAll())
        .doesNotContain(EMAIL)
        .doesNotContain(CARD)
        .doesNotContain(owner.token());
  }

  @Test
  void exceptionWithPiiWhenLoggedThenMessageAndStackTraceRedacted(CapturedOutput output) {
    log.error("failure while handling a record", new IllegalStateException("bad row for " + EMAIL));
    String all = output.getAll();
    assertThat(all)
        .contains("failure while handling a record")
        .contains("<EMAIL_ADDRESS>")
        .doesNotContain(EMAIL);
  }

  @Test
  void accessEventWhenQueryStringCarriesPiiThenPathOnlyAndNoQueryOrHeaders(CapturedOutput output)
      throws InterruptedException {
    Member owner = tenants.tenant("logs");
    api.get("/v1/users?email=" + EMAIL)
        .as(owner, "dev")
        .header("X-Request-Id", "logs-query")
        .send();
    JsonNode access = TestApi.JSON.readTree(accessLine(output, "logs-query"));
    assertThat(access.at("/url/path").asString()).isEqualTo("/v1/users");
    assertThat(access.at("/http/request/method").asString()).isEqualTo("GET");
    assertThat(access.at("/transaction/id").asString()).isEqualTo("logs-query");
    assertThat(access.toString())
        .doesNotContain("email")
        .doesNotContain("mail.example")
        .doesNotContain(owner.token());
  }

  @Test
  void accessEventWhenPathCarriesPiiThenPathRedactedAlikeInUrlPathAndMessage(CapturedOutput output)
      throws InterruptedException {
    Member owner = tenants.tenant("logp");
    api.get("/v1/users/" + EMAIL).as(owner, "dev").header("X-Request-Id", "logp-path").send();
    JsonNode access = TestApi.JSON.readTree(accessLine(output, "logp-path"));
    assertThat(access.at("/url/path").asString()).isEqualTo("/v1/users/<EMAIL_ADDRESS>");
    assertThat(access.at("/message").asString())
        .startsWith(
            "GET /v1/users/<EMAIL_ADDRESS> -> " + access.at("/http/response/status_code").asInt());
    assertThat(output.getAll()).doesNotContain(EMAIL);
  }

  @Test
  void accessEventWhenPathCarriesEncodedPiiThenRedactedDecoded(CapturedOutput output)
      throws InterruptedException {
    Member owner = tenants.tenant("loge");
    String encoded = EMAIL.replace("@", "%40");
    api.get("/v1/users/" + encoded).as(owner, "dev").header("X-Request-Id", "loge-path").send();
    JsonNode access = TestApi.JSON.readTree(accessLine(output, "loge-path"));
    assertThat(access.at("/url/path").asString()).isEqualTo("/v1/users/<EMAIL_ADDRESS>");
    assertThat(access.at("/message").asString()).startsWith("GET /v1/users/<EMAIL_ADDRESS> -> ");
    assertThat(output.getAll()).doesNotContain(encoded).doesNotContain(EMAIL);
  }

  @Test
  void accessEventWhenMethodIsNoStandardOneThenLoggedAsOther(CapturedOutput output)
      throws InterruptedException {
    Member owner = tenants.tenant("logm");
    // A method is any token a client sends, a key's shape included; the firewall refuses it, and
    // the access line of that refusal must not carry it.
    int status =
        api.call(owner.token(), "/v1/users")
            .as(owner, "dev")
            .header("X-Request-Id", "logm-method")
            .send()
            .status();
    assertThat(status).isBetween(400, 499);
    JsonNode access = TestApi.JSON.readTree(accessLine(output, "logm-method"));
    assertThat(access.at("/http/request/method").asString()).isEqualTo("_OTHER");
    assertThat(access.at("/message").asString()).startsWith("_OTHER /v1/users -> " + status);
    assertThat(output.getAll()).doesNotContain(owner.token());
  }

  /**
   * The access line of the request with id {@code requestId}. A refusal of the firewall is flushed
   * to the client before the line is written, so the line may follow the answer by a moment.
   */
  private static String accessLine(CapturedOutput output, String requestId)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      Optional<String> line =
          output
              .getOut()
              .lines()
              .filter(l -> l.contains(requestId) && l.contains("dev.engines.access"))
              .findFirst();
      if (line.isPresent() || System.nanoTime() > deadline) {
        return line.orElseThrow();
      }
      Thread.sleep(20);
    }
  }

  @Test
  void requestsWithCredentialsAndPiiWhenServedThenNeitherReachesTheLogs(CapturedOutput output) {
    Member owner = tenants.tenant("logq");
    api.post("/v1/pii/redact")
        .as(owner, "dev")
        .header("X-Api-Key", owner.token())
        .header("X-Request-Id", "logq-redact")
        .json(Map.of("text", "to " + EMAIL))
        .send();
    api.post("/v1/users")
        .as(owner, "dev")
        .json(Map.of("email", EMAIL, "display_name", "Leaky", "role", "viewer"))
        .send();
    api.post("/v1/users")
        .as(owner, "dev")
        .header("X-Request-Id", "logq-duplicate")
        .json(Map.of("email", EMAIL, "display_name", "Leaky", "role", "viewer"))
        .send();
    // The requests were logged (so the absence below is not that of the lines themselves): one
    // access line each, with its request id, path, status and problem code.
    List<String> lines = output.getOut().lines().toList();
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).contains("logq-redact").contains("POST /v1/pii/redact -> 200"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("logq-duplicate")
                    .contains("POST /v1/users -> 409 user_exists"));
    JsonNode duplicate =
        TestApi.JSON.readTree(
            lines.stream()
                .filter(l -> l.contains("logq-duplicate") && l.contains("dev.engines.access"))
                .findFirst()
                .orElseThrow());
    assertThat(duplicate.at("/http/response/status_code").asInt()).isEqualTo(409);
    assertThat(duplicate.at("/error/code").asString()).isEqualTo("user_exists");
    assertThat(duplicate.at("/labels/tenant_id").asString()).isEqualTo(owner.tenantId());
    assertThat(output.getAll())
        .doesNotContain(EMAIL)
        .doesNotContain(owner.token())
        .doesNotContain("Bearer ");
  }
}
