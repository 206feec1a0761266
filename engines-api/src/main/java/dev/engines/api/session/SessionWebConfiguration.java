package dev.engines.api.session;

import dev.engines.api.envconfig.EnvConfigs;
import dev.engines.nexus.NexusSlots;
import dev.engines.session.SessionSettings;
import dev.engines.session.SessionSlot;
import dev.engines.session.SessionSlots;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Plugs the session engine into the application: the env's {@code session} slot from the config
 * slots, read fresh on every call and held within the deployment's {@code engines.session} bounds.
 */
@Configuration(proxyBeanMethods = false)
public class SessionWebConfiguration {

  /** The env's session slot; 409 {@code config_missing} when never set. */
  @Bean
  SessionSlots sessionSlots(EnvConfigs configs, SessionSettings settings) {
    return scope -> SessionSlot.read(configs.latest(scope, SessionSlot.SLOT)
        .orElseThrow(() -> NexusSlots.missing(SessionSlot.SLOT, scope)).settings(), settings);
  }
}
