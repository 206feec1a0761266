package dev.engines.core.gdpr;

import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import java.time.Instant;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stops new data from landing in a tenant once its purge has started. A tenant purge deletes env by
 * env; an upload that authenticated before the purge and commits its row after the purge passed
 * that env would survive it. So the purge first raises the fence (a {@code tenant_purges} row), and
 * every write that brings new data (uploads, presigns, usage records, PII policies and lists)
 * checks it in the same transaction as its insert.
 *
 * <p>The check and the raise meet on a transaction-scoped advisory lock per tenant, shared by
 * checks and exclusive for the raise: raising waits until the writes that passed the check have
 * committed (the purge then sees their rows), and a write that checks afterwards sees the fence and
 * is refused with 409 {@value #TENANT_PURGING}. The fence stays: a purged tenant takes no new data.
 */
public final class PurgeFence {

  /** The problem code of a write refused because the tenant's purge has started. */
  public static final String TENANT_PURGING = "tenant_purging";

  private final JdbcClient jdbc;

  public PurgeFence(JdbcClient jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  /**
   * Inside a write transaction bound to {@code scope}: 409 {@value #TENANT_PURGING} once the
   * tenant's purge has started; otherwise holds the purge off until the transaction ends.
   */
  public void requireOpen(Scope scope) {
    lock(scope.tenantId(), "pg_advisory_xact_lock_shared");
    // A statement of its own: in READ COMMITTED it takes its snapshot after the lock was granted,
    // so it sees a fence raised while this transaction waited.
    if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM tenant_purges WHERE tenant_id = :t)")
        .param("t", scope.tenantId())
        .query(Boolean.class)
        .single()) {
      throw EnginesException.conflict(
          TENANT_PURGING, "This tenant is being purged and takes no new data.");
    }
  }

  /**
   * Inside a write transaction bound to the tenant: raises the fence, once writes that passed
   * {@link #requireOpen} have committed. Commit it before deleting anything.
   */
  public void raise(Scope scope, String actorId, Instant now) {
    lock(scope.tenantId(), "pg_advisory_xact_lock");
    jdbc.sql(
            "INSERT INTO tenant_purges (tenant_id, started_at, started_by) VALUES (:t, :now, :by)"
                + " ON CONFLICT (tenant_id) DO NOTHING")
        .param("t", scope.tenantId())
        .param("now", Sql.ts(now))
        .param("by", actorId)
        .update();
  }

  private void lock(String tenantId, String function) {
    jdbc.sql("SELECT " + function + "(hashtextextended(:k, 0))")
        .param("k", "tenant-purge/" + tenantId)
        .query()
        .singleRow();
  }
}
