package dev.engines.api.pii;

import dev.engines.api.config.EnginesProperties;
import dev.engines.api.ledger.RequestLedger;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.pii.InMemoryPiiKeys;
import dev.engines.pii.PiiEngine;
import dev.engines.pii.PiiPipeline;
import dev.engines.pii.policy.PiiPolicies;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the PII pipeline to the per tenant/env policies and lists stored in the database.
 *
 * <p>Keys: the HMAC pseudonym key and the AES-SIV token key of each tenant/env are derived with
 * HKDF-SHA256 from {@code engines.pii.master-key} ({@code info = engines-pii/<purpose>/<tenant>/<env>}),
 * so no key material is stored in the database and every tenant/env has its own keys. Rotating the
 * master key changes every pseudonym and makes earlier tokens irreversible.
 */
@Configuration(proxyBeanMethods = false)
public class PiiConfiguration {

  @Bean
  PiiPolicies piiPolicies(JdbcClient jdbc, ScopedTransactions tx, Clock clock, AuditTrail audit) {
    return new PiiPolicies(jdbc, tx, clock, audit);
  }

  @Bean
  PiiPipeline piiPipeline(PiiEngine engine, PiiPolicies policies, EnginesProperties properties, RequestLedger events) {
    return new PiiPipeline(engine, policies, InMemoryPiiKeys.fromSecret(properties.pii().masterKey()), events);
  }
}
