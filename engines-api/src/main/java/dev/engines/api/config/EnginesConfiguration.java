package dev.engines.api.config;

import dev.engines.api.ledger.RequestLedger;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ledger.Ledger;
import dev.engines.pii.PiiEngine;
import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.tenant.AuthSettings;
import dev.engines.tenant.TenantSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires the configuration slots into the engine modules and contributes the core readiness checks. */
@Configuration(proxyBeanMethods = false)
public class EnginesConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  Ledger ledger(JdbcClient jdbc) {
    return new Ledger(jdbc);
  }

  @Bean
  RequestLedger requestLedger(Ledger ledger, Clock clock, EnginesProperties properties) {
    return new RequestLedger(ledger, clock, properties.ledgerEnabled());
  }

  @Bean
  ScopedTransactions scopedTransactions(JdbcClient jdbc, PlatformTransactionManager transactionManager, RequestLedger requestLedger) {
    ScopedTransactions transactions = new ScopedTransactions(jdbc, transactionManager, requestLedger);
    requestLedger.transactions(transactions);
    return transactions;
  }

  @Bean
  TenantSettings tenantSettings(EnginesProperties properties) {
    return properties.tenant();
  }

  @Bean
  AuthSettings authSettings(EnginesProperties properties) {
    return properties.auth();
  }

  @Bean
  EnvSettings envSettings(EnginesProperties properties) {
    return properties.env();
  }

  @Bean
  PiiEngine piiEngine(EnginesProperties properties) {
    return new PiiEngine(properties.pii().settings());
  }

  @Bean
  ProductionReadinessCheck coreReadinessCheck(EnginesProperties properties) {
    return () -> {
      List<ReadinessFinding> findings = new ArrayList<>();
      if (properties.auth().developmentMode()) {
        findings.add(new ReadinessFinding("auth.development",
            "engines.auth.development-mode is on: turn it off and serve JWKS over https."));
      }
      if (!properties.ledgerEnabled()) {
        findings.add(new ReadinessFinding("ledger.disabled",
            "engines.ledger.enabled is false: requests are not recorded in the DatasetEvent ledger."));
      }
      if (properties.storage().backend() == StorageSettings.Backend.FILESYSTEM) {
        findings.add(new ReadinessFinding("storage.filesystem",
            "engines.storage.backend is filesystem: use s3 or gcs so replicas share raw objects."));
      }
      return findings;
    };
  }

  @Bean
  ProductionReadinessGate productionReadinessGate(EnginesProperties properties, List<ProductionReadinessCheck> checks) {
    return new ProductionReadinessGate(properties, checks);
  }
}
