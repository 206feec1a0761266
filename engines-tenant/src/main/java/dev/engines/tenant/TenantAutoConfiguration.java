package dev.engines.tenant;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ChangeListener;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.pii.TextRedactor;
import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.ledger.EventRecorder;
import dev.engines.tenant.internal.AuthReadinessCheck;
import dev.engines.tenant.internal.OidcVerifier;
import dev.engines.tenant.internal.TenantRetention;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the tenant runtime: the tenant registry, members, API keys, credentials (operator token,
 * API keys, OIDC JWTs of trusted issuers), the scoping contract ({@link ScopeResolver}), the
 * operator's reads of a purged tenant's retained records, and tenancy data in GDPR requests. Its
 * schema is {@code db/migration/tenant} (V1, V27); its deployment settings are {@link
 * TenantSettings} ({@code engines.tenant}: key lifetimes) and {@link AuthSettings} ({@code
 * engines.auth}: the operator credential and trusted issuers), both required. Its
 * production-readiness finding is {@code auth.development}. The other modules provide the audit
 * trail, the request's event, the redaction of free text ({@link TextRedactor}) and the subject
 * index ({@link SubjectIndex}).
 */
@AutoConfiguration
@EnableConfigurationProperties({TenantSettings.class, AuthSettings.class})
public class TenantAutoConfiguration {

  @Bean
  Members members(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      EventRecorder events,
      AuditTrail audit,
      TextRedactor redactor,
      SubjectIndex subjects,
      KeyCache keyCache) {
    return new Members(jdbc, tx, clock, events, audit, redactor, subjects, keyCache);
  }

  @Bean
  ApiKeys apiKeys(
      JdbcClient jdbc,
      ScopedTransactions tx,
      TenantSettings settings,
      Clock clock,
      EventRecorder events,
      AuditTrail audit,
      TextRedactor redactor,
      KeyCache keyCache) {
    return new ApiKeys(jdbc, tx, settings, clock, events, audit, redactor, keyCache);
  }

  @Bean
  TenantDirectory tenantDirectory(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Members members,
      ApiKeys apiKeys,
      Clock clock,
      AuditTrail audit,
      EventRecorder events,
      KeyCache keyCache) {
    return new TenantDirectory(jdbc, tx, members, apiKeys, clock, audit, events, keyCache);
  }

  @Bean
  ScopeResolver scopeResolver(ScopedTransactions tx, Members members, TenantDirectory tenants) {
    return new ScopeResolver(tx, members, tenants);
  }

  /**
   * Fails startup when a trusted issuer's JWKS is not served over https outside development mode.
   */
  @Bean
  Credentials credentials(
      JdbcClient jdbc,
      ScopedTransactions tx,
      AuthSettings settings,
      Clock clock,
      KeyCache keyCache) {
    return new Credentials(jdbc, tx, new OidcVerifier(settings), settings, clock, keyCache);
  }

  /** The replica's verified API-key rows, kept current by the database's notifications (V78). */
  @Bean
  KeyCache keyCache(ChangeListener changeListener) {
    return new KeyCache(changeListener);
  }

  @Bean
  RetainedRecords retainedRecords(ScopedTransactions tx, JdbcClient jdbc) {
    return new RetainedRecords(tx, jdbc);
  }

  /** Members in GDPR requests (record type {@code user}). */
  @Bean
  UserSubjectData userSubjectData(JdbcClient jdbc, KeyCache keyCache) {
    return new UserSubjectData(jdbc, keyCache);
  }

  /**
   * Deactivated members past their retention period; they leave the GDPR subject index with them.
   */
  @Bean
  RetentionHook deactivatedUsersRetention(JdbcClient jdbc, SubjectIndex subjects) {
    return TenantRetention.deactivatedUsers(jdbc, subjects);
  }

  @Bean
  RetentionHook revokedApiKeysRetention(JdbcClient jdbc) {
    return TenantRetention.revokedApiKeys(jdbc);
  }

  @Bean
  ProductionReadinessCheck tenantReadinessCheck(AuthSettings settings) {
    return new AuthReadinessCheck(settings);
  }
}
