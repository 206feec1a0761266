package dev.engines.api.audit;

import dev.engines.core.audit.AuditLog;
import dev.engines.core.ids.Ids;
import dev.engines.pii.PiiProperties;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the audit log (the trail that appends to it and names its entries in DatasetEvents is the
 * ledger's, {@code LedgerAuditTrail}; anchoring the chain outside the database is engines-audit's).
 * The chain key is derived from the {@code engines.pii.master-key} secret (HMAC-SHA256 with the
 * label {@code engines-audit-chain/v1}), so it never lives in the database the chain is stored in.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

  @Bean
  AuditLog auditLog(JdbcClient jdbc, PiiProperties pii) {
    return new AuditLog(jdbc, chainKey(pii.masterKey()));
  }

  static byte[] chainKey(String masterKey) {
    return Ids.hmacSha256(
        masterKey.getBytes(StandardCharsets.UTF_8),
        "engines-audit-chain/v1".getBytes(StandardCharsets.UTF_8));
  }
}
