package dev.engines.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.TenantId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The audit trail: what lands in it, that it is append-only, and that verify catches tampering. */
class AuditIntegrationTests extends IntegrationTest {

  private JsonNode entries(Member admin, String action) {
    TestApi.Response r =
        api.get("/v1/audit?limit=500" + (action == null ? "" : "&action=" + action))
            .as(admin, "dev")
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("items");
  }

  private JsonNode verify(Member admin) {
    TestApi.Response r = api.get("/v1/audit/verify").as(admin, "dev").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  @Test
  void keyAndMemberChangesWhenMadeThenAuditedWithIdsOnlyAndReferencedByTheirEvents() {
    Member owner = tenants.tenant("aud");
    Member viewer = tenants.user(owner, "viewer");
    String requestId = "aud-role-" + System.nanoTime();
    assertThat(
            api.patch("/v1/users/" + viewer.userId())
                .as(owner, "prod")
                .header("X-Request-Id", requestId)
                .json(Map.of("role", "member"))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/api-keys/" + viewer.keyId() + "/rotate")
                .as(owner, "dev")
                .json("{}")
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/api-keys/" + viewer.keyId() + "/revoke").as(owner, "dev").send().status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/users/" + viewer.userId() + "/deactivate")
                .as(owner, "dev")
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/users/" + viewer.userId() + "/reactivate")
                .as(owner, "dev")
                .send()
                .status())
        .isEqualTo(200);
    assertThat(api.delete("/v1/users/" + viewer.userId()).as(owner, "dev").send().status())
        .isEqualTo(204);

    JsonNode all = entries(owner, null);
    List<String> actions = new ArrayList<>();
    all.forEach(e -> actions.add(e.get("action").asString()));
    assertThat(actions)
        .containsExactly(
            "tenant.create",
            "user.create",
            "api_key.create",
            "user.role_change",
            "api_key.rotate",
            "api_key.revoke",
            "user.deactivate",
            "user.reactivate",
            "user.remove");
    assertThat(all.get(0).get("env").isNull()).isTrue();
    assertThat(all.get(0).get("actor_type").asString()).isEqualTo("operator");
    JsonNode roleChange = all.get(3);
    assertThat(roleChange.get("env").asString()).isEqualTo("prod");
    assertThat(roleChange.get("actor_id").asString()).isEqualTo(owner.userId());
    assertThat(roleChange.get("key_id").asString()).isEqualTo(owner.keyId());
    assertThat(roleChange.get("request_id").asString()).isEqualTo(requestId);
    assertThat(roleChange.get("trace_id").asString()).matches("[0-9a-f]{32}");
    assertThat(roleChange.get("details").toString())
        .isEqualTo("{\"from\":\"viewer\",\"to\":\"member\"}");
    assertThat(all.toString())
        .doesNotContain(owner.email())
        .doesNotContain(viewer.email())
        .doesNotContain("eng_");

    JsonNode event =
        api.get("/v1/events?request_id=" + requestId)
            .as(owner, "prod")
            .send()
            .json()
            .get("items")
            .get(0);
    assertThat(event.get("output_refs").toString())
        .contains("\"type\":\"audit\"")
        .contains(roleChange.get("entry_id").asString());
    assertThat(verify(owner).get("valid").asBoolean()).isTrue();
    assertThat(verify(owner).get("checked").asLong()).isEqualTo(9);
  }

  @Test
  void listWhenFilteredByTraceOrRequestThenOnlyThatRequestsEntries() {
    // The console's trace view: every audit entry one request appended, found by its trace or
    // request id.
    Member owner = tenants.tenant("audtr");
    String trace = "0af7651916cd43dd8448eb211c80319c";
    TestApi.Response invited =
        api.post("/v1/users")
            .as(owner, "dev")
            .header("traceparent", "00-" + trace + "-b7ad6b7169203331-01")
            .header("X-Request-Id", "audtr-invite")
            .json(Map.of("email", "traced@audtr.example", "display_name", "T", "role", "viewer"))
            .send();
    assertThat(invited.status()).as("%s", invited).isEqualTo(201);
    tenants.user(owner, "member");
    JsonNode byTrace =
        api.get("/v1/audit?trace_id=" + trace).as(owner, "dev").send().json().get("items");
    assertThat(byTrace.size()).isEqualTo(1);
    assertThat(byTrace.get(0).get("action").asString()).isEqualTo("user.create");
    assertThat(byTrace.get(0).get("target_id").asString()).isEqualTo(invited.text("user_id"));
    JsonNode byRequest =
        api.get("/v1/audit?request_id=audtr-invite&action=user.create")
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    assertThat(byRequest.size()).isEqualTo(1);
    assertThat(byRequest.get(0).get("trace_id").asString()).isEqualTo(trace);
    assertThat(
            api.get("/v1/audit?trace_id=" + "0".repeat(31) + "1")
                .as(owner, "dev")
                .send()
                .json()
                .get("items")
                .size())
        .isZero();
    TestApi.Response bad = api.get("/v1/audit?trace_id=NOTHEX").as(owner, "dev").send();
    assertThat(bad.code()).isEqualTo("validation_failed");
    assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("trace_id");
    assertThat(
            api.get("/v1/audit?request_id=a%20b")
                .as(owner, "dev")
                .send()
                .json()
                .get("errors")
                .get(0)
                .get("field")
                .asString())
        .isEqualTo("request_id");
  }

