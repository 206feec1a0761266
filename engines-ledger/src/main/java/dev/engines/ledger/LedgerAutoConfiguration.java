package dev.engines.ledger;

import dev.engines.core.audit.AuditLog;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.ledger.internal.RelayConfiguration;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires the DatasetEvent ledger: the event store ({@link Ledger}), the request's event ({@link
 * RequestLedger}, the {@link EventRecorder} every engine records through and a commit hook of the
 * scoped transactions), the audit trail that names its entries in events, and the outbox relay
 * ({@code engines.ledger.relay}, {@link RelaySettings}). Its schema is {@code db/migration/ledger}
 * (V2, V3, V32, V62); its settings are {@link LedgerSettings} ({@code engines.ledger}); its
 * readiness check refuses a disabled ledger in production.
 */
@AutoConfiguration
@EnableConfigurationProperties({LedgerSettings.class, RelaySettings.class})
@Import(RelayConfiguration.class)
public class LedgerAutoConfiguration {

  @Bean
  Ledger ledger(JdbcClient jdbc) {
    return new Ledger(jdbc);
  }

  /**
   * Standalone events commit in transactions of their own, which no commit hook joins: a request's
   * hooks belong to its changes, not to its event. So the request ledger needs no scoped
   * transactions that it is itself a hook of.
   */
  @Bean
  RequestLedger requestLedger(
      Ledger ledger,
      Clock clock,
      LedgerSettings settings,
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager) {
    return new RequestLedger(
        ledger, clock, settings.recording(), new ScopedTransactions(jdbc, transactionManager));
  }

  @Bean
  AuditTrail auditTrail(AuditLog log, RequestLedger events, Ledger ledger, Clock clock) {
    return new LedgerAuditTrail(log, events, ledger, clock);
  }

  @Bean
  ProductionReadinessCheck ledgerReadinessCheck(LedgerSettings settings) {
    return () ->
        settings.recording()
            ? List.of()
            : List.of(
                new ReadinessFinding(
                    "ledger.disabled",
                    "engines.ledger.enabled is false: requests are not recorded in the DatasetEvent ledger."));
  }
}
