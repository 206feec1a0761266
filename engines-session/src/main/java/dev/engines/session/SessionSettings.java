package dev.engines.session;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.session} block: the deployment's outer bounds for every tenant/env's {@code
 * session} slot, and the sweep that removes expired sessions. Optional: a deployment that sets
 * nothing gets the values below, each documented; what a tenant may actually use is its stored
 * slot, which has no default (a missing slot is 409 {@code config_missing}).
 *
 * @param maxTtl the longest TTL a slot may allow (default 30 days; 1 minute to 3650 days)
 * @param maxTurns the most turns a slot may allow per session (default 10,000)
 * @param maxTurnChars the longest turn content a slot may allow, in chars (default 65,536; the PII
 *     pipeline's own input cap still applies)
 * @param maxBlackboardKeys the most blackboard entries a slot may allow per session (default 1,000)
 * @param sweepCron when the sweep runs, as a Spring cron expression (default every five minutes,
 *     {@code 0 *}{@code /5 * * * *}); {@code -} disables it (expired sessions still answer 410 at
 *     once, but stay stored: a production-readiness finding)
 * @param sweepBatchSize sessions removed per transaction (default 500)
 * @param tombstoneRetention how long the tombstones of removed sessions and their turns are kept
 *     for pointers to answer what became of them (default 30 days); the sweep removes older ones
 */
@Validated
@ConfigurationProperties("engines.session")
public record SessionSettings(
    Duration maxTtl,
    @Min(1) @Max(1_000_000) int maxTurns,
    @Min(1) @Max(10_485_760) int maxTurnChars,
    @Min(1) @Max(100_000) int maxBlackboardKeys,
    String sweepCron,
    @Min(1) @Max(10_000) int sweepBatchSize,
    Duration tombstoneRetention) {

  /** The value of {@code sweep-cron} that turns the sweep off. */
  public static final String DISABLED = "-";

  public SessionSettings {
    maxTtl = maxTtl == null ? Duration.ofDays(30) : maxTtl;
    maxTurns = maxTurns == 0 ? 10_000 : maxTurns;
    maxTurnChars = maxTurnChars == 0 ? 65_536 : maxTurnChars;
    maxBlackboardKeys = maxBlackboardKeys == 0 ? 1_000 : maxBlackboardKeys;
    sweepCron = sweepCron == null || sweepCron.isBlank() ? "0 */5 * * * *" : sweepCron.trim();
    sweepBatchSize = sweepBatchSize == 0 ? 500 : sweepBatchSize;
    tombstoneRetention = tombstoneRetention == null ? Duration.ofDays(30) : tombstoneRetention;
  }

  /** The defaults, as a deployment that sets nothing gets them. */
  public static SessionSettings defaults() {
    return new SessionSettings(null, 0, 0, 0, null, 0, null);
  }

  /** The longest TTL in seconds. */
  public int maxTtlSeconds() {
    return (int) maxTtl.toSeconds();
  }

  /** Whether the sweep runs on a schedule. */
  public boolean sweepEnabled() {
    return !DISABLED.equals(sweepCron);
  }

  @AssertTrue(message = "max-ttl must be between 1 minute and 3650 days")
  public boolean isMaxTtlValid() {
    return maxTtl.compareTo(Duration.ofMinutes(1)) >= 0
        && maxTtl.compareTo(Duration.ofDays(3650)) <= 0;
  }

  @AssertTrue(message = "tombstone-retention must be between 1 hour and 3650 days")
  public boolean isTombstoneRetentionValid() {
    return tombstoneRetention.compareTo(Duration.ofHours(1)) >= 0
        && tombstoneRetention.compareTo(Duration.ofDays(3650)) <= 0;
  }

  @AssertTrue(
      message =
          "sweep-cron must be a Spring cron expression (six fields) or - to disable the sweep")
  public boolean isSweepCronValid() {
    return !sweepEnabled() || CronExpression.isValidExpression(sweepCron);
  }
}
