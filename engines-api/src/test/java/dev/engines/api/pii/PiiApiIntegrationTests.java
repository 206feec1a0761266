package dev.engines.api.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.TenantId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/** The PII routes: analysis, redaction, versioned policies and lists, audited re-identification. */
@ExtendWith(OutputCaptureExtension.class)
class PiiApiIntegrationTests extends IntegrationTest {

  private static final String EMAIL = "jane.roe@personal.example";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String TEXT = "Mail " + EMAIL + " or pay with " + CARD + ".";

  private TestApi.Response redact(Member m, String env, String text, String requestId) {
    return api.post("/v1/pii/redact")
        .as(m, env)
        .header("X-Request-Id", requestId)
        .json(Map.of("text", text))
        .send();
  }

  /** Every stored row the request left behind: its DatasetEvent and the tenant's audit trail. */
  private String storedBy(Member owner, String env, String requestId) {
    String events = api.get("/v1/events?request_id=" + requestId).as(owner, env).send().body();
    String audit = api.get("/v1/audit?limit=500").as(owner, env).send().body();
    return events + audit;
  }

  @Test
  void redactWhenTextHoldsPiiThenReplacedAndNothingRawStoredOrLogged(CapturedOutput output) {
    Member owner = tenants.tenant("red");
    Member member = tenants.user(owner, "member");
    TestApi.Response r = redact(member, "dev", TEXT, "red-1");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.text("text")).isEqualTo("Mail <EMAIL_ADDRESS> or pay with <CREDIT_CARD>.");
    assertThat(r.json().get("pii_flags").toString())
        .isEqualTo("{\"CREDIT_CARD\":1,\"EMAIL_ADDRESS\":1,\"policy_version\":1}");
    assertThat(r.json().get("train_ok").asBoolean()).isFalse();

