package dev.engines.config;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.ledger.EventRecorder;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the per tenant/env configuration slots: the versioned store ({@link EnvConfigs}, table
 * {@code env_config}, schema {@code db/migration/config}) over the slots the engines contribute as
 * {@link ConfigSlot} beans. The module has no deployment settings: the bounds a slot is validated
 * against are its engine's.
 */
@AutoConfiguration
public class ConfigAutoConfiguration {

  @Bean
  EnvConfigs envConfigs(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      EventRecorder events,
      ObjectProvider<ConfigSlot> slots) {
    return new EnvConfigs(jdbc, tx, clock, audit, slots.orderedStream().toList(), events);
  }
}
