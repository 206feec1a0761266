package dev.engines.api.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The configuration step of {@code bin/engines gates}: the application's startup checks, run
 * without serving and without the database (the test profile's database is never contacted).
 */
class ConfigurationGateIntegrationTests {

  @Test
  void checkWhenNoEnginesSettingsThenRefusedWithEveryMissingSlot() {
    ConfigurationGate.Outcome outcome = ConfigurationGate.check(List.of());
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.lines())
        .singleElement()
        .asString()
        .startsWith("configuration refused: Engines configuration is incomplete or invalid")
        .contains("engines.storage: must not be null");
  }

  @Test
  void checkWhenTestProfileThenOkWithItsFindings() {
    ConfigurationGate.Outcome outcome =
        ConfigurationGate.check(
            List.of(
                "--spring.profiles.active=test",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/unreachable"));
    assertThat(outcome.ok()).as("%s", outcome.lines()).isTrue();
    assertThat(outcome.lines())
        .contains(
            "readiness finding storage.filesystem: engines.storage.backend is filesystem: use s3 or gcs "
                + "so replicas share raw objects.");
  }

  @Test
  void checkWhenProductionDeploymentWithUnacceptedFindingThenRefused() {
    ConfigurationGate.Outcome outcome =
        ConfigurationGate.check(
            List.of(
                "--spring.profiles.active=test",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/unreachable",
                "--engines.env.deployment=prod"));
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.lines().getLast())
        .contains("Engines is not production-ready: ")
        .contains("storage.filesystem: engines.storage.backend is filesystem");
  }

  @Test
  void checkWhenAnInvalidValueThenRefusedNamingTheProperty() {
    ConfigurationGate.Outcome outcome =
        ConfigurationGate.check(
            List.of(
                "--spring.profiles.active=test",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/unreachable",
                "--engines.storage.max-object-bytes=-1"));
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.lines())
        .singleElement()
        .asString()
        .contains("engines.storage.max-object-bytes");
  }
}
