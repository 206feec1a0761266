package dev.engines.core.config;

import dev.engines.core.cluster.ClusterJobSettings;
import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.db.ChangeListener;
import dev.engines.core.idempotency.IdempotencySettings;
import dev.engines.core.readiness.ProductionReadinessCheck;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Wires the configuration framework every engine uses: the deployment's {@code engines.env} slot
 * ({@link EnvSettings}), the operator's accepted readiness findings ({@link ReadinessSettings}) and
 * the one collector that runs every module's {@link ProductionReadinessCheck} at startup ({@link
 * ProductionReadinessGate}); and the optional {@code engines.idempotency} block ({@link
 * IdempotencySettings}), whose keys the web layer wires; and the once-per-cluster lock of scheduled
 * jobs ({@link ClusterJobs}, {@code engines.cluster-jobs}). The early check of every module's
 * settings is not a bean: it runs before the context exists ({@link EarlyConfigurationCheck},
 * registered in {@code META-INF/spring.factories}).
 */
@AutoConfiguration
@EnableConfigurationProperties({
  EnvSettings.class,
  ReadinessSettings.class,
  IdempotencySettings.class,
  ClusterJobSettings.class
})
public class CoreAutoConfiguration {

  @Bean
  ProductionReadinessGate productionReadinessGate(
      EnvSettings env,
      ReadinessSettings readiness,
      ObjectProvider<ProductionReadinessCheck> checks) {
    return new ProductionReadinessGate(env, readiness, checks.orderedStream().toList());
  }

  /**
   * The replica's one connection listening to the database's change notifications, for every
   * notified cache (the API keys, the gates); closed with the context.
   */
  @Bean
  ChangeListener changeListener(DataSource dataSource) {
    return new ChangeListener(dataSource, System::nanoTime);
  }

  @Bean
  ClusterJobs clusterJobs(DataSource dataSource, ClusterJobSettings settings, Clock clock) {
    return new ClusterJobs(dataSource, settings, clock);
  }
}
