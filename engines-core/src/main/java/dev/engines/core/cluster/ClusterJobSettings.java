package dev.engines.core.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.cluster-jobs} block: how the once-per-cluster lock of scheduled jobs ({@link
 * ClusterJobs}) is held. Optional: a deployment that sets nothing gets the values below.
 *
 * @param lockAtLeastFor how long a tick's lock is held at least, counted from its start: longer
 *     than the instances' schedules drift apart, shorter than the shortest interval between two
 *     ticks of a job (default 30 s; 0 to 1 h)
 * @param lockAtMostFor when a lock whose holder died lapses: longer than any tick runs (default 1
 *     h; above {@code lock-at-least-for}, at most 1 day)
 */
@Validated
@ConfigurationProperties("engines.cluster-jobs")
public record ClusterJobSettings(Duration lockAtLeastFor, Duration lockAtMostFor) {

  public ClusterJobSettings {
    lockAtLeastFor = lockAtLeastFor == null ? Duration.ofSeconds(30) : lockAtLeastFor;
    lockAtMostFor = lockAtMostFor == null ? Duration.ofHours(1) : lockAtMostFor;
    if (lockAtLeastFor.isNegative() || lockAtLeastFor.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "engines.cluster-jobs.lock-at-least-for must be between 0 and 1 h.");
    }
    if (lockAtMostFor.compareTo(lockAtLeastFor) <= 0
        || lockAtMostFor.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "engines.cluster-jobs.lock-at-most-for must be above lock-at-least-for and at most 1 day.");
    }
  }

  /** The defaults, as a deployment that sets nothing gets them. */
  public static ClusterJobSettings defaults() {
    return new ClusterJobSettings(null, null);
  }
}
