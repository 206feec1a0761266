package dev.engines.api.pii;

import dev.engines.api.config.EnginesProperties;
import dev.engines.api.ledger.RequestLedger;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ledger.EventRecorder;
import dev.engines.pii.DerivedPiiKeys;
import dev.engines.pii.PiiEngine;
import dev.engines.pii.PiiPipeline;
import dev.engines.pii.gdpr.DataSubjects;
import dev.engines.pii.gdpr.SubjectKeys;
import dev.engines.pii.policy.PiiPolicies;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the PII pipeline to the per tenant/env policies and lists stored in the database, and to
 * its keys.
 *
 * <p>Keys ({@link SubjectKeys}): values that identify a data subject (e-mail addresses, phone
 * numbers) are tokenised with that subject's own random key, stored wrapped in {@code
 * pii_subject_keys} and destroyed on erasure. The HMAC pseudonym key and the token key for every
 * other value are derived per tenant/env with HKDF-SHA256 from {@code engines.pii.master-key}
 * ({@link DerivedPiiKeys}), as is each tenant's key-encryption key. Rotating the master key changes
 * every pseudonym and makes earlier tokens irreversible.
 */
@Configuration(proxyBeanMethods = false)
public class PiiConfiguration {

  @Bean
  PiiPolicies piiPolicies(JdbcClient jdbc, ScopedTransactions tx, Clock clock, AuditTrail audit, PurgeFence fence,
      EventRecorder events) {
    return new PiiPolicies(jdbc, tx, clock, audit, fence, events);
  }

  /** The service's keys; also the GDPR erasure hook of record type {@code pii_subject_key}. */
  @Bean
  SubjectKeys subjectKeys(EnginesProperties properties, DataSubjects subjects, JdbcClient jdbc, ScopedTransactions tx,
      Clock clock) {
    return new SubjectKeys(DerivedPiiKeys.fromSecret(properties.pii().masterKey()), subjects, jdbc, tx, clock);
  }

  @Bean
  PiiPipeline piiPipeline(PiiEngine engine, PiiPolicies policies, SubjectKeys keys, RequestLedger events) {
    return new PiiPipeline(engine, policies, keys, events);
  }
}
