package dev.engines.pii.gdpr;

import dev.engines.core.config.RequiredSettings;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.gdpr} slot. Required.
 *
 * @param retentionCron when the scheduled retention purge runs, as a Spring cron expression (six
 *     fields, e.g. {@code 0 17 3 * * *}); {@code -} disables the schedule, leaving the purge to
 *     {@code POST /v1/gdpr/retention/run}
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.gdpr")
public record GdprSettings(@NotBlank String retentionCron) {

  /** The value that turns the schedule off, as Spring's {@code @Scheduled} understands it. */
  public static final String DISABLED = "-";

  @AssertTrue(
      message = "must be a Spring cron expression (six fields) or - to disable the schedule")
  public boolean isRetentionCronValid() {
    return retentionCron == null
        || retentionCron.isBlank()
        || retentionCron.equals(DISABLED)
        || CronExpression.isValidExpression(retentionCron);
  }
}
