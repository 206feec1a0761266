package dev.engines.tenant;

import dev.engines.core.audit.AuditActor;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.CallContext;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.TenantId;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.tenant.internal.Validation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The tenant registry, as the platform operator sees it: create, list, suspend, resume. The
 * operator never reads tenant data; creating a tenant also creates its first owner and that owner's
 * personal key, atomically.
 */
public class TenantDirectory {

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Members members;
  private final ApiKeys apiKeys;
  private final Clock clock;
  private final AuditTrail audit;
  private final EventRecorder events;
  private final KeyCache keyCache;

  public TenantDirectory(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Members members,
      ApiKeys apiKeys,
      Clock clock,
      AuditTrail audit,
      EventRecorder events,
      KeyCache keyCache) {
    this.keyCache = keyCache;
    this.jdbc = jdbc;
    this.tx = tx;
    this.members = members;
    this.apiKeys = apiKeys;
    this.clock = clock;
    this.audit = audit;
    this.events = events;
  }

  /**
   * What creating a tenant returns: the tenant, its first owner and the owner's key (shown once).
   */
  public record Provisioned(Tenant tenant, User owner, IssuedKey ownerKey) {}

  /** The first owner of a new tenant. */
  public record OwnerSpec(String email, String displayName, String idpIssuer, String idpSubject) {}

  /**
   * Creates a tenant with its first owner; 409 {@code tenant_exists} when the id is taken.
   *
   * @param context the operator's request, whose ids the audit entry carries
   */
  public Provisioned create(TenantId tenantId, String name, OwnerSpec owner, CallContext context) {
    Validation.text("name", name, 200);
    Instant now = clock.instant();
    return tx.provisionTenant(
        tenantId,
        () -> {
          int inserted =
              jdbc.sql(
                      "INSERT INTO tenants (tenant_id, name, status, created_at, updated_at)"
                          + " VALUES (:id, :name, 'active', :now, :now) ON CONFLICT DO NOTHING")
                  .param("id", tenantId.value())
                  .param("name", name)
                  .param("now", Sql.ts(now))
                  .update();
          if (inserted == 0) {
            throw EnginesException.conflict(
                "tenant_exists", "A tenant with this id already exists.");
          }
          User user =
              members.insert(
                  tenantId.value(),
                  owner.email(),
                  owner.displayName(),
                  Role.OWNER,
                  owner.idpIssuer(),
                  owner.idpSubject(),
                  now);
          IssuedKey key =
              apiKeys.insertPersonal(
                  tenantId.value(), user.userId(), "bootstrap owner key", "operator", null, now);
          audit.record(
              tenantId,
              null,
              AuditActor.operator(),
              context,
              "tenant.create",
              "tenant",
              tenantId.value(),
              Map.of("owner_user_id", user.userId(), "owner_key_id", key.key().keyId()));
          return new Provisioned(find(tenantId).orElseThrow(), user, key);
        });
  }

  /**
   * Mints a new personal key for the tenant's longest-standing active owner, by the operator: how
   * an operator hands a tenant back its way in when the bootstrap key is lost (the bootstrap key is
   * shown once). 404 when the tenant does not exist, 409 {@code tenant_not_active} when it is
   * suspended or purged, 409 {@code no_active_owner} when no owner is left. Audited as the
   * operator's.
   */
  public IssuedKey mintOwnerKey(TenantId tenantId, CallContext context) {
    Instant now = clock.instant();
    return tx.provisionTenant(
        tenantId,
        () -> {
          Tenant tenant = find(tenantId).orElseThrow(() -> EnginesException.notFound("Tenant"));
          if (!Tenant.ACTIVE.equals(tenant.status())) {
            throw EnginesException.conflict(
                "tenant_not_active", "The tenant is " + tenant.status() + ": resume it first.");
          }
          String owner =
              jdbc.sql(
                      "SELECT user_id FROM users WHERE tenant_id = :id AND role = 'owner' AND status = 'active'"
                          + " ORDER BY created_at, user_id LIMIT 1")
                  .param("id", tenantId.value())
                  .query(String.class)
                  .optional()
                  .orElseThrow(
                      () ->
                          EnginesException.conflict(
                              "no_active_owner",
                              "The tenant has no active owner to issue a key to."));
          IssuedKey key =
              apiKeys.insertPersonal(
                  tenantId.value(), owner, "operator-issued owner key", "operator", null, now);
          audit.record(
              tenantId,
              null,
              AuditActor.operator(),
              context,
              "api_key.create",
              "api_key",
              key.key().keyId(),
              Map.of("kind", key.key().kind(), "user_id", owner, "issued_by", "operator"));
          return key;
        });
  }

  /** Lists tenants ordered by id. */
  public Page<Tenant> list(String cursor, int limit) {
    String after = Cursors.decode(cursor);
    return tx.operator(
        () ->
            Page.of(
                jdbc.sql(
                        "SELECT * FROM tenants WHERE tenant_id > :after ORDER BY tenant_id LIMIT :limit")
                    .param("after", after)
                    .param("limit", limit + 1)
                    .query(TenantDirectory::map)
                    .list(),
                limit,
                Tenant::tenantId));
  }

  /** One tenant, 404 when absent. */
  public Tenant get(TenantId tenantId) {
    return tx.operator(() -> find(tenantId)).orElseThrow(() -> EnginesException.notFound("Tenant"));
  }

  /**
   * Sets a tenant's status; a suspended tenant's credentials are refused on the next request. Runs
   * bound to that one tenant so the change lands in its audit chain in the same transaction.
   */
  public Tenant setStatus(TenantId tenantId, String status, CallContext context) {
    return tx.provisionTenant(
        tenantId,
        () -> {
          int updated =
              jdbc.sql(
                      "UPDATE tenants SET status = :status, updated_at = :now WHERE tenant_id = :id")
                  .param("status", status)
                  .param("now", Sql.ts(clock.instant()))
                  .param("id", tenantId.value())
                  .update();
          if (updated == 0) {
            throw EnginesException.notFound("Tenant");
          }
          keyCache.changedAfterCommit(tenantId.value());
          audit.record(
              tenantId,
              null,
              AuditActor.operator(),
              context,
              Tenant.SUSPENDED.equals(status) ? "tenant.suspend" : "tenant.resume",
              "tenant",
              tenantId.value(),
              Map.of("status", status));
          return find(tenantId).orElseThrow();
        });
  }

  /** The caller's own tenant record. */
  public Tenant current(Caller caller) {
    Tenant tenant =
        tx.read(caller, () -> find(caller.scope().tenant()))
            .orElseThrow(() -> EnginesException.notFound("Tenant"));
    events.output(caller, RefType.TENANT, tenant.tenantId());
    return tenant;
  }

  /** The tenant record inside an already open transaction bound to that tenant. */
  Optional<Tenant> findInScope(TenantId tenantId) {
    return find(tenantId);
  }

  private Optional<Tenant> find(TenantId tenantId) {
    return jdbc.sql("SELECT * FROM tenants WHERE tenant_id = :id")
        .param("id", tenantId.value())
        .query(TenantDirectory::map)
        .optional();
  }

  static Tenant map(ResultSet rs, int row) throws SQLException {
    return new Tenant(
        rs.getString("tenant_id"),
        rs.getString("name"),
        rs.getString("status"),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }
}
