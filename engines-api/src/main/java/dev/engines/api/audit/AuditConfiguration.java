package dev.engines.api.audit;

import dev.engines.api.ledger.RequestLedger;
import dev.engines.core.audit.AuditLog;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.ids.Ids;
import dev.engines.core.ledger.Ledger;
import dev.engines.pii.PiiProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the audit trail. The chain key is derived from the {@code engines.pii.master-key} secret
 * (HMAC-SHA256 with the label {@code engines-audit-chain/v1}), so it never lives in the database
 * the chain is stored in.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

  @Bean
  AuditLog auditLog(JdbcClient jdbc, PiiProperties pii) {
    return new AuditLog(jdbc, chainKey(pii.masterKey()));
  }

  @Bean
  AuditTrail auditTrail(AuditLog log, RequestLedger events, Ledger ledger, Clock clock) {
    return new RequestAuditTrail(log, events, ledger, clock);
  }

  static byte[] chainKey(String masterKey) {
    return Ids.hmacSha256(masterKey.getBytes(StandardCharsets.UTF_8), "engines-audit-chain/v1".getBytes(StandardCharsets.UTF_8));
  }
}
