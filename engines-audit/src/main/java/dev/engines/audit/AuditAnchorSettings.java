package dev.engines.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.audit.anchor} block. Optional: without a keyset no chain is anchored and
 * verification checks no digest (docs/operations.md, "Audit anchoring"). When the job runs is
 * {@code engines.audit.anchor-cron} ({@code -}, the default, never).
 *
 * @param signingKeyset a Tink JSON keyset of Ed25519 private keys that signs the chain heads, or
 *     blank to anchor nothing; one that does not parse or cannot sign stops startup
 */
@Validated
@ConfigurationProperties("engines.audit.anchor")
public record AuditAnchorSettings(String signingKeyset) {

  public AuditAnchorSettings {
    signingKeyset = signingKeyset == null ? "" : signingKeyset;
  }
}
