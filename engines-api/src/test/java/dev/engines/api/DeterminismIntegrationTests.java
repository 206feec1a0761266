package dev.engines.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.db.ScopedTransactions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Same input + same configuration ⇒ same output bytes, ids and {@code pii_flags} (DESIGN:
 * deterministic engines), across processes: the PII pipeline and a Nexus derivation run in two
 * fresh application contexts, one after the other, against the same database and configuration.
 * Nothing a context computes at startup or keeps in memory (key derivation, detector tables, hash
 * orders) may change an answer.
 *
 * <p>Atom ids, pseudonyms and tokens are keyed per tenant/env, and atom ids also name the asset
 * (docs/adr/0008-keyed-atom-ids.md), so "the same input" is the same tenant, env and asset: the
 * second context re-runs the first one's derivation (same derivation id, every atom id recomputed
 * and found, none added) and redacts the same text under the same policy. It also uploads the same
 * bytes as a new asset and derives them: the ids differ by design (a new asset), while every atom's
 * text (compared as bytes), span, digest and flags equal the first context's.
 */
class DeterminismIntegrationTests {

  private static final String DOC =
      """
      Invoice for jane.doe@example.com, card 4111 1111 1111 1111.
      Call +1 (212) 555-0143 or write to Ünïcödé Zoë <zoe@bücher.example>.
      Nothing personal on this line.
      Server 192.168.10.7 logged key AKIAIOSFODNN7EXAMPLE at 2026-01-02.
      """;

  private static final Map<String, Object> POLICY =
      Map.of(
          "default_operator",
          "hmac",
          "operators",
          Map.of("CREDIT_CARD", "token", "PHONE_NUMBER", "mask", "IP_ADDRESS", "token"),
          "mask",
          Map.of("mask_char", "#", "chars_to_mask", 6, "from_end", true));

  /** What one context answered. */
  private record Run(String derivation, JsonNode atoms, String redacted) {}

  /** The first context's tenant owner, asset and answers. */
  private record First(Member owner, String asset, Run run) {}

  @Test
  void pipelineAndDerivationWhenRunInTwoFreshContextsThenSameBytesIdsAndFlags() {
    First first =
        inFreshContext(
            c -> {
              Member owner = c.tenants().nexusTenant("det");
              assertThat(
                      c.api()
                          .call("PUT", "/v1/pii/policy")
                          .as(owner, "dev")
                          .json(POLICY)
                          .send()
                          .status())
                  .isEqualTo(200);
              String asset = upload(c.api(), owner);
              JsonNode run = derive(c.api(), owner, asset);
              assertThat(run.get("added").asLong())
                  .isEqualTo(run.get("atoms").asLong())
                  .isGreaterThanOrEqualTo(4);
              String derivation = run.get("derivation_id").asString();
              return new First(
                  owner,
                  asset,
                  new Run(derivation, atoms(c.api(), owner, derivation), redact(c.api(), owner)));
            });
    Member owner = first.owner();

    List<Run> second =
        inFreshContext(
            c -> {
              JsonNode rerun = derive(c.api(), owner, first.asset());
              assertThat(rerun.get("derivation_id").asString()).isEqualTo(first.run().derivation());
              assertThat(rerun.get("added").asLong())
                  .as("every recomputed atom id was found")
                  .isZero();
              assertThat(rerun.get("skipped").asLong()).isEqualTo(first.run().atoms().size());
              Run again =
                  new Run(
                      first.run().derivation(),
                      atoms(c.api(), owner, first.run().derivation()),
                      redact(c.api(), owner));
              String copy = upload(c.api(), owner);
              assertThat(copy).isNotEqualTo(first.asset());
              JsonNode fresh = derive(c.api(), owner, copy);
              assertThat(fresh.get("added").asLong()).isEqualTo(first.run().atoms().size());
              String derivation = fresh.get("derivation_id").asString();
              return List.of(again, new Run(derivation, atoms(c.api(), owner, derivation), null));
            });

    assertThat(second.get(0).redacted())
        .as("the redaction's bytes (text, spans, flags)")
        .isEqualTo(first.run().redacted());
    assertThat(second.get(0).atoms())
        .as("the re-run derivation's atoms")
        .isEqualTo(first.run().atoms());
    JsonNode original = first.run().atoms();
    JsonNode copied = second.get(1).atoms();
    assertThat(copied.size()).isEqualTo(original.size());
    for (int i = 0; i < copied.size(); i++) {
      JsonNode a = original.get(i);
      JsonNode b = copied.get(i);
      assertThat(b.get("text").asString().getBytes(StandardCharsets.UTF_8))
          .as("atom %d text", i)
          .isEqualTo(a.get("text").asString().getBytes(StandardCharsets.UTF_8));
      for (String field :
          List.of(
              "ordinal",
              "span",
              "text_sha256",
              "pii_flags",
              "train_ok",
              "params_hash",
              "op_version")) {
        assertThat(b.get(field)).as("atom %d %s", i, field).isEqualTo(a.get(field));
      }
      assertThat(b.get("atom_id"))
          .as("another asset: other ids, by design")
          .isNotEqualTo(a.get("atom_id"));
    }
    // Not vacuous: the pipeline found PII, applied the keyed operators and flagged it.
    assertThat(first.run().redacted())
        .contains(":hmac:")
        .contains(":tok:")
        .doesNotContain("jane.doe@example.com");
    assertThat(original.toString()).contains("EMAIL_ADDRESS").doesNotContain("4111 1111 1111 1111");
  }

  /** A context and what a test talks to it with. */
  private record Context(TestApi api, TestTenants tenants) {}

  /**
   * Starts the application in a context of its own (random port, small pool), runs {@code body},
   * closes it.
   */
  private static <T> T inFreshContext(Function<Context, T> body) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(EnginesApplication.class)
            .profiles("test")
            .properties(
                "server.port=0",
                "spring.datasource.url=" + IntegrationTest.DB_URL,
                "spring.datasource.hikari.maximum-pool-size=4")
            .run()) {
      int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      TestApi api = new TestApi(port);
      return body.apply(
          new Context(
              api,
              new TestTenants(
                  api,
                  context.getBean(JdbcClient.class),
                  context.getBean(ScopedTransactions.class))));
    }
  }

  private static String upload(TestApi api, Member owner) {
    TestApi.Response r =
        api.post("/v1/assets?filename=invoice.txt").as(owner, "dev").body(DOC, "text/plain").send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.text("asset_id");
  }

  private static JsonNode derive(TestApi api, Member owner, String assetId) {
    TestApi.Response r =
        api.post("/v1/assets/" + assetId + "/derivations")
            .as(owner, "dev")
            .json(Map.of("op_type", "text.lines", "params", Map.of()))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  /** The derivation's atoms as the API answers them, without the time each was first stored. */
  private static JsonNode atoms(TestApi api, Member owner, String derivationId) {
    TestApi.Response r =
        api.get("/v1/atoms?limit=100&derivation_id=" + derivationId).as(owner, "dev").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    r.json().get("items").forEach(items::add);
    items.forEach(item -> ((ObjectNode) item).remove("created_at"));
    return TestApi.JSON.valueToTree(items);
  }

  private static String redact(TestApi api, Member owner) {
    TestApi.Response r =
        api.post("/v1/pii/redact").as(owner, "dev").json(Map.of("text", DOC)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.body();
  }
}
