package dev.engines.core.config;

import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Runs every module's production-readiness check once all beans exist: the one collector of the
 * checks each module contributes as a {@link ProductionReadinessCheck} bean. Under a {@code prod}
 * deployment, any finding the operator did not list in {@code engines.readiness.accept} aborts
 * startup; elsewhere findings are logged as warnings.
 */
public final class ProductionReadinessGate implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(ProductionReadinessGate.class);

  private final EnvSettings env;
  private final ReadinessSettings readiness;
  private final List<ProductionReadinessCheck> checks;

  ProductionReadinessGate(
      EnvSettings env, ReadinessSettings readiness, List<ProductionReadinessCheck> checks) {
    this.env = env;
    this.readiness = readiness;
    this.checks = List.copyOf(checks);
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<ReadinessFinding> findings = checks.stream().flatMap(c -> c.findings().stream()).toList();
    boolean production = env.deployment() == EnvSettings.Deployment.PROD;
    List<ReadinessFinding> blocking =
        findings.stream().filter(f -> !readiness.accept().contains(f.code())).toList();
    for (ReadinessFinding finding : findings) {
      boolean accepted = readiness.accept().contains(finding.code());
      log.warn(
          "production readiness: {} ({}){}",
          finding.code(),
          finding.message(),
          accepted ? " [accepted]" : "");
    }
    if (production && !blocking.isEmpty()) {
      throw new IllegalStateException(
          "Engines is not production-ready: "
              + blocking.stream()
                  .map(f -> f.code() + ": " + f.message())
                  .collect(Collectors.joining("; "))
              + ". Fix them or accept each explicitly in engines.readiness.accept.");
    }
  }
}
