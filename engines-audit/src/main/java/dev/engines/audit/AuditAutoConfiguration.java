package dev.engines.audit;

import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.LedgerAutoConfiguration;
import dev.engines.storage.RawStores;
import dev.engines.storage.StorageSettings;
import dev.engines.tenant.TenantAutoConfiguration;
import dev.engines.tenant.TenantDirectory;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires audit anchoring: signed chain heads in the deployment's object store (its first bucket, or
 * the filesystem root), once per cluster. Its table is {@code audit_anchors} ({@code
 * db/migration/audit}, V76); the chain itself is engines-core's {@code AuditLog}.
 */
@AutoConfiguration(after = {LedgerAutoConfiguration.class, TenantAutoConfiguration.class})
@EnableConfigurationProperties(AuditAnchorSettings.class)
public class AuditAutoConfiguration {

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
      AuditAnchorSettings settings) {
    String bucket = storage.buckets().isEmpty() ? "" : storage.buckets().get(0);
    return new AuditAnchors(
        jdbc, tx, stores.at(bucket, ""), tenants, cluster, events, clock, settings.signingKeyset());
  }
}
