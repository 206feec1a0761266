package dev.engines.session;

import dev.engines.config.ConfigSlot;
import dev.engines.config.EnvConfigs;
import dev.engines.config.SlotRecords;
import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.ErasedRecords;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.core.ids.IdKeys;
import dev.engines.core.quota.Quotas;
import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.Ledger;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.RawAssets;
import dev.engines.pii.PiiPipeline;
import dev.engines.tenant.TenantDirectory;
import dev.engines.tenant.UserSubjectData;
import dev.engines.vector.Vectors;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * Wires the session engine: sessions and turns, memory, blackboards, message bundles, the sweep of
 * expired sessions and the engine's part in GDPR requests. Its schema is {@code
 * db/migration/session} (V50); its deployment bounds are {@link SessionSettings} ({@code
 * engines.session}). It contributes and reads the env's {@code session} config slot ({@link
 * SessionSlots}, stored in engines-config). The other modules provide the request's event ({@link
 * EventRecorder}), the members a data subject is ({@link UserSubjectData}) and the erasure
 * tombstones ({@link ErasedRecords}).
 */
@AutoConfiguration
@EnableScheduling
@EnableConfigurationProperties(SessionSettings.class)
public class SessionAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SessionAutoConfiguration.class);

  /**
   * The {@code session} slot: its rules are the engine's ({@link SessionSlot#validate}), bounded by
   * {@code engines.session}.
   */
  @Bean
  ConfigSlot sessionSlot(SessionSettings settings) {
    SlotRecords<SessionSlot.Settings> rules = SessionSlot.records(settings);
    return ConfigSlot.of(SessionSlot.SLOT, in -> SessionSlot.validate(in, rules));
  }

  /** The env's session slot; 409 {@code config_missing} when never set. */
  @Bean
  SessionSlots sessionSlots(EnvConfigs configs, SessionSettings settings) {
    return caller -> SessionSlot.read(configs.require(caller, SessionSlot.SLOT), settings);
  }

  @Bean
  Sessions sessions(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      SessionSlots slots,
      PiiPipeline pii,
      EventRecorder events,
      PurgeFence fence,
      IdKeys idKeys,
      Quotas quotas) {
    return new Sessions(jdbc, tx, clock, slots, pii, events, fence, idKeys, quotas);
  }

  @Bean
  Memories memories(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      SessionSlots slots,
      PiiPipeline pii,
      EventRecorder events,
      PurgeFence fence,
      Atoms atoms,
      RawAssets assets,
      ErasedRecords erased,
      Vectors vectors) {
    return new Memories(jdbc, tx, clock, slots, pii, events, fence, atoms, assets, erased, vectors);
  }

  @Bean
  Blackboards blackboards(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      SessionSlots slots,
      PiiPipeline pii,
      EventRecorder events,
      PurgeFence fence) {
    return new Blackboards(jdbc, tx, clock, slots, pii, events, fence);
  }

  @Bean
  Bundles bundles(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      SessionSlots slots,
      EventRecorder events,
      PurgeFence fence,
      IdKeys idKeys) {
    return new Bundles(jdbc, tx, clock, slots, events, fence, idKeys);
  }

  @Bean
  SessionSweep sessionSweep(
      ClusterJobs cluster,
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      Ledger ledger,
      TenantDirectory tenants,
      SessionSettings settings) {
    return new SessionSweep(cluster, jdbc, tx, clock, ledger, tenants, settings);
  }

  /** The sweep on {@code engines.session.sweep-cron}, unless it is {@code -}. */
  @Bean
  SchedulingConfigurer sessionSweepSchedule(SessionSweep sweep, SessionSettings settings) {
    return registrar -> {
      if (settings.sweepEnabled()) {
        registrar.addCronTask(
            () -> {
              try {
                sweep.tick();
              } catch (RuntimeException e) {
                log.error("session sweep: the run failed; the next one retries", e);
              }
            },
            settings.sweepCron());
      }
    };
  }

  /**
   * Sessions in GDPR requests (an {@link ErasureHook}): erasure of a member's sessions, tenant
   * purge.
   */
  @Bean
  SessionErasure sessionErasure(JdbcClient jdbc, UserSubjectData users, Clock clock) {
    return new SessionErasure(jdbc, users, clock);
  }

  @Bean
  RetentionHook sessionsRetention(SessionErasure erasure) {
    return erasure.retention();
  }

  @Bean
  ProductionReadinessCheck sessionReadinessCheck(SessionSettings settings) {
    return () ->
        settings.sweepEnabled()
            ? List.of()
            : List.of(
                new ReadinessFinding(
                    "session.sweep_disabled",
                    "engines.session.sweep-cron is -: expired sessions answer 410 but are never removed; set a schedule."));
  }
}
