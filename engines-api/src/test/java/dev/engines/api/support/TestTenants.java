package dev.engines.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.TenantId;
import dev.engines.tenant.KeyCache;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Builds tenants through the public API, the way an operator and an admin would: a tenant with one
 * principal of every kind the isolation matrix needs.
 */
public final class TestTenants {

  private final TestApi api;
  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final KeyCache keyCache;

  /** Tenants made through {@code api}; {@code jdbc} and {@code tx} are the same application's. */
  public TestTenants(TestApi api, JdbcClient jdbc, ScopedTransactions tx) {
    this(api, jdbc, tx, null);
  }

  /**
   * @param keyCache the same application's key cache, told of changes made here in SQL the way the
   *     application's own changes tell it (its notification would come a few milliseconds later)
   */
  public TestTenants(TestApi api, JdbcClient jdbc, ScopedTransactions tx, KeyCache keyCache) {
    this.api = api;
    this.jdbc = jdbc;
    this.tx = tx;
    this.keyCache = keyCache;
  }

  /** A credential acting in a tenant. {@code userId} is null for service keys. */
  public record Member(String tenantId, String userId, String keyId, String token, String email) {}

  /** A tenant with one principal of each kind. */
  public record Fixture(
      String tenantId,
      Member owner,
      Member admin,
      Member member,
      Member viewer,
      Member service,
      Member expired,
      Member revoked,
      Member deactivated) {

    /** Every id and email of this tenant that must never appear in another tenant's responses. */
    public List<String> secrets() {
      return List.of(
          tenantId,
          owner.userId(),
          admin.userId(),
          member.userId(),
          viewer.userId(),
          deactivated.userId(),
          owner.keyId(),
          admin.keyId(),
          service.keyId(),
          owner.email(),
          admin.email(),
          member.email());
    }
  }

  /** A new tenant {@code t_<prefix>_<random>} with its owner. */
  public Member tenant(String prefix) {
    String tenantId = "t_" + prefix + "_" + Ids.randomToken(10);
    String email = "owner-" + Ids.randomToken(8) + "@" + prefix + ".example";
    TestApi.Response created =
        api.post("/v1/operator/tenants")
            .operator()
            .json(
                Map.of(
                    "tenant_id",
                    tenantId,
                    "name",
                    "Tenant " + prefix,
                    "owner",
                    Map.of("email", email, "display_name", "Owner")))
            .send();
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    JsonNode body = created.json();
    return new Member(
        tenantId,
        body.get("owner").get("user_id").asString(),
        body.get("owner_key").get("key").get("key_id").asString(),
        body.get("owner_key").get("token").asString(),
        email);
  }

