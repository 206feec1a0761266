package dev.engines.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.audit.AuditAnchors;
import dev.engines.core.audit.AuditActor;
import dev.engines.core.audit.AuditLog;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.PutOptions;
import dev.engines.storage.RawStore;
import dev.engines.storage.RawStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Audit anchoring end to end: signed chain heads exported to the object store, and verify checking
 * the chain against them (docs/adr/audit-hash-chain.md, "Anchoring").
 */
class AuditAnchoringIntegrationTests extends IntegrationTest {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @Autowired private AuditAnchors anchors;
  @Autowired private AuditLog auditLog;
  @Autowired private RawStores stores;

  private RawStore store() {
    return stores.at("", "");
  }

  /** A tenant with a few audited actions (its owner key, two policy changes). */
  private Member audited(String prefix) {
    Member owner = tenants.nexusTenant(prefix);
    for (String operator : List.of("replace", "redact")) {
      TestApi.Response put =
          api.call("PUT", "/v1/pii/policy")
              .as(owner, "dev")
              .json(Map.of("default_operator", operator))
              .send();
      assertThat(put.status()).as("%s", put).isEqualTo(200);
    }
    return owner;
  }

  private JsonNode verify(Member m) {
    TestApi.Response r = api.get("/v1/audit/verify").as(m, "dev").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  private long anchor(Member m) {
    Optional<Long> seq = anchors.anchor(TenantId.of(m.tenantId()));
    assertThat(seq).as("a chain with entries is anchored").isPresent();
    return seq.get();
  }

  private byte[] read(ObjectKey key) throws IOException {
    try (InputStream in = store().open(key)) {
      return in.readAllBytes();
    }
  }

  private void write(ObjectKey key, byte[] content) {
    store().put(key, new ByteArrayInputStream(content), PutOptions.of("application/json", 65536));
  }

  @Test
  void verifyWhenTheDbaRewritesTheWholeChainConsistentlyThenTheSignedHeadNoLongerMatches()
      throws Exception {
    Member owner = audited("anrw");
    long seq = anchor(owner);
    assertThat(verify(owner).get("valid").asBoolean()).isTrue();
    JsonNode digest =
        JSON.readTree(read(ObjectKey.auditDigest(TenantId.of(owner.tenantId()), seq)));
    JsonNode payload = JSON.readTree(digest.get("payload").asString());
    assertThat(payload.get("tenant_id").asString()).isEqualTo(owner.tenantId());
    assertThat(payload.get("seq").asLong()).isEqualTo(seq);
    assertThat(digest.get("key_id").asString()).startsWith("tink/");
    assertThat(digest.get("signature").asString()).isNotBlank();

    // The attacker owns the database and even holds the chain key: every row is replaced by a
    // forged history and every hash recomputed, so the chain alone verifies.
    asOwner(owner.tenantId(), "DELETE FROM audit_entries WHERE tenant_id = ?");
    asOwner(owner.tenantId(), "DELETE FROM audit_chain_heads WHERE tenant_id = ?");
    tx.provisionTenant(
        TenantId.of(owner.tenantId()),
        () -> {
          for (long i = 1; i <= seq; i++) {
            auditLog.append(
                new AuditLog.Draft(
                    owner.tenantId(),
                    "dev",
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i),
                    AuditActor.system("forged"),
                    "pii.policy_update",
                    "pii_policy",
                    "dev",
                    "success",
                    Map.of("forged", i),
                    "0af7651916cd43dd8448eb211c80319c",
                    "forged-" + i));
          }
          return null;
        });

    JsonNode v = verify(owner);
    assertThat(v.get("valid").asBoolean()).isFalse();
    assertThat(v.get("problem").asString()).isEqualTo("anchor_mismatch");
    assertThat(v.get("first_bad_seq").asLong()).isEqualTo(seq);
    assertThat(v.get("checked").asLong()).as("the chain itself recomputes").isEqualTo(seq);
  }

