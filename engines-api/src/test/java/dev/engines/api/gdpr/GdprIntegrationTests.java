package dev.engines.api.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.TenantId;
import dev.engines.pii.gdpr.RetentionJob;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Subject lookup, export, erasure, retention, legal holds and tenant purge, per tenant and per
 * user.
 */
@ExtendWith(OutputCaptureExtension.class)
class GdprIntegrationTests extends IntegrationTest {

  @Autowired RetentionJob retentionJob;

  private static Map<String, Object> subject(String email) {
    return Map.of("identifiers", Map.of("email", email));
  }

  private TestApi.Response createUser(Member owner, String email) {
    TestApi.Response r =
        api.post("/v1/users")
            .as(owner, "dev")
            .json(Map.of("email", email, "display_name", "Subject", "role", "viewer"))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r;
  }

  private String auditAndEvents(Member owner) {
    return api.get("/v1/audit?limit=500").as(owner, "dev").send().body()
        + api.get("/v1/events?limit=500").as(owner, "dev").send().body();
  }

  private int users(String tenantId, String userId) {
    return tx.tenantLevel(
        TenantId.of(tenantId),
        () ->
            jdbc.sql("SELECT count(*) FROM users WHERE user_id = :id")
                .param("id", userId)
                .query(Integer.class)
                .single());
  }

  @Test
  void exportWhenSubjectIsAMemberThenBundleHoldsTheirRecordFlaggedNotTrainable(
      CapturedOutput output) {
    Member owner = tenants.tenant("gex");
    String email = "Export.Me@gex.example";
    String userId = createUser(owner, email).text("user_id");
    TestApi.Response lookup =
        api.post("/v1/gdpr/subjects/lookup")
            .as(owner, "dev")
            .json(subject("export.me@GEX.example"))
            .send();
    assertThat(lookup.status()).as("%s", lookup).isEqualTo(200);
    String subjectId = lookup.json().get("subject_ids").get(0).asString();
    assertThat(subjectId).matches("ds_[0-9a-f]{32}");
    assertThat(lookup.json().get("records").toString()).contains(userId);

    TestApi.Response export =
        api.post("/v1/gdpr/export").as(owner, "dev").json(subject(email)).send();
    assertThat(export.status()).as("%s", export).isEqualTo(200);
    JsonNode bundle = export.json();
    assertThat(bundle.get("format").asString()).isEqualTo("engines-gdpr-export/v1");
    assertThat(bundle.get("train_ok").asBoolean()).isFalse();
    JsonNode record = bundle.get("records").get(0);
    assertThat(record.get("type").asString()).isEqualTo("user");
    assertThat(record.get("train_ok").asBoolean()).isFalse();
    assertThat(record.get("data").get("email").asString()).isEqualTo(email);

    String stored = auditAndEvents(owner);
    assertThat(stored)
        .contains(subjectId)
        .doesNotContain("export.me@")
        .doesNotContain("Export.Me@");
    assertThat(output.getAll()).doesNotContain("export.me@").doesNotContain("Export.Me@");
  }

  @Test
  void erasureWhenSubjectIsAMemberThenOnlyTheirRowGoesInTheirTenantAndATombstoneStays() {
    Member a = tenants.tenant("gera");
    Member b = tenants.tenant("gerb");
    String email = "erase.me@shared.example";
    String inA = createUser(a, email).text("user_id");
    String otherInA = createUser(a, "keep.me@shared.example").text("user_id");
    String inB = createUser(b, email).text("user_id");
    assertThat(indexed(a.tenantId(), inA)).as("indexed when stored, before any lookup").isOne();

    TestApi.Response erased = api.post("/v1/gdpr/erasure").as(a, "dev").json(subject(email)).send();
    assertThat(erased.status()).as("%s", erased).isEqualTo(200);
    assertThat(erased.json().get("erased").toString()).contains(inA).doesNotContain(inB);
    assertThat(users(a.tenantId(), inA)).isZero();
    assertThat(users(a.tenantId(), otherInA)).isOne();
    assertThat(users(b.tenantId(), inB)).isOne();
    assertThat(indexed(a.tenantId(), inA)).isZero();
    assertThat(indexed(b.tenantId(), inB)).isOne();

    JsonNode export = api.post("/v1/gdpr/export").as(a, "dev").json(subject(email)).send().json();
    assertThat(export.get("records")).isEmpty();
    assertThat(export.get("tombstones").get(0).get("record_id").asString()).isEqualTo(inA);
    JsonNode audit =
        api.get("/v1/audit?action=gdpr.erasure").as(a, "dev").send().json().get("items");
    assertThat(audit.get(0).get("details").get("erasure_id").asString())
        .isEqualTo(erased.text("erasure_id"));
    assertThat(auditAndEvents(a)).doesNotContain(email);
    assertThat(api.get("/v1/audit/verify").as(a, "dev").send().json().get("valid").asBoolean())
        .isTrue();
  }

