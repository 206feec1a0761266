package dev.engines.core.config;

import dev.engines.core.scope.Env;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.env} slot: what kind of deployment this is and which tenant envs it serves.
 * Required.
 *
 * @param deployment what this deployment is: {@code local}, {@code dev}, {@code staging} or {@code
 *     prod}; {@code prod} turns on the production-readiness checks
 * @param served the tenant envs this deployment answers for; a request for another env is a 403
 *     {@code env_not_served}
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.env")
public record EnvSettings(@NotNull Deployment deployment, @NotEmpty Set<Env> served) {

  /** Kinds of deployment. */
  public enum Deployment {
    LOCAL,
    DEV,
    STAGING,
    PROD
  }
}
