package dev.engines.api.config;

import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Runs every module's production-readiness check once all beans exist. Under a {@code prod}
 * deployment, any finding the operator did not list in {@code engines.readiness.accept} aborts
 * startup; elsewhere findings are logged as warnings.
 */
public final class ProductionReadinessGate implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(ProductionReadinessGate.class);

  private final EnginesProperties properties;
  private final List<ProductionReadinessCheck> checks;

  ProductionReadinessGate(EnginesProperties properties, List<ProductionReadinessCheck> checks) {
    this.properties = properties;
    this.checks = checks;
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<ReadinessFinding> findings = checks.stream().flatMap(c -> c.findings().stream()).toList();
    boolean production = properties.env().deployment() == EnvSettings.Deployment.PROD;
    List<ReadinessFinding> blocking = findings.stream()
        .filter(f -> !properties.readiness().accept().contains(f.code()))
        .toList();
    for (ReadinessFinding finding : findings) {
      boolean accepted = properties.readiness().accept().contains(finding.code());
      log.warn("production readiness: {} ({}){}", finding.code(), finding.message(), accepted ? " [accepted]" : "");
    }
    if (production && !blocking.isEmpty()) {
      throw new IllegalStateException("Engines is not production-ready: " + blocking.stream()
          .map(f -> f.code() + ": " + f.message())
          .collect(Collectors.joining("; "))
          + ". Fix them or accept each explicitly in engines.readiness.accept.");
    }
  }
}
