package dev.engines.tenant.internal;

import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.tenant.AuthSettings;
import java.util.List;

/**
 * The tenant module's production-readiness finding: {@code auth.development} while development mode
 * is on (plain-http JWKS URIs are accepted then).
 *
 * @param settings the deployment's {@code engines.auth} slot
 */
public record AuthReadinessCheck(AuthSettings settings) implements ProductionReadinessCheck {

  /** The finding's code, as {@code engines.readiness.accept} names it. */
  public static final String DEVELOPMENT = "auth.development";

  @Override
  public List<ReadinessFinding> findings() {
    return settings.developmentMode()
        ? List.of(
            new ReadinessFinding(
                DEVELOPMENT,
                "engines.auth.development-mode is on: turn it off and serve JWKS over https."))
        : List.of();
  }
}
