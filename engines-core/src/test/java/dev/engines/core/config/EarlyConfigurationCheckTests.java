package dev.engines.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The one startup message that lists every missing or invalid slot, over settings records of the
 * shape the modules declare; and how the check finds the records (the auto-configurations'
 * {@code @EnableConfigurationProperties}). No Spring context, no database.
 */
class EarlyConfigurationCheckTests {

  /** A required slot with a nested block. */
  @RequiredSettings
  @ConfigurationProperties("engines.alpha")
  record Alpha(@NotBlank String name, @Positive int limit, @NotNull @Valid Inner inner) {
    record Inner(@NotNull Duration timeout) {}
  }

  /** Another required slot. */
  @RequiredSettings
  @ConfigurationProperties("engines.beta")
  record Beta(@NotBlank String bucket) {}

  /** An optional block: checked when set, silent when absent. */
  @ConfigurationProperties("engines.gamma")
  record Gamma(@Positive int size) {}

  private static final List<Class<?>> SETTINGS = List.of(Alpha.class, Beta.class, Gamma.class);

  @Test
  void problemsWhenEverySlotValidOrOptionalAbsentThenNone() {
    assertThat(
            EarlyConfigurationCheck.problems(
                binder(
                    Map.of(
                        "engines.alpha.name",
                        "a",
                        "engines.alpha.limit",
                        "1",
                        "engines.alpha.inner.timeout",
                        "2s",
                        "engines.beta.bucket",
                        "b")),
                SETTINGS))
        .isEmpty();
  }

  @Test
  void problemsWhenRequiredSlotsMissingThenEachNamedOnceAndOptionalOneNotAtAll() {
    assertThat(EarlyConfigurationCheck.problems(binder(Map.of()), SETTINGS))
        .containsExactly("engines.alpha: must not be null", "engines.beta: must not be null");
  }

  @Test
  void problemsWhenSeveralSlotsInvalidThenOneSortedListWithFullKebabNames() {
    List<String> problems =
        EarlyConfigurationCheck.problems(
            binder(
                Map.of(
                    "engines.alpha.name",
                    " ",
                    "engines.alpha.limit",
                    "0",
                    "engines.gamma.size",
                    "-1")),
            SETTINGS);
    assertThat(problems)
        .containsExactly(
            "engines.alpha.inner: must not be null",
            "engines.alpha.limit: must be greater than 0",
            "engines.alpha.name: must not be blank",
            "engines.beta: must not be null",
            "engines.gamma.size: must be greater than 0");
    assertThat(EarlyConfigurationCheck.describe(problems))
        .startsWith("Engines configuration is incomplete or invalid (5):")
        .contains("\n  - engines.alpha.limit: must be greater than 0");
  }

  @Test
  void problemsWhenValueCannotBeConvertedThenNamedWithTheOthers() {
    List<String> problems =
        EarlyConfigurationCheck.problems(
            binder(
                Map.of(
                    "engines.alpha.name",
                    "a",
                    "engines.alpha.limit",
                    "1",
                    "engines.alpha.inner.timeout",
                    "every night")),
            SETTINGS);
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("engines.alpha.inner.timeout: ");
    assertThat(problems.get(1)).isEqualTo("engines.beta: must not be null");
  }

  @Test
  void settingsOfWhenCoreOnTheClasspathThenTheRecordsItsAutoConfigurationEnables() {
    assertThat(EarlyConfigurationCheck.settingsOf(getClass().getClassLoader()))
        .contains(EnvSettings.class, ReadinessSettings.class);
  }

  @Test
  void kebabWhenCamelCasePathThenAsOperatorsWriteIt() {
    assertThat(EarlyConfigurationCheck.kebab("operatorTokenSha256"))
        .isEqualTo("operator-token-sha256");
    assertThat(EarlyConfigurationCheck.kebab("s3.allowedBuckets[0]"))
        .isEqualTo("s3.allowed-buckets[0]");
  }

  private static Binder binder(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties));
  }
}