  @Test
  void erasureWhenSubjectIsTheLastOwnerThenRefused() {
    Member owner = tenants.tenant("gown");
    TestApi.Response r =
        api.post("/v1/gdpr/erasure").as(owner, "dev").json(subject(owner.email())).send();
    assertThat(r.code()).isEqualTo("last_owner");
    assertThat(users(owner.tenantId(), owner.userId())).isOne();
  }

  /** Guards against an erasure request removing a member the caller could not remove directly. */
  @Test
  void erasureWhenAdminErasesAnOwnerOrAdminThenForbiddenAndOwnerMayErase() {
    Member owner = tenants.tenant("gadm");
    Member secondOwner = tenants.user(owner, "owner");
    Member admin = tenants.user(owner, "admin");
    Member otherAdmin = tenants.user(owner, "admin");
    for (Member target : List.of(secondOwner, otherAdmin)) {
      TestApi.Response r =
          api.post("/v1/gdpr/erasure").as(admin, "dev").json(subject(target.email())).send();
      assertThat(r.status()).as("%s", r).isEqualTo(403);
      assertThat(r.code()).isEqualTo("forbidden_role");
      assertThat(users(owner.tenantId(), target.userId())).isOne();
    }
    String viewer = createUser(owner, "erase.viewer@gadm.example").text("user_id");
    assertThat(
            api.post("/v1/gdpr/erasure")
                .as(admin, "dev")
                .json(subject("erase.viewer@gadm.example"))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(users(owner.tenantId(), viewer)).isZero();
    assertThat(
            api.post("/v1/gdpr/erasure")
                .as(owner, "dev")
                .json(subject(otherAdmin.email()))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(users(owner.tenantId(), otherAdmin.userId())).isZero();
  }

  @Test
  void legalHoldWhenPlacedThenErasureSuspendedUntilReleasedAndReasonRedacted() {
    Member owner = tenants.tenant("ghold");
    String email = "held.person@ghold.example";
    String userId = createUser(owner, email).text("user_id");
    TestApi.Response hold =
        api.post("/v1/gdpr/legal-holds")
            .as(owner, "dev")
            .json(
                Map.of(
                    "identifiers",
                    Map.of("email", email),
                    "reason",
                    "Case 12: ask counsel at counsel@lawfirm.example"))
            .send();
    assertThat(hold.status()).as("%s", hold).isEqualTo(201);
    assertThat(hold.text("reason")).isEqualTo("Case 12: ask counsel at <EMAIL_ADDRESS>");

    assertThat(api.post("/v1/gdpr/erasure").as(owner, "dev").json(subject(email)).send().code())
        .isEqualTo("legal_hold");
    assertThat(users(owner.tenantId(), userId)).isOne();
    assertThat(
            api.post("/v1/gdpr/legal-holds/" + hold.text("hold_id") + "/release")
                .as(owner, "dev")
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/gdpr/legal-holds/" + hold.text("hold_id") + "/release")
                .as(owner, "dev")
                .send()
                .code())
        .isEqualTo("hold_released");
    assertThat(api.post("/v1/gdpr/erasure").as(owner, "dev").json(subject(email)).send().status())
        .isEqualTo(200);
    assertThat(users(owner.tenantId(), userId)).isZero();
    String stored =
        tx.tenantLevel(
            TenantId.of(owner.tenantId()),
            () ->
                jdbc.sql("SELECT string_agg(h::text, '|') FROM gdpr_legal_holds h")
                    .query(String.class)
                    .single());
    assertThat(stored).doesNotContain("counsel@lawfirm.example").doesNotContain(email);
  }

  @Test
  void retentionWhenPeriodPassedThenDeactivatedUsersPurgedExceptHeldAndOtherTenantsUntouched() {
    Member a = tenants.tenant("greta");
    Member b = tenants.tenant("gretb");
    Member oldA = tenants.user(a, "viewer");
    Member heldA = tenants.user(a, "viewer");
    Member freshA = tenants.user(a, "viewer");
    Member oldB = tenants.user(b, "viewer");
    for (Member m : List.of(oldA, heldA, freshA)) {
      assertThat(api.post("/v1/users/" + m.userId() + "/deactivate").as(a, "dev").send().status())
          .isEqualTo(200);
    }
    assertThat(api.post("/v1/users/" + oldB.userId() + "/deactivate").as(b, "dev").send().status())
        .isEqualTo(200);
    age(a.tenantId(), List.of(oldA.userId(), heldA.userId()));
    age(b.tenantId(), List.of(oldB.userId()));
    assertThat(
            api.post("/v1/gdpr/legal-holds")
                .as(a, "dev")
                .json(Map.of("identifiers", Map.of("email", heldA.email()), "reason", "dispute"))
                .send()
                .status())
        .isEqualTo(201);

    assertThat(
            api.call("PUT", "/v1/gdpr/retention")
                .as(a, "dev")
                .json(Map.of("data_class", "shoe_sizes", "max_age_days", 30))
                .send()
                .code())
        .isEqualTo("validation_failed");
    assertThat(indexed(a.tenantId(), oldA.userId())).as("indexed when stored").isOne();
    assertThat(
            api.call("PUT", "/v1/gdpr/retention")
                .as(a, "dev")
                .json(Map.of("data_class", "deactivated_users", "max_age_days", 30))
                .send()
                .status())
        .isEqualTo(200);
    TestApi.Response run = api.post("/v1/gdpr/retention/run").as(a, "dev").send();
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    assertThat(run.json().get("purged").get("deactivated_users").asInt()).isEqualTo(1);
    assertThat(users(a.tenantId(), oldA.userId())).isZero();
    assertThat(indexed(a.tenantId(), oldA.userId()))
        .as("the purged member left the subject index")
        .isZero();
    assertThat(indexed(a.tenantId(), heldA.userId())).isOne();
    assertThat(users(a.tenantId(), heldA.userId())).isOne();
    assertThat(users(a.tenantId(), freshA.userId())).isOne();
    assertThat(users(b.tenantId(), oldB.userId())).isOne();
    JsonNode audit =
        api.get("/v1/audit?action=retention.run").as(a, "dev").send().json().get("items");
    assertThat(audit.get(0).get("details").get("purged").get("deactivated_users").asInt())
        .isEqualTo(1);
  }

  @Test
  void removeWhenMemberWasIndexedThenNoSubjectRowRemains() {
    Member owner = tenants.tenant("grem");
    String email = "remove.me@grem.example";
    String userId = createUser(owner, email).text("user_id");
    assertThat(indexed(owner.tenantId(), userId)).as("indexed when stored").isOne();
    assertThat(api.delete("/v1/users/" + userId).as(owner, "dev").send().status()).isEqualTo(204);
    assertThat(indexed(owner.tenantId(), userId))
        .as("the removed member left the subject index")
        .isZero();
    // Nothing of them is found any more, so a lookup indexes nothing again.
    TestApi.Response lookup =
        api.post("/v1/gdpr/subjects/lookup").as(owner, "dev").json(subject(email)).send();
    assertThat(lookup.json().get("records")).isEmpty();
    assertThat(indexed(owner.tenantId(), userId)).isZero();
  }

  @Test
  void scheduledRetentionWhenRunThenPurgesEveryTenantWithPoliciesAsTheSystemActor() {
    Member a = tenants.tenant("gjob");
    Member old = tenants.user(a, "viewer");
    assertThat(api.post("/v1/users/" + old.userId() + "/deactivate").as(a, "dev").send().status())
        .isEqualTo(200);
    age(a.tenantId(), List.of(old.userId()));
    assertThat(
            api.call("PUT", "/v1/gdpr/retention")
                .as(a, "prod")
                .json(Map.of("data_class", "deactivated_users", "max_age_days", 7))
                .send()
                .status())
        .isEqualTo(200);
    retentionJob.run();
    assertThat(users(a.tenantId(), old.userId())).isZero();
    JsonNode audit =
        api.get("/v1/audit?action=retention.run").as(a, "dev").send().json().get("items");
    assertThat(audit.get(0).get("actor_type").asString()).isEqualTo("system");
    assertThat(audit.get(0).get("env").asString()).isEqualTo("prod");
    JsonNode event =
        api.get("/v1/events?surface=audit&action=retention.run")
            .as(a, "prod")
            .send()
            .json()
            .get("items")
            .get(0);
    assertThat(event.get("actor_type").asString()).isEqualTo("system");
    assertThat(event.get("output_refs").toString())
        .contains(audit.get(0).get("entry_id").asString());
    // The run records its own event as the system caller, with the ids of its run, shared with its
    // audit entry.
    JsonNode run =
        api.get("/v1/events?surface=gdpr&action=retention.run")
            .as(a, "prod")
            .send()
            .json()
            .get("items");
    assertThat(run.get(0).get("actor_type").asString()).isEqualTo("system");
    assertThat(run.get(0).get("actor_id").asString()).isEqualTo("retention");
    assertThat(run.get(0).get("kind").asString()).isEqualTo("write");
    assertThat(run.get(0).get("outcome").asString()).isEqualTo("success");
    assertThat(run.get(0).get("output_refs").toString()).contains("deactivated_users");
    assertThat(run.get(0).get("request_id").asString())
        .startsWith("job_")
        .isEqualTo(event.get("request_id").asString());
    assertThat(run.get(0).get("trace_id").asString())
        .isEqualTo(audit.get(0).get("trace_id").asString());
  }

  @Test
  void tenantPurgeWhenOwnerConfirmsThenTenantDataGoneAuditRetainedAndOtherTenantUntouched() {
    Member a = tenants.tenant("gpur");
    Member b = tenants.tenant("gpurb");
    Member adminA = tenants.user(a, "admin");
    assertThat(
            api.call("PUT", "/v1/pii/lists")
                .as(a, "prod")
                .json(Map.of("allow", List.of(), "deny", List.of("Secret Name")))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/gdpr/tenant-purge")
                .as(adminA, "dev")
                .json(Map.of("confirm_tenant_id", a.tenantId()))
                .send()
                .code())
        .isEqualTo("forbidden_role");
    assertThat(
            api.post("/v1/gdpr/tenant-purge")
                .as(a, "dev")
                .json(Map.of("confirm_tenant_id", b.tenantId()))
                .send()
                .code())
        .isEqualTo("validation_failed");
    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(a, "dev")
            .json(Map.of("confirm_tenant_id", a.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    assertThat(purge.json().get("deleted").get("user").asInt()).isEqualTo(2);

    TenantId ta = TenantId.of(a.tenantId());
    assertThat(
            tx.tenantLevel(
                ta, () -> jdbc.sql("SELECT count(*) FROM users").query(Integer.class).single()))
        .isZero();
    assertThat(
            tx.tenantLevel(
                ta, () -> jdbc.sql("SELECT count(*) FROM api_keys").query(Integer.class).single()))
        .isZero();
    assertThat(
            tx.read(
                Caller.system(
                    new dev.engines.core.scope.Scope(ta, dev.engines.core.scope.Env.PROD), "test"),
                () -> jdbc.sql("SELECT count(*) FROM pii_lists").query(Integer.class).single()))
        .isZero();
    List<String> actions =
        tx.tenantLevel(
            ta,
            () ->
                jdbc.sql("SELECT action FROM audit_entries ORDER BY seq")
                    .query(String.class)
                    .list());
    assertThat(actions).first().isEqualTo("tenant.create");
    assertThat(actions).last().isEqualTo("tenant.purge");
    assertThat(api.get("/v1/me").as(a, "dev").send().status()).isEqualTo(401);
    assertThat(api.get("/v1/me").as(b, "dev").send().status()).isEqualTo(200);
  }

  private int indexed(String tenantId, String recordId) {
    return tx.tenantLevel(
        TenantId.of(tenantId),
        () ->
            jdbc.sql("SELECT count(*) FROM gdpr_subject_records WHERE record_id = :id")
                .param("id", recordId)
                .query(Integer.class)
                .single());
  }

  /** Moves members' last change 40 days into the past, as if they had been deactivated then. */
  private void age(String tenantId, List<String> userIds) {
    tx.tenantLevel(
        TenantId.of(tenantId),
        () ->
            jdbc.sql(
                    "UPDATE users SET updated_at = now() - interval '40 days' WHERE user_id = ANY (:ids)")
                .param("ids", userIds.toArray(String[]::new))
                .update());
  }
}
