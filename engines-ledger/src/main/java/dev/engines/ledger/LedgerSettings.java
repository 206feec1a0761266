package dev.engines.ledger;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The optional {@code engines.ledger} block. The {@code engines.ledger.relay} block is bound
 * separately, by {@link RelaySettings}.
 *
 * @param enabled false turns request recording off (a production-readiness finding); only to
 *     measure the ledger's own cost
 */
@ConfigurationProperties("engines.ledger")
public record LedgerSettings(Boolean enabled) {

  /** Whether requests are recorded in the ledger (always, unless measuring its cost). */
  public boolean recording() {
    return enabled == null || enabled;
  }
}