    JsonNode event =
        api.get("/v1/events?request_id=red-1").as(owner, "dev").send().json().get("items").get(0);
    assertThat(event.get("action").asString()).isEqualTo("text.redact");
    assertThat(event.get("pii_flags").get("EMAIL_ADDRESS").asInt()).isEqualTo(1);
    assertThat(event.get("train_ok").asBoolean()).isFalse();
    assertThat(storedBy(owner, "dev", "red-1"))
        .doesNotContain(EMAIL)
        .doesNotContain(CARD)
        .doesNotContain("jane.roe");
    assertThat(output.getAll()).doesNotContain(EMAIL).doesNotContain(CARD);
  }

  @Test
  void keyNameAndDisplayNameWhenHoldingPiiThenRedactedBeforeTheyAreStored() {
    Member owner = tenants.tenant("wpath");
    TestApi.Response key =
        api.post("/v1/api-keys")
            .as(owner, "dev")
            .header("X-Request-Id", "wpath-1")
            .json(Map.of("kind", "service", "name", "bot for " + EMAIL, "role", "viewer"))
            .send();
    assertThat(key.status()).as("%s", key).isEqualTo(201);
    assertThat(key.json().get("key").get("name").asString()).isEqualTo("bot for <EMAIL_ADDRESS>");
    TestApi.Response user =
        api.post("/v1/users")
            .as(owner, "dev")
            .json(
                Map.of(
                    "email",
                    "plain@wpath.example",
                    "display_name",
                    "Jane (card " + CARD + ")",
                    "role",
                    "viewer"))
            .send();
    assertThat(user.status()).as("%s", user).isEqualTo(201);
    assertThat(user.text("display_name")).isEqualTo("Jane (card <CREDIT_CARD>)");
    String stored =
        tx.tenantLevel(
            TenantId.of(owner.tenantId()),
            () ->
                jdbc.sql(
                        "SELECT string_agg(u::text, '|') || string_agg(k::text, '|') FROM users u, api_keys k")
                    .query(String.class)
                    .single());
    assertThat(stored).doesNotContain(EMAIL).doesNotContain(CARD);
    JsonNode event =
        api.get("/v1/events?request_id=wpath-1").as(owner, "dev").send().json().get("items").get(0);
    assertThat(event.get("pii_flags").get("EMAIL_ADDRESS").asInt()).isEqualTo(1);
    assertThat(event.get("train_ok").asBoolean()).isFalse();
  }

  @Test
  void analyzeWhenViewerThenSpansWithoutText() {
    Member owner = tenants.tenant("ana");
    Member viewer = tenants.user(owner, "viewer");
    TestApi.Response r =
        api.post("/v1/pii/analyze").as(viewer, "dev").json(Map.of("text", TEXT)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    JsonNode spans = r.json().get("spans");
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).get("type").asString()).isEqualTo("EMAIL_ADDRESS");
    assertThat(spans.get(0).get("start").asInt()).isEqualTo(5);
    assertThat(spans.get(0).get("end").asInt()).isEqualTo(5 + EMAIL.length());
    assertThat(r.body()).doesNotContain(EMAIL);
    assertThat(
            api.post("/v1/pii/redact").as(viewer, "dev").json(Map.of("text", TEXT)).send().code())
        .isEqualTo("forbidden_role");
  }

  @Test
  void redactWhenInputOverTheCapThenTooLargeAndNoTextBack() {
    Member owner = tenants.tenant("cap");
    String big = EMAIL + " " + "x".repeat(1_048_576);
    TestApi.Response r = redact(owner, "dev", big, "cap-1");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.code()).isEqualTo("pii_input_too_large");
    assertThat(r.body()).doesNotContain(EMAIL);
  }

  @Test
  void policyWhenWrittenThenNewVersionAppliesInThatEnvOnlyAndIsAudited() {
    Member owner = tenants.tenant("pol");
    Member other = tenants.tenant("polb");
    TestApi.Response initial = api.get("/v1/pii/policy").as(owner, "dev").send();
    assertThat(initial.json().get("version").asInt()).isEqualTo(1);
    assertThat(initial.text("source")).isEqualTo("system_default");

    TestApi.Response put =
        api.call("PUT", "/v1/pii/policy")
            .as(owner, "dev")
            .json(
                Map.of(
                    "default_operator",
                    "redact",
                    "operators",
                    Map.of("EMAIL_ADDRESS", "hmac", "CREDIT_CARD", "mask"),
                    "mask",
                    Map.of("mask_char", "#", "chars_to_mask", 12, "from_end", false)))
            .send();
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    assertThat(put.json().get("version").asInt()).isEqualTo(2);

    TestApi.Response r = redact(owner, "dev", TEXT, "pol-1");
    assertThat(r.text("text"))
        .matches("Mail <EMAIL_ADDRESS:hmac:[0-9a-f]{16}> or pay with ############11 1111\\.");
    assertThat(r.json().get("pii_flags").get("policy_version").asInt()).isEqualTo(2);
    assertThat(redact(owner, "dev", TEXT, "pol-2").text("text")).isEqualTo(r.text("text"));
    assertThat(redact(owner, "prod", TEXT, "pol-3").text("text"))
        .isEqualTo("Mail <EMAIL_ADDRESS> or pay with <CREDIT_CARD>.");
    assertThat(redact(other, "dev", TEXT, "pol-4").text("text"))
        .isEqualTo("Mail <EMAIL_ADDRESS> or pay with <CREDIT_CARD>.");

    JsonNode versions =
        api.get("/v1/pii/policy/versions").as(owner, "dev").send().json().get("items");
    assertThat(versions).hasSize(2);
    assertThat(versions.get(0).get("version").asInt()).isEqualTo(2);
    assertThat(versions.get(1).get("source").asString()).isEqualTo("system_default");
    JsonNode audited =
        api.get("/v1/audit?action=pii_policy.update").as(owner, "dev").send().json().get("items");
    assertThat(audited).hasSize(1);
    assertThat(audited.get(0).get("details").get("operators").get("EMAIL_ADDRESS").asString())
        .isEqualTo("hmac");
  }

  @Test
  void policyWhenUnknownTypeOrOperatorThenValidationFailed() {
    Member owner = tenants.tenant("polv");
    assertThat(
            api.call("PUT", "/v1/pii/policy")
                .as(owner, "dev")
                .json(
                    Map.of(
                        "default_operator", "replace", "operators", Map.of("SHOE_SIZE", "redact")))
                .send()
                .code())
        .isEqualTo("validation_failed");
    assertThat(
            api.call("PUT", "/v1/pii/policy")
                .as(owner, "dev")
                .json(Map.of("default_operator", "shred"))
                .send()
                .code())
        .isEqualTo("validation_failed");
    assertThat(api.get("/v1/pii/policy").as(owner, "dev").send().json().get("version").asInt())
        .isEqualTo(1);
  }

  @Test
  void listsWhenWrittenThenDenyTermsFlaggedAndAuditHoldsCountsOnly() {
    Member owner = tenants.tenant("lst");
    TestApi.Response put =
        api.call("PUT", "/v1/pii/lists")
            .as(owner, "dev")
            .json(
                Map.of(
                    "allow", List.of("support@acme.example"), "deny", List.of("Zephyrine Quast")))
            .send();
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    assertThat(put.json().get("version").asInt()).isEqualTo(1);
    TestApi.Response r =
        redact(owner, "dev", "Ask Zephyrine Quast or support@acme.example", "lst-1");
    assertThat(r.text("text")).isEqualTo("Ask <DENY_LIST> or support@acme.example");
    JsonNode audited =
        api.get("/v1/audit?action=pii_lists.update").as(owner, "dev").send().json().get("items");
    assertThat(audited.get(0).get("details").get("deny_terms").asInt()).isEqualTo(1);
    assertThat(audited.toString())
        .doesNotContain("Zephyrine")
        .doesNotContain("support@acme.example");
    assertThat(
            api.call("PUT", "/v1/pii/lists")
                .as(owner, "dev")
                .json(Map.of("allow", List.of(" "), "deny", List.of()))
                .send()
                .code())
        .isEqualTo("validation_failed");
  }

  @Test
  void reidentifyWhenAdminThenValueReturnedAndAuditedWithoutIt() {
    Member owner = tenants.tenant("reid");
    Member other = tenants.tenant("reidb");
    Member member = tenants.user(owner, "member");
    assertThat(
            api.call("PUT", "/v1/pii/policy")
                .as(owner, "dev")
                .json(
                    Map.of(
                        "default_operator",
                        "replace",
                        "operators",
                        Map.of("EMAIL_ADDRESS", "token")))
                .send()
                .status())
        .isEqualTo(200);
    String tokenised = redact(member, "dev", "write to " + EMAIL, "reid-1").text("text");
    String token = tokenised.substring("write to ".length());
    assertThat(token).startsWith("<EMAIL_ADDRESS:tok:");

    assertThat(
            api.post("/v1/pii/reidentify")
                .as(member, "dev")
                .json(Map.of("token", token))
                .send()
                .code())
        .isEqualTo("forbidden_role");
    assertThat(
            api.post("/v1/pii/reidentify")
                .as(other, "dev")
                .json(Map.of("token", token))
                .send()
                .code())
        .isEqualTo("pii_token_invalid");
    assertThat(
            api.post("/v1/pii/reidentify")
                .as(owner, "prod")
                .json(Map.of("token", token))
                .send()
                .code())
        .isEqualTo("pii_token_invalid");

    TestApi.Response r =
        api.post("/v1/pii/reidentify")
            .as(owner, "dev")
            .header("X-Request-Id", "reid-2")
            .json(Map.of("token", token))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.text("value")).isEqualTo(EMAIL);
    JsonNode audited =
        api.get("/v1/audit?action=pii.reidentify").as(owner, "dev").send().json().get("items");
    assertThat(audited).hasSize(1);
    assertThat(audited.get(0).get("entry_id").asString()).isEqualTo(r.text("audit_entry_id"));
    assertThat(storedBy(owner, "dev", "reid-2"))
        .contains(r.text("audit_entry_id"))
        .doesNotContain(EMAIL)
        .doesNotContain(token);
    String stored =
        tx.tenantLevel(
            TenantId.of(owner.tenantId()),
            () ->
                jdbc.sql("SELECT string_agg(t::text, '|') FROM audit_entries t")
                    .query(String.class)
                    .single());
    assertThat(stored).doesNotContain(EMAIL).doesNotContain("jane.roe");
  }
}
