package dev.engines.api.idempotency;

import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.idempotency.Idempotency;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.tenant.Tenant;
import dev.engines.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired idempotency keys, with their kept responses, in every tenant and env: one
 * transaction per tenant/env, a failure logged (ids only) without stopping the others. Expired keys
 * are never replayed even before it runs (a claim replaces them). One replica runs each scheduled
 * tick ({@link ClusterJobs}); a run twice (a lapsed lock) deletes what expired twice, never a wrong
 * result.
 */
public final class IdempotencySweep {

  private static final Logger log = LoggerFactory.getLogger(IdempotencySweep.class);

  /** The job's name in the cluster lock. */
  public static final String CLUSTER_JOB = "idempotency.sweep";

  private final Idempotency idempotency;
  private final TenantDirectory tenants;
  private final ClusterJobs cluster;

  IdempotencySweep(Idempotency idempotency, TenantDirectory tenants, ClusterJobs cluster) {
    this.idempotency = idempotency;
    this.tenants = tenants;
    this.cluster = cluster;
  }

  /**
   * The scheduled tick: runs on the one instance that takes the job's cluster lock; answers whether
   * it ran here.
   */
  public boolean tick() {
    return cluster.tick(CLUSTER_JOB, this::run);
  }

  /** Runs the sweep once; answers how many keys went. */
  public int run() {
    int removed = 0;
    String cursor = null;
    do {
      Page<Tenant> page = tenants.list(cursor, 100);
      for (Tenant tenant : page.items()) {
        for (Env env : Env.values()) {
          Scope scope = new Scope(TenantId.of(tenant.tenantId()), env);
          try {
            removed += idempotency.sweep(Caller.system(scope, CLUSTER_JOB));
          } catch (RuntimeException e) {
            log.error("idempotency sweep: {} failed; the next run retries", scope, e);
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    if (removed > 0) {
      log.info("idempotency sweep: removed {} expired keys", removed);
    }
    return removed;
  }
}
