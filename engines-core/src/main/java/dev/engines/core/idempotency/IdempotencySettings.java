package dev.engines.core.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.idempotency} block: how long a retry waits for the first request with its key,
 * when a claim counts as abandoned, and when expired keys are swept. Optional: a deployment that
 * sets nothing gets the values below. How long a key is kept is no setting: {@link #RETENTION}, the
 * window the API promises (docs/api.md, "Retries").
 *
 * @param retryWait how long a retry waits for the first request with its key to finish before it
 *     answers 409 {@code idempotency_key_in_flight} (default 10 s; 0 to 60 s)
 * @param lease how long a claim holds while its request has committed nothing: a retry after that
 *     takes the key over (the first request's commit is then refused, so the change happens once);
 *     longer than any request runs (default 5 min; 1 min to 1 day)
 * @param sweepCron when expired keys are deleted, as a Spring cron expression (default hourly, at
 *     minute 7); {@code -} disables the sweep (expired keys are still never replayed, but stay
 *     stored: a production-readiness finding)
 */
@Validated
@ConfigurationProperties("engines.idempotency")
public record IdempotencySettings(Duration retryWait, Duration lease, String sweepCron) {

  /** How long a key and its response are kept after the first request claimed it. */
  public static final Duration RETENTION = Duration.ofHours(24);

  /** The value of {@code sweep-cron} that turns the sweep off. */
  public static final String DISABLED = "-";

  public IdempotencySettings {
    retryWait = retryWait == null ? Duration.ofSeconds(10) : retryWait;
    lease = lease == null ? Duration.ofMinutes(5) : lease;
    sweepCron = sweepCron == null || sweepCron.isBlank() ? "0 7 * * * *" : sweepCron.trim();
    if (retryWait.isNegative() || retryWait.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException(
          "engines.idempotency.retry-wait must be between 0 and 60 s.");
    }
    if (lease.compareTo(Duration.ofMinutes(1)) < 0 || lease.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "engines.idempotency.lease must be between 1 minute and 1 day.");
    }
  }

  /** The defaults, as a deployment that sets nothing gets them. */
  public static IdempotencySettings defaults() {
    return new IdempotencySettings(null, null, null);
  }

  /** Whether the sweep runs. */
  public boolean sweepEnabled() {
    return !DISABLED.equals(sweepCron);
  }
}
