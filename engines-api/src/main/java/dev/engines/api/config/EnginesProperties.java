package dev.engines.api.config;

import dev.engines.tenant.AuthSettings;
import dev.engines.tenant.TenantSettings;
import dev.engines.vector.VectorSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import java.util.Set;

/**
 * The required configuration slots. Every slot must be present and valid: startup fails with one
 * message that lists every missing or invalid property, and nothing falls back to a default.
 *
 * @param tenant tenancy and key policy
 * @param env which envs this deployment serves and what kind of deployment it is
 * @param auth operator credential and trusted OIDC issuers
 * @param storage raw object storage backend
 * @param nexus Nexus limits
 * @param vector vector limits and search tuning (the vector engine's own settings record, bound here too so
 *     that startup lists its problems with every other slot's)
 * @param pii the PII pipeline's limits and key material
 * @param gdpr the retention purge schedule
 * @param readiness production-readiness findings explicitly accepted by the operator (optional)
 * @param ledger the optional {@code engines.ledger} block
 */
@Validated
@ConfigurationProperties("engines")
public record EnginesProperties(
    @NotNull @Valid TenantSettings tenant,
    @NotNull @Valid EnvSettings env,
    @NotNull @Valid AuthSettings auth,
    @NotNull @Valid StorageSettings storage,
    @NotNull @Valid NexusSettings nexus,
    @NotNull @Valid VectorSettings vector,
    @NotNull @Valid PiiSlot pii,
    @NotNull @Valid GdprSettings gdpr,
    ReadinessSettings readiness,
    Ledger ledger) {

  public EnginesProperties {
    readiness = readiness == null ? new ReadinessSettings(Set.of()) : readiness;
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
