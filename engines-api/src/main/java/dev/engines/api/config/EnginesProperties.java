package dev.engines.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The application's own optional block, {@code engines.ledger}. Every engine module binds its own
 * settings record ({@code engines.tenant}, {@code engines.storage}, …) in its auto-configuration,
 * and startup checks them all before the context starts ({@code EarlyConfigurationCheck}).
 *
 * @param ledger the optional {@code engines.ledger} block
 */
@ConfigurationProperties("engines")
public record EnginesProperties(Ledger ledger) {

  public EnginesProperties {
    ledger = ledger == null ? new Ledger(true) : ledger;
  }

  /** Whether requests are recorded in the ledger (always, unless measuring its cost). */
  public boolean ledgerEnabled() {
    return ledger.enabled() == null || ledger.enabled();
  }

  /**
   * The optional {@code engines.ledger} block.
   *
   * @param enabled false turns request recording off (a production-readiness finding); the
   *     {@code engines.ledger.relay} block is bound separately by {@code RelaySettings}
   */
  public record Ledger(Boolean enabled) {}
}
