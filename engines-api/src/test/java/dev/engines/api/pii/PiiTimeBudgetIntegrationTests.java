package dev.engines.api.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.pii.PiiEngine;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The PII time budget fails closed through the API: a request whose text the engine cannot finish
 * analysing within {@code engines.pii.time-budget} answers 503 {@code pii_unavailable}, returns and
 * stores no text, and leaves one DatasetEvent recording the failure. Its own application context:
 * the budget is cut to 250 ms (the suite's 2 s would need a multi-megabyte input) and atoms may be
 * long enough to hold the slow text in one piece.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
    properties = {"engines.pii.time-budget=250ms", "engines.nexus.max-atom-text-chars=1048576"})
class PiiTimeBudgetIntegrationTests extends IntegrationTest {

  /**
   * About a million chars in which every chunk is a plausible phone-number window: the known slow
   * shape (docs/benchmarks.md), about 2 s of analysis, far past 250 ms.
   */
  private static final String SLOW = "1234-".repeat(200_000);

  private static final String EMAIL = "ana.budget@timeout.example";

  @Autowired private PiiEngine engine;

  /** Warms the detectors so the small texts the fixtures redact stay well inside the budget. */
  @BeforeEach
  void warmUp() {
    for (int i = 0; i < 50; i++) {
      engine.redactForLog(
          "call +1 415 555 0132 or " + EMAIL + ", card 4111 1111 1111 1111, ip 10.0.0.1");
    }
  }

  private JsonNode eventsOf(Member owner, String requestId) {
    TestApi.Response r = api.get("/v1/events?request_id=" + requestId).as(owner, "dev").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("items");
  }

  private static void assertOneFailureEvent(JsonNode events) {
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("outcome").asString()).isEqualTo("failure");
    assertThat(events.get(0).get("error_code").asString()).isEqualTo("pii_unavailable");
    assertThat(events.get(0).toString()).doesNotContain(EMAIL).doesNotContain("1234-1234");
  }

  @Test
  void redactWhenAnalysisOverrunsTheBudgetThen503NoTextAndOneFailureEvent(CapturedOutput output) {
    Member owner = tenants.tenant("budr");
    TestApi.Response r =
        api.post("/v1/pii/redact")
            .as(owner, "dev")
            .header("X-Request-Id", "budget-redact-1")
            .json(Map.of("text", "mail " + EMAIL + " " + SLOW))
            .send();
    assertThat(r.status()).as("%s", r.status()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("pii_unavailable");
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.body()).doesNotContain(EMAIL).doesNotContain("1234-1234");
    assertOneFailureEvent(eventsOf(owner, "budget-redact-1"));
    assertThat(output.getAll()).doesNotContain(EMAIL);

    TestApi.Response small =
        api.post("/v1/pii/redact").as(owner, "dev").json(Map.of("text", "mail " + EMAIL)).send();
    assertThat(small.text("text"))
        .as("a text inside the budget still redacts")
        .isEqualTo("mail <EMAIL_ADDRESS>");
  }

  @Test
  void derivationWhenAtomRedactionOverrunsTheBudgetThen503AndNothingStored(CapturedOutput output) {
    Member owner = tenants.nexusTenant("budd");
    // The tenant's own slot allows atoms as long as this context's deployment cap, so the slow text
    // reaches the PII pass in one piece instead of failing the atom length limit first.
    tenants.configure(
        owner,
        "dev",
        "nexus",
        Map.of(
            "max_atoms_per_derivation",
            100000,
            "max_atom_text_chars",
            1048576,
            "max_atomize_bytes",
            67108864));
    NexusFixtures nexus = new NexusFixtures(api);
    String assetId = nexus.asset(owner, "dev", "Contact " + EMAIL + "\n" + SLOW + "\n");
    TestApi.Response r =
        api.post("/v1/assets/" + assetId + "/derivations")
            .as(owner, "dev")
            .header("X-Request-Id", "budget-derive-1")
            .json(Map.of("op_type", "text.paragraphs", "params", Map.of()))
            .send();
    assertThat(r.status()).as("%s", r.status()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("pii_unavailable");
    assertThat(r.body()).doesNotContain(EMAIL);

    Scope scope = Scope.of(owner.tenantId(), "dev");
    long atoms =
        tx.read(
            Caller.system(scope, "test"),
            () ->
                jdbc.sql("SELECT count(*) FROM atoms WHERE asset_id = :id")
                    .param("id", assetId)
                    .query(Long.class)
                    .single());
    long derivations =
        tx.read(
            Caller.system(scope, "test"),
            () ->
                jdbc.sql("SELECT count(*) FROM derivations WHERE asset_id = :id")
                    .param("id", assetId)
                    .query(Long.class)
                    .single());
    assertThat(atoms).as("no atom stored").isZero();
    assertThat(derivations).as("the derivation rolled back with its atoms").isZero();
    assertThat(api.get("/v1/atoms?asset_id=" + assetId).as(owner, "dev").send().json().get("items"))
        .isEmpty();
    assertOneFailureEvent(eventsOf(owner, "budget-derive-1"));
    assertThat(output.getAll()).doesNotContain(EMAIL);
  }
}
