package dev.engines.pii.autoconfigure;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ids.IdKeys;
import dev.engines.ledger.EventRecorder;
import dev.engines.pii.DerivedPiiKeys;
import dev.engines.pii.PiiEngine;
import dev.engines.pii.PiiPipeline;
import dev.engines.pii.PiiProperties;
import dev.engines.pii.Reidentifier;
import dev.engines.pii.gdpr.DataSubjects;
import dev.engines.pii.gdpr.KekRotation;
import dev.engines.pii.gdpr.SubjectKeys;
import dev.engines.pii.policy.PiiPolicies;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the PII pipeline to the per tenant/env policies and lists stored in the database, and to
 * its keys. Its schema is {@code db/migration/pii} (V21–V23, V75); its deployment settings are
 * {@link PiiProperties} ({@code engines.pii}, required). The pipeline is the service's {@code
 * TextRedactor}: every module that stores free text passes it through here first.
 *
 * <p>Keys ({@link SubjectKeys}): values that identify a data subject (e-mail addresses, phone
 * numbers) are tokenised with that subject's own random key, stored wrapped in {@code
 * pii_subject_keys} and destroyed on erasure. The HMAC pseudonym key and the token key for every
 * other value are derived per tenant/env with HKDF-SHA256 from {@code engines.pii.master-key}
 * ({@link DerivedPiiKeys}), the pseudonym root, which is never rotated: changing it would change
 * every pseudonym and make earlier tokens irreversible. The stored keys are sealed under a ring of
 * key-encryption keys ({@link dev.engines.pii.KekRing}: the seed derived from the master key plus
 * an optional Tink keyset, {@code engines.pii.kek-keyset}) that does rotate ({@link KekRotation},
 * docs/adr/0017-kek-ring-rotation.md). The keyed ids of atoms and turns ({@link IdKeys}) derive
 * from the master key too, which never reaches the database.
 */
@AutoConfiguration
@EnableConfigurationProperties(PiiProperties.class)
public class PiiAutoConfiguration {

  /** Throws on an unknown phone region, which stops startup. */
  @Bean
  PiiEngine piiEngine(PiiProperties properties) {
    return new PiiEngine(properties.settings());
  }

  @Bean
  PiiPolicies piiPolicies(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      PurgeFence fence,
      EventRecorder events) {
    return new PiiPolicies(jdbc, tx, clock, audit, fence, events);
  }

  /** The service's keys; also the GDPR erasure hook of record type {@code pii_subject_key}. */
  @Bean
  SubjectKeys subjectKeys(
      PiiProperties properties,
      DataSubjects subjects,
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock) {
    DerivedPiiKeys derived = DerivedPiiKeys.fromSecret(properties.masterKey());
    return new SubjectKeys(derived, properties.kekRing(derived), subjects, jdbc, tx, clock);
  }

  /** Re-sealing stored keys under the KEK ring's primary ({@code bin/engines keys}). */
  @Bean
  KekRotation kekRotation(SubjectKeys keys, JdbcClient jdbc, ScopedTransactions tx) {
    return new KekRotation(keys, jdbc, tx);
  }

  @Bean
  PiiPipeline piiPipeline(
      PiiEngine engine,
      PiiPolicies policies,
      SubjectKeys keys,
      EventRecorder events,
      PiiProperties properties) {
    return new PiiPipeline(engine, policies, keys, events, properties.analysisThreads());
  }

  @Bean
  Reidentifier reidentifier(PiiPipeline pipeline, ScopedTransactions tx, AuditTrail audit) {
    return new Reidentifier(pipeline, tx, audit);
  }

  /**
   * The keys of atom and turn ids, derived from {@code engines.pii.master-key}
   * (docs/adr/0008-keyed-atom-ids.md).
   */
  @Bean
  IdKeys idKeys(PiiProperties properties) {
    return IdKeys.fromSecret(properties.masterKey());
  }
}
