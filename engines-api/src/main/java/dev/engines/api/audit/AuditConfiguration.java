package dev.engines.api.audit;

import dev.engines.core.audit.AuditLog;
import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ids.Ids;
import dev.engines.ledger.EventRecorder;
import dev.engines.pii.PiiProperties;
import dev.engines.storage.RawStores;
import dev.engines.storage.StorageSettings;
import dev.engines.tenant.TenantDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the audit log (the trail that appends to it and names its entries in DatasetEvents is the
 * ledger's, {@code LedgerAuditTrail}). The chain key is derived from the {@code
 * engines.pii.master-key} secret (HMAC-SHA256 with the label {@code engines-audit-chain/v1}), so it
 * never lives in the database the chain is stored in.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

  @Bean
  AuditLog auditLog(JdbcClient jdbc, PiiProperties pii) {
    return new AuditLog(jdbc, chainKey(pii.masterKey()));
  }

  /**
   * Audit anchoring: signed chain heads in the deployment's object store (the configured bucket, or
   * the filesystem root), when {@code engines.audit.anchor.signing-keyset} holds a Tink Ed25519
   * keyset; an invalid keyset stops startup.
   */
  @Bean
  AuditAnchors auditAnchors(
      JdbcClient jdbc,
      ScopedTransactions tx,
      RawStores stores,
      StorageSettings storage,
      TenantDirectory tenants,
      ClusterJobs cluster,
      EventRecorder events,
      Clock clock,
      @Value("${engines.audit.anchor.signing-keyset:}") String signingKeyset) {
    String bucket = storage.buckets().isEmpty() ? "" : storage.buckets().get(0);
    return new AuditAnchors(
        jdbc, tx, stores.at(bucket, ""), tenants, cluster, events, clock, signingKeyset);
  }

  static byte[] chainKey(String masterKey) {
    return Ids.hmacSha256(
        masterKey.getBytes(StandardCharsets.UTF_8),
        "engines-audit-chain/v1".getBytes(StandardCharsets.UTF_8));
  }
}