  @Test
  void verifyWhenTheLatestDigestIsForgedThenTheSignatureIsRefused() throws Exception {
    Member owner = audited("anfg");
    long seq = anchor(owner);
    ObjectKey latest = ObjectKey.auditLatest(TenantId.of(owner.tenantId()));
    ObjectNode digest = (ObjectNode) JSON.readTree(read(latest));
    ObjectNode payload = (ObjectNode) JSON.readTree(digest.get("payload").asString());
    payload.put("head_hash", "0".repeat(64));
    digest.put("payload", JSON.writeValueAsString(payload));
    write(latest, JSON.writeValueAsBytes(digest));

    JsonNode v = verify(owner);
    assertThat(v.get("valid").asBoolean()).isFalse();
    assertThat(v.get("problem").asString()).isEqualTo("anchor_signature_invalid");
    assertThat(v.get("first_bad_seq").asLong()).isEqualTo(seq);
  }

  @Test
  void verifyWhenADigestIsDeletedAfterAnchoringThenTheAnchorIsMissing() {
    Member owner = audited("anms");
    TenantId tenant = TenantId.of(owner.tenantId());
    long seq = anchor(owner);
    assertThat(store().delete(ObjectKey.auditDigest(tenant, seq))).isTrue();
    JsonNode v = verify(owner);
    assertThat(v.get("valid").asBoolean()).isFalse();
    assertThat(v.get("problem").asString()).isEqualTo("anchor_missing");

    assertThat(store().delete(ObjectKey.auditLatest(tenant))).isTrue();
    v = verify(owner);
    assertThat(v.get("problem").asString())
        .as("both objects gone: the database still knows an anchor was made")
        .isEqualTo("anchor_missing");
    assertThat(v.get("first_bad_seq").asLong()).isEqualTo(seq);
  }

  @Test
  void anchorWhenTheChainMovesThenANewDigestLinksTheLastAndRawReconcileKeepsThemAll()
      throws Exception {
    Member owner = audited("anrc");
    TenantId tenant = TenantId.of(owner.tenantId());
    long first = anchor(owner);
    assertThat(anchors.anchor(tenant)).as("nothing new to anchor").isEmpty();
    TestApi.Response put =
        api.call("PUT", "/v1/pii/policy")
            .as(owner, "prod")
            .json(Map.of("default_operator", "mask"))
            .send();
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    long second = anchor(owner);
    assertThat(second).isGreaterThan(first);
    byte[] firstDigest = read(ObjectKey.auditDigest(tenant, first));
    JsonNode payload =
        JSON.readTree(
            JSON.readTree(read(ObjectKey.auditDigest(tenant, second))).get("payload").asString());
    assertThat(payload.get("previous_seq").asLong()).isEqualTo(first);
    assertThat(payload.get("previous_digest_sha256").asString())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(firstDigest)));
    assertThat(verify(owner).get("valid").asBoolean()).isTrue();
    List<Map<String, Object>> recorded =
        tx.read(
            dev.engines.core.scope.Caller.system(Scope.of(owner.tenantId(), "prod"), "test"),
            () ->
                jdbc.sql(
                        "SELECT actor_type, actor_id FROM dataset_events WHERE tenant_id = :t"
                            + " AND env = 'prod' AND action = 'audit.anchor'")
                    .param("t", owner.tenantId())
                    .query()
                    .listOfRows());
    assertThat(recorded)
        .as("the anchoring of a chain whose newest entry is in prod is a system job's event there")
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get("actor_type")).isEqualTo("system");
              assertThat(row.get("actor_id")).isEqualTo(AuditAnchors.CLUSTER_JOB);
            });

    // An orphan raw object, so reconcile demonstrably deletes something.
    Scope dev = Scope.of(owner.tenantId(), "dev");
    store()
        .put(
            ObjectKey.rawAsset(dev, "ra_orphan0000000000", "left.txt"),
            new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)),
            PutOptions.of("text/plain", 10));
    int removed = 0;
    for (String env : List.of("dev", "prod")) {
      TestApi.Response r =
          api.post("/v1/storage/reconcile").as(owner, env).json(Map.of("grace_seconds", 0)).send();
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      removed += r.json().get("removed_objects").asInt();
    }
    assertThat(removed).as("the orphan went").isEqualTo(1);
    for (ObjectKey key :
        List.of(
            ObjectKey.auditDigest(tenant, first),
            ObjectKey.auditDigest(tenant, second),
            ObjectKey.auditLatest(tenant))) {
      assertThat(store().head(key)).as("%s survives raw reconcile", key).isPresent();
    }
    assertThat(verify(owner).get("valid").asBoolean()).isTrue();
  }

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
