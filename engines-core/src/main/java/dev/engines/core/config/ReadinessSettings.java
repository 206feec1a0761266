package dev.engines.core.config;

import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code engines.readiness} block. Optional: without it no finding is accepted.
 *
 * @param accept production-readiness finding codes the operator explicitly accepts, e.g. {@code
 *     storage.filesystem} for a single-node deployment
 */
@ConfigurationProperties("engines.readiness")
public record ReadinessSettings(Set<String> accept) {

  public ReadinessSettings {
    accept = accept == null ? Set.of() : Set.copyOf(accept);
  }
}