  /**
   * A new tenant, purged by its owner: what is left is its registry row, audit chain and ledger.
   */
  public String purgedTenant(String prefix) {
    Member owner = tenant(prefix);
    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(owner, "dev")
            .json(Map.of("confirm_tenant_id", owner.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    return owner.tenantId();
  }

  /**
   * The filesystem storage slot the test deployment accepts (its backend, no bucket, the test cap).
   */
  public static final Map<String, Object> FILESYSTEM_STORAGE =
      Map.of("backend", "filesystem", "max_object_bytes", 104857600);

  /** A nexus slot at the test deployment's caps, every atomizer enabled. */
  public static final Map<String, Object> NEXUS =
      Map.of(
          "max_atoms_per_derivation",
          100000,
          "max_atom_text_chars",
          65536,
          "max_atomize_bytes",
          67108864);

  /** A vector slot: spaces up to 1,536 dimensions, every metric and model, ingest not gated. */
  public static final Map<String, Object> VECTOR =
      Map.of("max_dimension", 1536, "ingest_gated", false);

  /**
   * A new tenant whose dev and prod envs have the filesystem storage, nexus and vector slots;
   * staging has none.
   */
  public Member nexusTenant(String prefix) {
    return nexusTenant(prefix, FILESYSTEM_STORAGE);
  }

  /**
   * A new tenant whose dev and prod envs have {@code storage}, the nexus and the vector slot;
   * staging has none.
   */
  public Member nexusTenant(String prefix, Map<String, Object> storage) {
    Member owner = tenant(prefix);
    for (String env : List.of("dev", "prod")) {
      configure(owner, env, "storage", storage);
      configure(owner, env, "nexus", NEXUS);
      configure(owner, env, "vector", VECTOR);
    }
    return owner;
  }

  /**
   * Sets the filesystem storage slot, the nexus slot and the vector slot of {@code env}, as {@code
   * admin}.
   */
  public void configureNexus(Member admin, String env) {
    configure(admin, env, "storage", FILESYSTEM_STORAGE);
    configure(admin, env, "nexus", NEXUS);
    configure(admin, env, "vector", VECTOR);
  }

  /** A session slot within the test deployment's (default) engines.session bounds. */
  public static final Map<String, Object> SESSION =
      Map.of(
          "default_ttl_seconds",
          3600,
          "max_ttl_seconds",
          86400,
          "max_turns",
          1000,
          "max_turn_chars",
          8000,
          "blackboard_max_bytes",
          65536,
          "blackboard_max_keys",
          100);

  /** Sets the session slot of {@code env}, as {@code admin}. */
  public void configureSession(Member admin, String env) {
    configure(admin, env, "session", SESSION);
  }

  /** Writes a config slot's next version as {@code admin}; answers the new version. */
  public int configure(Member admin, String env, String slot, Map<String, Object> settings) {
    TestApi.Response r = api.put("/v1/config/" + slot).as(admin, env).json(settings).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("version").asInt();
  }

  /**
   * A full fixture: owner, admin, member, viewer, a dev-only act-on-behalf member service key, and
   * broken credentials.
   */
  public Fixture fixture(String prefix) {
    Member owner = tenant(prefix);
    Member admin = user(owner, "admin");
    Member member = user(owner, "member");
    Member viewer = user(owner, "viewer");
    Member service = serviceKey(owner, "member", List.of("dev"), true);
    Member expired = user(owner, "member");
    expire(expired);
    Member revoked = user(owner, "member");
    assertThat(
            api.post("/v1/api-keys/" + revoked.keyId() + "/revoke")
                .as(owner, "dev")
                .send()
                .status())
        .isEqualTo(200);
    Member deactivated = user(owner, "member");
    assertThat(
            api.post("/v1/users/" + deactivated.userId() + "/deactivate")
                .as(owner, "dev")
                .send()
                .status())
        .isEqualTo(200);
    return new Fixture(
        owner.tenantId(), owner, admin, member, viewer, service, expired, revoked, deactivated);
  }

  /** A new user with the role, and a personal key created for them by {@code by}. */
  public Member user(Member by, String role) {
    String email = role + "-" + Ids.randomToken(8) + "@example.test";
    TestApi.Response user =
        api.post("/v1/users")
            .as(by, "dev")
            .json(Map.of("email", email, "display_name", "A " + role, "role", role))
            .send();
    assertThat(user.status()).as("%s", user).isEqualTo(201);
    String userId = user.text("user_id");
    TestApi.Response key =
        api.post("/v1/api-keys")
            .as(by, "dev")
            .json(Map.of("kind", "personal", "name", role + " key", "user_id", userId))
            .send();
    assertThat(key.status()).as("%s", key).isEqualTo(201);
    return new Member(
        by.tenantId(),
        userId,
        key.json().get("key").get("key_id").asString(),
        key.text("token"),
        email);
  }

  /** A service key. */
  public Member serviceKey(Member by, String role, List<String> envs, boolean actOnBehalf) {
    Map<String, Object> body =
        new java.util.HashMap<>(
            Map.of("kind", "service", "name", "svc", "role", role, "act_on_behalf", actOnBehalf));
    if (envs != null) {
      body.put("envs", envs);
    }
    TestApi.Response key = api.post("/v1/api-keys").as(by, "dev").json(body).send();
    assertThat(key.status()).as("%s", key).isEqualTo(201);
    return new Member(
        by.tenantId(),
        null,
        key.json().get("key").get("key_id").asString(),
        key.text("token"),
        null);
  }

  /** A legal hold on a made-up subject of the tenant, placed by {@code by}; returns its id. */
  public String legalHold(Member by) {
    TestApi.Response hold =
        api.post("/v1/gdpr/legal-holds")
            .as(by, "dev")
            .json(
                Map.of(
                    "identifiers",
                    Map.of("email", "held-" + Ids.randomToken(8) + "@example.test"),
                    "reason",
                    "fixture"))
            .send();
    assertThat(hold.status()).as("%s", hold).isEqualTo(201);
    return hold.text("hold_id");
  }

  /** Moves a key's expiry into the past (the API only accepts future expiries). */
  public void expire(Member member) {
    tx.tenantLevel(
        TenantId.of(member.tenantId()),
        () -> {
          if (keyCache != null) {
            keyCache.changedAfterCommit(member.tenantId());
          }
          return jdbc.sql(
                  "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE key_id = :id")
              .param("id", member.keyId())
              .update();
        });
  }
}