  @Test
  void operatorSuspendAndResumeWhenDoneThenInTheTenantsChain() {
    Member owner = tenants.tenant("audop");
    assertThat(
            api.post("/v1/operator/tenants/" + owner.tenantId() + "/suspend")
                .operator()
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/operator/tenants/" + owner.tenantId() + "/resume")
                .operator()
                .send()
                .status())
        .isEqualTo(200);
    JsonNode all = entries(owner, null);
    assertThat(all.get(1).get("action").asString()).isEqualTo("tenant.suspend");
    assertThat(all.get(2).get("action").asString()).isEqualTo("tenant.resume");
    assertThat(all.get(2).get("actor_type").asString()).isEqualTo("operator");
    assertThat(verify(owner).get("valid").asBoolean()).isTrue();
  }

  @Test
  void concurrentAppendsInOneTenantWhenRacingThenOneChainWithoutForks() throws Exception {
    Member owner = tenants.tenant("audcc");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int n = i;
        calls.add(
            () ->
                api.post("/v1/users")
                    .as(owner, "dev")
                    .json(
                        Map.of(
                            "email",
                            "cc" + n + "@audcc.example",
                            "display_name",
                            "C",
                            "role",
                            "viewer"))
                    .send()
                    .status());
      }
      for (Future<Integer> f : pool.invokeAll(calls)) {
        assertThat(f.get()).isEqualTo(201);
      }
    } finally {
      pool.shutdown();
    }
    JsonNode all = entries(owner, null);
    assertThat(all).hasSize(13);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).get("seq").asLong()).isEqualTo(i + 1);
      if (i > 0) {
        assertThat(all.get(i).get("prev_hash").asString())
            .isEqualTo(all.get(i - 1).get("hash").asString());
      }
    }
    assertThat(verify(owner).get("valid").asBoolean()).isTrue();
  }

  @Test
  void applicationRoleWhenUpdatingOrDeletingEntriesThenRefused() {
    Member owner = tenants.tenant("audro");
    assertThatThrownBy(
            () ->
                tx.tenantLevel(
                    TenantId.of(owner.tenantId()),
                    () -> jdbc.sql("UPDATE audit_entries SET action = 'user.create'").update()))
        .hasStackTraceContaining("permission denied");
    assertThatThrownBy(
            () ->
                tx.tenantLevel(
                    TenantId.of(owner.tenantId()),
                    () -> jdbc.sql("DELETE FROM audit_entries").update()))
        .hasStackTraceContaining("permission denied");
  }

  @Test
  void modifiedEntryWhenVerifiedThenHashMismatchAtThatEntry() throws SQLException {
    Member owner = chainOfFour("audmod");
    asOwner(
        owner.tenantId(),
        "UPDATE audit_entries SET details = '{\"role\":\"owner\"}' WHERE tenant_id = ? AND seq = 2");
    JsonNode result = verify(owner);
    assertThat(result.get("valid").asBoolean()).isFalse();
    assertThat(result.get("problem").asString()).isEqualTo("hash_mismatch");
    assertThat(result.get("first_bad_seq").asLong()).isEqualTo(2);
  }

  @Test
  void insertedEntryWhenVerifiedThenDetected() throws SQLException {
    Member owner = chainOfFour("audins");
    // Shift entries 3.. up by one and forge a new entry 3 that links to entry 2, as an intruder
    // would.
    asOwner(
        owner.tenantId(),
        "UPDATE audit_entries SET seq = seq + 100 WHERE tenant_id = ? AND seq >= 3");
    asOwner(
        owner.tenantId(),
        "UPDATE audit_entries SET seq = seq - 99 WHERE tenant_id = ? AND seq >= 100");
    asOwner(
        owner.tenantId(),
        """
        INSERT INTO audit_entries (tenant_id, seq, entry_id, env, occurred_at, actor_type, actor_id, action, outcome, details,
            trace_id, request_id, prev_hash, hash)
        SELECT tenant_id, 3, 'au_aaaaaaaaaaaaaaaaaaaaaaaaaa', env, occurred_at, actor_type, actor_id, 'user.create', outcome,
            details, trace_id, request_id, hash, encode(sha256(hash::bytea), 'hex')
          FROM audit_entries WHERE tenant_id = ? AND seq = 2""");
    JsonNode result = verify(owner);
    assertThat(result.get("valid").asBoolean()).isFalse();
    assertThat(result.get("first_bad_seq").asLong()).isEqualTo(3);
    assertThat(result.get("problem").asString()).isEqualTo("hash_mismatch");
  }

  @Test
  void forgedEntryAppendedWhenVerifiedThenHashMismatchAtIt() throws SQLException {
    Member owner = chainOfFour("audapp");
    // Linked to the last entry, but a forger cannot compute the keyed hash: the row check finds it
    // before the head check runs.
    asOwner(
        owner.tenantId(),
        """
        INSERT INTO audit_entries (tenant_id, seq, entry_id, env, occurred_at, actor_type, actor_id, action, outcome, details,
            trace_id, request_id, prev_hash, hash)
        SELECT tenant_id, seq + 1, 'au_aaaaaaaaaaaaaaaaaaaaaaaaab', env, occurred_at, actor_type, actor_id, action, outcome,
            details, trace_id, request_id, hash, hash
          FROM audit_entries WHERE tenant_id = ? AND seq = 4""");
    JsonNode result = verify(owner);
    assertThat(result.get("valid").asBoolean()).isFalse();
    assertThat(result.get("problem").asString()).isEqualTo("hash_mismatch");
    assertThat(result.get("first_bad_seq").asLong()).isEqualTo(5);
  }

  @Test
  void entryPastTheHeadWhenVerifiedThenHeadMismatchAtIt() throws SQLException {
    Member owner = chainOfFour("audhead");
    // Every row is sound, but the head still names entry 3: what an append that hashes correctly
    // and leaves the head alone looks like. Only the head check can see it.
    asOwner(
        owner.tenantId(),
        """
        UPDATE audit_chain_heads
           SET last_seq = 3, last_hash = (SELECT prev_hash FROM audit_entries WHERE tenant_id = ? AND seq = 4)
         WHERE tenant_id = current_setting('app.tenant_id')""");
    JsonNode result = verify(owner);
    assertThat(result.get("valid").asBoolean()).isFalse();
    assertThat(result.get("problem").asString()).isEqualTo("head_mismatch");
    assertThat(result.get("checked").asLong()).isEqualTo(4);
    assertThat(result.get("head_seq").asLong()).isEqualTo(3);
    assertThat(result.get("first_bad_seq").asLong()).isEqualTo(4);
  }

  @Test
  void deletedMiddleEntryWhenVerifiedThenSeqGap() throws SQLException {
    Member owner = chainOfFour("auddel");
    asOwner(owner.tenantId(), "DELETE FROM audit_entries WHERE tenant_id = ? AND seq = 2");
    JsonNode result = verify(owner);
    assertThat(result.get("valid").asBoolean()).isFalse();
    assertThat(result.get("problem").asString()).isEqualTo("seq_gap");
    assertThat(result.get("first_bad_seq").asLong()).isEqualTo(3);
  }

  @Test
  void deletedLastEntryWhenVerifiedThenHeadMismatch() throws SQLException {
    Member owner = chainOfFour("audtail");
    asOwner(owner.tenantId(), "DELETE FROM audit_entries WHERE tenant_id = ? AND seq = 4");
    JsonNode result = verify(owner);
    assertThat(result.get("valid").asBoolean()).isFalse();
    assertThat(result.get("problem").asString()).isEqualTo("head_mismatch");
    assertThat(result.get("first_bad_seq").asLong()).isEqualTo(4);
  }

  /**
   * A tenant whose chain holds four entries: tenant.create, user.create, api_key.create,
   * user.role_change.
   */
  private Member chainOfFour(String prefix) {
    Member owner = tenants.tenant(prefix);
    Member viewer = tenants.user(owner, "viewer");
    assertThat(
            api.patch("/v1/users/" + viewer.userId())
                .as(owner, "dev")
                .json(Map.of("role", "member"))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(verify(owner).get("checked").asLong()).isEqualTo(4);
    assertThat(verify(owner).get("valid").asBoolean()).isTrue();
    return owner;
  }

  /** Tampers as the table owner: RLS is forced on the owner too, so it binds the tenant first. */
  private static void asOwner(String tenantId, String sql) throws SQLException {
    try (Connection c =
        DriverManager.getConnection(DB_URL, "engines_owner", "engines_owner_local")) {
      try (PreparedStatement bind =
          c.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
        bind.setString(1, tenantId);
        bind.execute();
      }
      try (PreparedStatement tamper = c.prepareStatement(sql)) {
        tamper.setString(1, tenantId);
        assertThat(tamper.executeUpdate()).isPositive();
      }
    }
  }
}
