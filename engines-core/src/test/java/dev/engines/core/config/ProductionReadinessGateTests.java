package dev.engines.core.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.core.scope.Env;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one collector of every module's readiness checks; no Spring, no database. */
class ProductionReadinessGateTests {

  private static final ProductionReadinessCheck STORAGE =
      () -> List.of(new ReadinessFinding("storage.filesystem", "shared?"));
  private static final ProductionReadinessCheck AUTH =
      () -> List.of(new ReadinessFinding("auth.development", "dev mode"));
  private static final ProductionReadinessCheck NOTHING = List::of;

  @Test
  void startWhenProductionWithFindingsThenFailsNamingEveryUnacceptedOne() {
    ProductionReadinessGate gate =
        gate(EnvSettings.Deployment.PROD, Set.of(), STORAGE, AUTH, NOTHING);
    assertThatThrownBy(gate::afterSingletonsInstantiated)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Engines is not production-ready: ")
        .hasMessageContaining("storage.filesystem: shared?")
        .hasMessageContaining("auth.development: dev mode")
        .hasMessageContaining("engines.readiness.accept");
  }

  @Test
  void startWhenProductionAndOnlySomeAcceptedThenFailsNamingTheOthersOnly() {
    ProductionReadinessGate gate =
        gate(EnvSettings.Deployment.PROD, Set.of("storage.filesystem"), STORAGE, AUTH);
    assertThatThrownBy(gate::afterSingletonsInstantiated)
        .hasMessageContaining("auth.development")
        .hasMessageNotContaining("storage.filesystem:");
  }

  @Test
  void startWhenEveryFindingAcceptedOrNotProductionThenStarts() {
    assertThatCode(
            gate(
                    EnvSettings.Deployment.PROD,
                    Set.of("storage.filesystem", "auth.development"),
                    STORAGE,
                    AUTH)
                ::afterSingletonsInstantiated)
        .doesNotThrowAnyException();
    assertThatCode(
            gate(EnvSettings.Deployment.STAGING, Set.of(), STORAGE, AUTH)
                ::afterSingletonsInstantiated)
        .doesNotThrowAnyException();
  }

  private static ProductionReadinessGate gate(
      EnvSettings.Deployment deployment, Set<String> accepted, ProductionReadinessCheck... checks) {
    return new ProductionReadinessGate(
        new EnvSettings(deployment, Set.of(Env.DEV)),
        new ReadinessSettings(accepted),
        List.of(checks));
  }
}
