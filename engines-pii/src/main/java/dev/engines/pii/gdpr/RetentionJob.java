package dev.engines.pii.gdpr;

import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.TenantId;
import dev.engines.tenant.Tenant;
import dev.engines.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The scheduled retention purge: for every tenant, every env with retention policies, one
 * transaction, as {@link Caller#system} with a fresh context per tenant/env, that purges, appends a
 * {@code retention.run} audit entry (actor {@code system}) and records a {@code gdpr} {@code
 * retention.run} DatasetEvent. A failure in one tenant/env is logged (ids only) and does not stop
 * the others. On several replicas one runs each scheduled tick ({@link ClusterJobs}); purges are
 * idempotent, so a run twice (a lapsed lock, an operator's run) only adds an audit entry and its
 * event.
 */
public final class RetentionJob {

  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

  /** The job's name: the actor id of its audit entries and DatasetEvents. */
  static final String JOB = "retention";

  /** The job's name in the cluster lock. */
  public static final String CLUSTER_JOB = "gdpr.retention";

  private final Gdpr gdpr;
  private final TenantDirectory tenants;
  private final ClusterJobs cluster;

  public RetentionJob(Gdpr gdpr, TenantDirectory tenants, ClusterJobs cluster) {
    this.gdpr = gdpr;
    this.tenants = tenants;
    this.cluster = cluster;
  }

  /**
   * The scheduled tick: runs on the one instance that takes the job's cluster lock; answers whether
   * it ran here.
   */
  @Scheduled(cron = "${engines.gdpr.retention-cron}")
  public boolean tick() {
    return cluster.tick(CLUSTER_JOB, this::run);
  }

  /** Runs every tenant's retention policies. */
  public void run() {
    String cursor = null;
    do {
      Page<Tenant> page = tenants.list(cursor, 100);
      for (Tenant tenant : page.items()) {
        TenantId id = TenantId.of(tenant.tenantId());
        for (Env env : gdpr.envsWithRetention(id)) {
          try {
            log.info(
                "retention: {}/{} purged {}",
                id.value(),
                env.wire(),
                gdpr.runScheduledRetention(Caller.system(id, env, JOB)));
          } catch (RuntimeException e) {
            log.error("retention: {}/{} failed", id.value(), env.wire(), e);
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
  }
}
