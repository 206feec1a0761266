package dev.engines.pii.gdpr;

import dev.engines.core.page.Page;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.TenantId;
import dev.engines.tenant.Tenant;
import dev.engines.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The scheduled retention purge: for every tenant, every env with retention policies, one
 * transaction, as {@link Caller#system} with a fresh context per tenant/env, that purges, appends a
 * {@code retention.run} audit entry (actor {@code system}) and records a {@code gdpr}
 * {@code retention.run} DatasetEvent.
 * A failure in one tenant/env is logged (ids only) and does not stop the others. On several
 * replicas each runs it; purges are idempotent, so a duplicate run only adds an audit entry.
 */
public final class RetentionJob {

  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
  /** The job's name: the actor id of its audit entries and DatasetEvents. */
  static final String JOB = "retention";

  private final Gdpr gdpr;
  private final TenantDirectory tenants;

  public RetentionJob(Gdpr gdpr, TenantDirectory tenants) {
    this.gdpr = gdpr;
    this.tenants = tenants;
  }

  /** Runs every tenant's retention policies. */
  @Scheduled(cron = "${engines.gdpr.retention-cron}")
  public void run() {
    String cursor = null;
    do {
      Page<Tenant> page = tenants.list(cursor, 100);
      for (Tenant tenant : page.items()) {
        TenantId id = TenantId.of(tenant.tenantId());
        for (Env env : gdpr.envsWithRetention(id)) {
          try {
            log.info("retention: {}/{} purged {}", id.value(), env.wire(), gdpr.runScheduledRetention(Caller.system(id, env, JOB)));
          } catch (RuntimeException e) {
            log.error("retention: {}/{} failed", id.value(), env.wire(), e);
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
  }
}
