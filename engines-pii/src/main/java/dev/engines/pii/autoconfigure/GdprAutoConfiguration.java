package dev.engines.pii.autoconfigure;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.ledger.EventRecorder;
import dev.engines.pii.PiiPipeline;
import dev.engines.pii.PiiProperties;
import dev.engines.pii.gdpr.DataSubjects;
import dev.engines.pii.gdpr.Gdpr;
import dev.engines.pii.gdpr.GdprSettings;
import dev.engines.pii.gdpr.RetentionJob;
import dev.engines.pii.gdpr.SubjectRecords;
import dev.engines.tenant.TenantDirectory;
import java.time.Clock;
import java.util.List;
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

  /** {@code hooks} include the PII subject keys ({@code SubjectKeys}): erasure destroys them. */
  @Bean
  Gdpr gdpr(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      DataSubjects subjects,
      SubjectRecords index,
      PiiPipeline pipeline,
      List<ErasureHook> hooks,
      List<RetentionHook> retention,
      PurgeFence fence,
      EventRecorder events) {
    return new Gdpr(
        jdbc, tx, clock, audit, subjects, index, pipeline, hooks, retention, fence, events);
  }

  @Bean
  RetentionJob retentionJob(Gdpr gdpr, TenantDirectory tenants, ClusterJobs cluster) {
    return new RetentionJob(gdpr, tenants, cluster);
  }
}
