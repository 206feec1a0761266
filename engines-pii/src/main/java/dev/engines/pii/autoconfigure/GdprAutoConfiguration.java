package dev.engines.pii.autoconfigure;

import dev.engines.core.gdpr.PurgeFence;
import dev.engines.pii.PiiProperties;
import dev.engines.pii.gdpr.DataSubjects;
import dev.engines.pii.gdpr.GdprSettings;
import dev.engines.pii.gdpr.SubjectRecords;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Wires GDPR: the data subject pseudonym secret (derived from {@code engines.pii.master-key} with
 * the label {@code engines-gdpr-subjects/v1}), the tenant purge fence, the GDPR operations over the
 * erasure and retention hooks every module contributes, and the scheduled retention purge ({@link
 * GdprSettings}, {@code engines.gdpr.retention-cron}, required; {@code -} disables it). Its schema
 * is {@code db/migration/pii} (V22).
 */
@AutoConfiguration
@EnableScheduling
@EnableConfigurationProperties(GdprSettings.class)
public class GdprAutoConfiguration {

  /** Data subject pseudonyms; shared with the PII keys, which key tokens by the same subjects. */
  @Bean
  DataSubjects dataSubjects(PiiProperties properties) {
    return DataSubjects.fromMasterKey(properties.masterKey());
  }

  /**
   * The GDPR subject index: every module records and forgets the records of data subjects through
   * it.
   */
  @Bean
  SubjectRecords subjectRecords(JdbcClient jdbc, Clock clock, DataSubjects subjects) {
    return new SubjectRecords(jdbc, clock, subjects);
  }

  /**
   * Shared by the tenant purge, which raises it, and the writes that bring new data, which check
   * it.
   */
  @Bean
  PurgeFence purgeFence(JdbcClient jdbc) {
    return new PurgeFence(jdbc);
  }
}
