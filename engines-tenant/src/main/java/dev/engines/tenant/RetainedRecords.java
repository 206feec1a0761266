package dev.engines.tenant;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.TenantId;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The operator's access to a purged tenant's retained records — its audit chain and its ledger,
 * which a tenant purge keeps while it deletes the members and keys that could read them. Only once
 * the purge has started: until then the tenant's own admins read them, and the operator reads no
 * tenant records. The reads run under {@link ScopedTransactions#operatorRecords}, which RLS limits
 * to those tables of that one tenant.
 */
public final class RetainedRecords {

  /** The problem code of an operator read of a tenant that was not purged. */
  public static final String TENANT_NOT_PURGED = "tenant_not_purged";

  private final ScopedTransactions tx;
  private final JdbcClient jdbc;

  public RetainedRecords(ScopedTransactions tx, JdbcClient jdbc) {
    this.tx = tx;
    this.jdbc = jdbc;
  }

  /**
   * Runs {@code read} on {@code tenantId}'s retained records: 404 for an unknown tenant, 409
   * {@value #TENANT_NOT_PURGED} for one whose purge has not started.
   */
  public <T> T read(String tenantId, Supplier<T> read) {
    TenantId tenant = TenantId.of(tenantId);
    return tx.operatorRecords(
        tenant,
        () -> {
          boolean purged =
              jdbc.sql(
                      "SELECT EXISTS (SELECT 1 FROM tenant_purges p WHERE p.tenant_id = t.tenant_id)"
                          + " FROM tenants t WHERE t.tenant_id = :t")
                  .param("t", tenant.value())
                  .query(Boolean.class)
                  .optional()
                  .orElseThrow(() -> EnginesException.notFound("Tenant"));
          if (!purged) {
            throw EnginesException.conflict(
                TENANT_NOT_PURGED,
                "The operator reads a tenant's audit trail and ledger once its purge has started; until then its admins do.");
          }
          return read.get();
        });
  }
}
