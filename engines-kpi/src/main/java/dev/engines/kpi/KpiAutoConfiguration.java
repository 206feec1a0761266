package dev.engines.kpi;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.pii.TextRedactor;
import dev.engines.gates.GateChain;
import dev.engines.gates.GatesAutoConfiguration;
import dev.engines.ledger.EventRecorder;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the KPI engine: KPI definitions and corridors, metric observations and Temperature. Its
 * schema is {@code db/migration/kpi} (V40). Threshold changes pass the gates engine's chain. The
 * engine has no deployment settings of its own: its bounds (1,000 observations a call, windows of
 * 1–90 days, the decimal rules) are part of its locked contract, and everything else is per
 * tenant/env, stored.
 */
@AutoConfiguration(after = GatesAutoConfiguration.class)
public class KpiAutoConfiguration {

  @Bean
  Kpis kpis(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      EventRecorder events,
      TextRedactor redactor,
      GateChain gates,
      PurgeFence fence) {
    return new Kpis(jdbc, tx, clock, audit, events, redactor, gates, fence);
  }

  @Bean
  Observations observations(
      JdbcClient jdbc, ScopedTransactions tx, Clock clock, EventRecorder events, PurgeFence fence) {
    return new Observations(jdbc, tx, clock, events, fence);
  }

  @Bean
  Temperatures temperatures(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      EventRecorder events,
      GateChain gates,
      PurgeFence fence,
      Observations observations,
      Kpis kpis) {
    return new Temperatures(jdbc, tx, clock, events, gates, fence, observations, kpis);
  }

  /** Everything of the engine goes with a tenant purge. */
  @Bean
  ErasureHook kpiErasure(Kpis kpis, Temperatures temperatures, Observations observations) {
    return ErasureHook.purgeOnly(
        "kpi", scope -> temperatures.purge(scope) + observations.purge(scope) + kpis.purge(scope));
  }
}
