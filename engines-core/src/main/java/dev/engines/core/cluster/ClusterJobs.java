package dev.engines.core.cluster;

import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs a scheduled job's tick on one instance of the cluster: every instance fires the schedule,
 * the first to take the job's lock runs it, the others skip that tick. The lock is ShedLock's JDBC
 * provider on the table {@value #TABLE} (a row per job name, not tenant data), timed by the
 * database's clock so instances with skewed clocks agree. A lock is held while the tick runs and
 * for at least {@link ClusterJobSettings#lockAtLeastFor()} after it started, so an instance whose
 * schedule fires a little later finds the tick taken even when the first one has already finished;
 * it lapses after {@link ClusterJobSettings#lockAtMostFor()} if its holder died.
 *
 * <p>Only the scheduled path goes through here; a direct call of a job (an operator route, a test)
 * runs it as asked. The jobs it guards are idempotent, so a tick run twice after a lapsed lock does
 * the same work twice, never a wrong result.
 */
public final class ClusterJobs {

  /** The lock table (migration V71). */
  public static final String TABLE = "cluster_job_locks";

  private static final Logger log = LoggerFactory.getLogger(ClusterJobs.class);

  private final LockProvider locks;
  private final ClusterJobSettings settings;
  private final Clock clock;

  public ClusterJobs(DataSource dataSource, ClusterJobSettings settings, Clock clock) {
    this.locks =
        new JdbcTemplateLockProvider(
            JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withTableName(TABLE)
                .usingDbTime()
                .build());
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Runs {@code task} as this instance's tick of {@code job}, unless another instance holds the
   * job's lock (it runs this tick, or ran it less than {@code lock-at-least-for} ago).
   *
   * @param job the job's name, the same on every instance (at most 64 chars)
   * @return whether the task ran here
   */
  public boolean tick(String job, Runnable task) {
    Optional<SimpleLock> lock =
        locks.lock(
            new LockConfiguration(
                clock.instant(), job, settings.lockAtMostFor(), settings.lockAtLeastFor()));
    if (lock.isEmpty()) {
      log.info("{}: another instance has this tick; skipped", job);
      return false;
    }
    try {
      task.run();
      return true;
    } finally {
      lock.get().unlock();
    }
  }
}
