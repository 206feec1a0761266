package dev.engines.gates;

import dev.engines.config.ConfigSlot;
import dev.engines.config.EnvConfigs;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ChangeListener;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.pii.TextRedactor;
import dev.engines.core.quota.Quotas;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.EventRecorder;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the gates engine: strategy locks, the kill switch, rate limits, quotas and budgets, and the
 * gate chain. Its schema is {@code db/migration/gates} (V41, V42, V65, V70, V80); its deployment
 * settings are {@link GatesSettings} ({@code engines.gates}: the value and ceiling of every limit).
 * It contributes and reads the {@code gates} config slot ({@link GatesSlotRules}, {@link
 * GateSlots}, stored in engines-config). The application provides the action names it has ({@link
 * ActionCatalog}), which alone may have a price in the slot.
 */
@AutoConfiguration
@EnableConfigurationProperties(GatesSettings.class)
public class GatesAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(GatesAutoConfiguration.class);

  /** How often a replica syncs its reserved tokens and local counts with the shared state. */
  static final long SYNC_MILLIS = 200;

  /** The gates slot's name and rules. */
  ConfigSlot gatesSlot(GatesSettings settings, ActionCatalog catalog) {
    GatesSlotRules rules = new GatesSlotRules(settings, catalog::names);
    return ConfigSlot.of(GatesSlotRules.SLOT, rules::validate);
  }

  /** The gates slot; a write drops the env's cached gates on this replica when it commits. */
  @Bean
  ConfigSlot gatesConfigSlot(GatesSettings settings, ActionCatalog catalog, GateStateCache states) {
    ConfigSlot slot = gatesSlot(settings, catalog);
    return ConfigSlot.of(
        slot.name(), slot::validate, scope -> states.changedAfterCommit(scope.tenantId()));
  }

  /**
   * The replica's kill switches and gates slots, kept current by the database's notifications
   * (V80).
   */
  @Bean
  GateStateCache gateStateCache(ChangeListener changeListener, Limiter limiter) {
    return new GateStateCache(changeListener, limiter);
  }

  /** The env's gates slot; 409 {@code config_missing} when never set. */
  @Bean
  GateSlots gateSlots(EnvConfigs configs) {
    return caller -> GatesSlotRules.read(configs.require(caller, GatesSlotRules.SLOT));
  }

  @Bean
  StrategyLocks strategyLocks(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      EventRecorder events,
      TextRedactor redactor,
      GateSlots slots,
      PurgeFence fence) {
    return new StrategyLocks(jdbc, tx, clock, audit, events, redactor, slots, fence);
  }

  @Bean
  KillSwitchStore killSwitchStore(JdbcClient jdbc) {
    return new KillSwitchStore(jdbc);
  }

  @Bean
  Limiter gateLimiter(JdbcClient jdbc) {
    return new Limiter(jdbc);
  }

  @Bean
  TokenReservations tokenReservations(Limiter limiter) {
    return new TokenReservations(limiter::tokens, System::nanoTime);
  }

  @Bean
  LocalCounts localCounts(Limiter limiter) {
    return new LocalCounts(limiter);
  }

  @Bean
  GateChain gateChain(
      ScopedTransactions tx,
      Clock clock,
      KillSwitchStore killSwitches,
      StrategyLocks locks,
      AuditTrail audit,
      EventRecorder events,
      Limiter limiter,
      TokenReservations reservations,
      LocalCounts counts,
      GateStateCache states,
      GatesSettings settings) {
    return new GateChain(
        tx,
        clock,
        killSwitches,
        locks,
        audit,
        events,
        limiter,
        reservations,
        counts,
        states,
        settings);
  }

  /**
   * The sync of this replica with the shared limits, every {@value #SYNC_MILLIS} ms: tokens held
   * unspent for a lease go back to their buckets, the requests counted in memory to the counters;
   * everything at shutdown.
   */
  @Bean
  SmartLifecycle gatesSync(TokenReservations reservations, LocalCounts counts) {
    return new SmartLifecycle() {
      private ScheduledExecutorService executor;

      @Override
      public void start() {
        executor =
            Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("gates-sync").daemon().factory());
        executor.scheduleWithFixedDelay(
            () -> sync(false), SYNC_MILLIS, SYNC_MILLIS, TimeUnit.MILLISECONDS);
      }

      private void sync(boolean all) {
        try {
          reservations.sync(all);
        } catch (RuntimeException e) {
          // The next sync tries again; a failure must not end the schedule.
          log.warn("gates sync: tokens not given back ({})", e.getClass().getSimpleName());
        }
        counts.flush(null);
      }

      @Override
      public void stop() {
        if (executor != null) {
          executor.shutdown();
          executor = null;
          sync(true);
        }
      }

      @Override
      public boolean isRunning() {
        return executor != null;
      }
    };
  }

  @Bean
  Quotas quotas(JdbcClient jdbc, GatesSettings settings, EventRecorder events) {
    return new ResourceQuotas(jdbc, settings, events);
  }

  @Bean
  Usage usage(JdbcClient jdbc, ScopedTransactions tx, GatesSettings settings, LocalCounts counts) {
    return new Usage(jdbc, tx, settings, counts);
  }

  @Bean
  KillSwitches killSwitches(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      KillSwitchStore store,
      GateChain chain,
      ActionCatalog catalog,
      EventRecorder events,
      GateStateCache states) {
    return new KillSwitches(jdbc, tx, clock, store, chain, catalog, events, states);
  }

  /**
   * Locks, kill switch versions, usage counters and totals and rate buckets go with a tenant purge.
   */
  @Bean
  ErasureHook gatesErasure(
      StrategyLocks locks,
      KillSwitchStore killSwitches,
      JdbcClient jdbc,
      TokenReservations reservations,
      LocalCounts counts,
      GateStateCache states) {
    return ErasureHook.purgeOnly(
        "gates",
        scope -> {
          states.changedAfterCommit(scope.tenantId());
          reservations.forget(scope.tenantId());
          counts.forget(scope.tenantId());
          return locks.purge(scope) + killSwitches.purge(scope) + purgeUsage(jdbc, scope);
        });
  }

  /**
   * Deletes the env's counters and totals and the tenant's rate buckets; the tenant-wide buckets go
   * with the first env purged, the purge removes the tenant as a whole.
   */
  private static int purgeUsage(JdbcClient jdbc, Scope scope) {
    return jdbc.sql("DELETE FROM usage_counters WHERE tenant_id = :t AND env = :e")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .update()
        + jdbc.sql("DELETE FROM usage_totals WHERE tenant_id = :t AND env = :e")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .update()
        + jdbc.sql("DELETE FROM rate_buckets WHERE tenant_id = :t")
            .param("t", scope.tenantId())
            .update();
  }
}
