package dev.engines.gates;

import dev.engines.config.ConfigSlot;
import dev.engines.config.EnvConfigs;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ledger.EventRecorder;
import dev.engines.core.pii.TextRedactor;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the gates engine: strategy locks, the kill switch and the gate chain. Its schema is
 * {@code db/migration/gates} (V41–V42). It contributes and reads the {@code gates} config slot
 * ({@link GateSlots}, stored in engines-config). The application provides the action names it has
 * ({@link ActionCatalog}). The engine has no deployment settings of its own: everything it decides
 * is per tenant/env, stored.
 */
@AutoConfiguration
public class GatesAutoConfiguration {

  @Bean
  ConfigSlot gatesSlot() {
    return ConfigSlot.of(GateSlots.GatesSlot.SLOT, GateSlots.GatesSlot::validate);
  }

  /** The env's gates slot; 409 {@code config_missing} when never set. */
  @Bean
  GateSlots gateSlots(EnvConfigs configs) {
    return scope -> GateSlots.GatesSlot.read(configs.require(scope, GateSlots.GatesSlot.SLOT));
  }

  @Bean
  StrategyLocks strategyLocks(JdbcClient jdbc, ScopedTransactions tx, Clock clock, AuditTrail audit, EventRecorder events,
      TextRedactor redactor, GateSlots slots, PurgeFence fence) {
    return new StrategyLocks(jdbc, tx, clock, audit, events, redactor, slots, fence);
  }

  @Bean
  KillSwitchStore killSwitchStore(JdbcClient jdbc) {
    return new KillSwitchStore(jdbc);
  }

  @Bean
  GateChain gateChain(ScopedTransactions tx, Clock clock, KillSwitchStore killSwitches, StrategyLocks locks,
      AuditTrail audit, EventRecorder events) {
    return new GateChain(tx, clock, killSwitches, locks, audit, events);
  }

  @Bean
  KillSwitches killSwitches(JdbcClient jdbc, ScopedTransactions tx, Clock clock, KillSwitchStore store, GateChain chain,
      ActionCatalog catalog, EventRecorder events) {
    return new KillSwitches(jdbc, tx, clock, store, chain, catalog, events);
  }

  /** Locks and kill switch versions go with a tenant purge. */
  @Bean
  ErasureHook gatesErasure(StrategyLocks locks, KillSwitchStore killSwitches) {
    return ErasureHook.purgeOnly("gates", scope -> locks.purge(scope) + killSwitches.purge(scope));
  }
}
