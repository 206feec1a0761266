package dev.engines.api.config;

import dev.engines.api.ledger.RequestLedger;
import dev.engines.core.db.FailFastDataSource;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ledger.Ledger;
import dev.engines.pii.PiiEngine;
import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.tenant.AuthSettings;
import dev.engines.tenant.TenantSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires the configuration slots into the engine modules and contributes the core readiness checks. */
@Configuration(proxyBeanMethods = false)
public class EnginesConfiguration {

  /**
   * Wraps the connection pool so that, once it found the database unreachable, requests fail at once
   * instead of each waiting out the pool's connection timeout ({@link FailFastDataSource}).
   */
  @Bean
  static BeanPostProcessor failFastDataSource() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof DataSource pool && !(bean instanceof FailFastDataSource) ? new FailFastDataSource(pool) : bean;
      }
    };
  }

  /** {@code engines.database.unreachable}: 1 while the service fails fast because the database is gone. */
  @Bean
  MeterBinder databaseReachability(DataSource dataSource) throws SQLException {
    FailFastDataSource source = dataSource.unwrap(FailFastDataSource.class);
    return registry -> Gauge.builder("engines.database.unreachable", source, s -> s.down() ? 1 : 0)
        .description("1 while the database is unreachable and requests fail fast with 503 database_unavailable")
        .register(registry);
  }

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
