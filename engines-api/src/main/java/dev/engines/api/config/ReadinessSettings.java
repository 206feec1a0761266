package dev.engines.api.config;

import java.util.Set;

/**
 * The {@code engines.readiness} block.
 *
 * @param accept production-readiness finding codes the operator explicitly accepts, e.g.
 *     {@code storage.filesystem} for a single-node deployment
 */
public record ReadinessSettings(Set<String> accept) {

  public ReadinessSettings {
    accept = accept == null ? Set.of() : Set.copyOf(accept);
  }
}
