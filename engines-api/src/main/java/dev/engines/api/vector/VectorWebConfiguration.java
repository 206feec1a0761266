package dev.engines.api.vector;

import dev.engines.api.envconfig.EnvConfigs;
import dev.engines.api.envconfig.SlotRules;
import dev.engines.nexus.NexusSlots;
import dev.engines.vector.VectorSlot;
import dev.engines.vector.VectorSlots;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Plugs the vector engine into the config slots: the env's {@code vector} slot, bounded by the deployment. */
@Configuration(proxyBeanMethods = false)
public class VectorWebConfiguration {

  /** The env's vector slot; 409 {@code config_missing} when never set. */
  @Bean
  VectorSlots vectorSlots(EnvConfigs configs, SlotRules rules) {
    return scope -> rules.vector(configs.latest(scope, VectorSlot.SLOT)
        .orElseThrow(() -> NexusSlots.missing(VectorSlot.SLOT, scope)).settings());
  }
}
