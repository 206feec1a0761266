package dev.engines.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.engines.api.EnginesApplication;
import dev.engines.api.support.IntegrationTest;
import dev.engines.core.config.EarlyConfigurationCheck;
import dev.engines.core.config.EnvSettings;
import dev.engines.core.config.ReadinessSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.web.context.support.StandardServletEnvironment;

/**
 * Fail-closed configuration (DESIGN §6): each required slot missing fails startup with a message
 * naming it; several problems fail in one message that names them all; a production deployment with
 * development settings refuses to start unless each finding is explicitly accepted.
 *
 * <p>Each boot is a whole {@link EnginesApplication} without the {@code test} profile, from one
 * complete property map with the slot under test removed, so the slot really is absent (a profile
 * file cannot be un-set). The machine's environment variables are left out for the same reason: an
 * {@code ENGINES_STORAGE_…} variable would refill the slot. Missing slots must fail before the
 * database is touched ({@link EarlyConfigurationCheck}), so those boots get an unreachable one.
 */
class ConfigurationSlotsIntegrationTests {

  private static final List<String> SLOTS =
      List.of("tenant", "env", "auth", "storage", "nexus", "pii", "gdpr");

  @ParameterizedTest(name = "engines.{0}")
  @ValueSource(strings = {"tenant", "env", "auth", "storage", "nexus", "pii", "gdpr"})
  void startWhenSlotMissingThenFailsNamingTheSlotBeforeTouchingTheDatabase(String slot) {
    Map<String, Object> properties = without(complete(), "engines." + slot + ".");
    // An unreachable database: the check must fail first, before migrations or a port.
    properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:1/nowhere");

    Throwable failure = bootFailure(properties);

    assertThat(rootCause(failure))
        .isInstanceOf(EarlyConfigurationCheck.InvalidConfigurationException.class);
    String message = rootCause(failure).getMessage();
    assertThat(message).contains("- engines." + slot + ": must not be null");
    for (String other : SLOTS) {
      if (!other.equals(slot)) {
        assertThat(message)
            .as("only the missing slot is reported")
            .doesNotContain("engines." + other + ":");
      }
    }
  }

  /** Guards against local defaults reaching production: the prod profile alone starts nothing. */
  @Test
  void startWhenProdProfileWithoutDeploymentValuesThenFailsListingEveryMissingSlot() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:1/nowhere");
    properties.put("server.port", "0");

    Throwable failure = bootFailure(properties, "prod");

    assertThat(rootCause(failure))
        .isInstanceOf(EarlyConfigurationCheck.InvalidConfigurationException.class);
    String message = rootCause(failure).getMessage();
    for (String slot : SLOTS) {
      if (!slot.equals("env")) {
        assertThat(message).contains("- engines." + slot + ": must not be null");
      }
    }
    // The profile names the deployment, and only that: the envs it serves are the deployment's to
    // say.
    assertThat(message).contains("- engines.env.served:").doesNotContain("engines.env.deployment");
  }

  @Test
  void startWhenTwoSlotsMissingAndValuesInvalidThenOneMessageNamesAllOfThem() {
    Map<String, Object> properties =
        without(without(complete(), "engines.storage."), "engines.nexus.");
    properties.put("engines.auth.operator-token-sha256", "nothex");
    properties.put("engines.pii.phone-regions", "");
    properties.put("engines.gdpr.retention-cron", "every night");

    Throwable failure = bootFailure(properties);

    String message = rootCause(failure).getMessage();
    assertThat(message)
        .startsWith("Engines configuration is incomplete or invalid (5)")
        .contains(
            "- engines.storage: must not be null",
            "- engines.nexus: must not be null",
            "- engines.auth.operator-token-sha256: must be the lowercase hex SHA-256 of the operator token",
            "- engines.pii.phone-regions: must not be empty",
            "- engines.gdpr.retention-cron-valid: must be a Spring cron expression")
        .doesNotContain("engines.tenant:", "engines.env:", "engines.vector");
  }

  @Test
  void startWhenAnAllowedBucketIsInvalidThenFailsBeforeAnyTenantUsesIt() {
    Map<String, Object> properties = without(complete(), "engines.storage.filesystem.");
    properties.put("engines.storage.backend", "s3");
    properties.put("engines.storage.s3.bucket", "engines-raw");
    properties.put("engines.storage.s3.region", "us-east-1");
    properties.put("engines.storage.s3.allowed-buckets", "engines-raw-eu,Not_A_Bucket");
    properties.put("spring.flyway.enabled", "false");

    Throwable failure = bootFailure(properties);

    assertThat(rootCause(failure)).isInstanceOf(IllegalArgumentException.class);
    assertThat(rootCause(failure).getMessage()).contains("S3 bucket must be");
  }

  @Test
  void startWhenProductionWithFilesystemStorageAndDevelopmentAuthThenFailsNamingBothFindings() {
    Map<String, Object> properties = complete();
    properties.put("engines.env.deployment", "prod");
    properties.put("spring.flyway.enabled", "false");

    Throwable failure = bootFailure(properties);

    assertThat(rootCause(failure)).isInstanceOf(IllegalStateException.class);
    assertThat(rootCause(failure).getMessage())
        .startsWith("Engines is not production-ready")
        .contains("storage.filesystem", "auth.development", "engines.readiness.accept");
  }

  @Test
  void startWhenProductionFindingsAcceptedThenStarts() {
    Map<String, Object> properties = complete();
    properties.put("engines.env.deployment", "prod");
    properties.put("engines.readiness.accept", "storage.filesystem,auth.development");

    try (ConfigurableApplicationContext context = run(properties)) {
      assertThat(context.isActive()).isTrue();
      assertThat(context.getBean(EnvSettings.class).deployment())
          .isEqualTo(EnvSettings.Deployment.PROD);
      assertThat(context.getBean(ReadinessSettings.class).accept())
          .containsExactlyInAnyOrder("storage.filesystem", "auth.development");
      assertThat(context.getEnvironment().getProperty("local.server.port", Integer.class))
          .isPositive();
    }
  }

  @Test
  void startWhenOnlyOneOfTwoProductionFindingsAcceptedThenFailsNamingTheOther() {
    Map<String, Object> properties = complete();
    properties.put("engines.env.deployment", "prod");
    properties.put("engines.readiness.accept", "storage.filesystem");
    properties.put("spring.flyway.enabled", "false");

    Throwable failure = bootFailure(properties);

    assertThat(rootCause(failure).getMessage())
        .startsWith("Engines is not production-ready")
        .contains("auth.development")
        .doesNotContain("storage.filesystem:");
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Every property a local deployment needs, as application-test.yml sets them, against the suite's
   * database.
   */
  private static Map<String, Object> complete() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("spring.datasource.url", IntegrationTest.DB_URL);
    p.put("spring.datasource.username", "engines_app");
    p.put("spring.datasource.password", "engines_app_local");
    p.put("spring.datasource.hikari.maximum-pool-size", "2");
    p.put("spring.flyway.user", "engines_owner");
    p.put("spring.flyway.password", "engines_owner_local");
    p.put("server.port", "0");
    p.put("spring.main.register-shutdown-hook", "false");
    p.put("logging.level.root", "warn");
    p.put("engines.env.deployment", "local");
    p.put("engines.env.served", "dev,staging,prod");
    p.put("engines.tenant.key-rotation-overlap", "1h");
    p.put("engines.tenant.max-key-rotation-overlap", "7d");
    p.put("engines.tenant.max-key-ttl", "365d");
    p.put(
        "engines.auth.operator-token-sha256",
        "8ada381251fcd32660c699c8756ba8c4e01efa2b378aabe77be0509d9291d3a8");
    p.put("engines.auth.development-mode", "true");
    p.put("engines.auth.trusted-issuers", "");
    p.put("engines.storage.backend", "filesystem");
    p.put("engines.storage.max-object-bytes", "104857600");
    p.put("engines.storage.filesystem.root", "target/test-data/raw");
    p.put("engines.nexus.max-atoms-per-derivation", "100000");
    p.put("engines.nexus.max-atom-text-chars", "65536");
    p.put("engines.nexus.max-atomize-bytes", "67108864");
    p.put("engines.vector.max-dimension", "4096");
    p.put("engines.vector.max-top-k", "100");
    p.put("engines.pii.phone-regions", "US,GB,DE,FR");
    p.put("engines.pii.max-input-chars", "1048576");
    p.put("engines.pii.time-budget", "2s");
    p.put("engines.pii.analysis-threads", "2");
    p.put("engines.pii.master-key", "configuration-test-master-key-0123456789abcdef");
    p.put("engines.gdpr.retention-cron", "-");
    return p;
  }

  private static Map<String, Object> without(Map<String, Object> properties, String prefix) {
    Map<String, Object> copy = new LinkedHashMap<>(properties);
    assertThat(copy.keySet().removeIf(k -> k.startsWith(prefix)))
        .as("removed %s*", prefix)
        .isTrue();
    return copy;
  }

  private static SpringApplicationBuilder builder(
      Map<String, Object> properties, String... profiles) {
    StandardServletEnvironment environment = new StandardServletEnvironment();
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    // First in line, above application.yml, so the map is exactly what the application sees.
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("slots-under-test", properties));
    environment.setActiveProfiles(profiles);
    return new SpringApplicationBuilder(EnginesApplication.class)
        .environment(environment)
        .registerShutdownHook(false);
  }

  private static Throwable bootFailure(Map<String, Object> properties, String... profiles) {
    try {
      run(properties, profiles).close();
      return fail("started without " + properties.keySet());
    } catch (RuntimeException e) {
      return e;
    }
  }

  /**
   * Boots without touching the logging system: logging is global to the JVM, and re-initialising it
   * here would change what the shared application context of the other tests logs.
   */
  private static ConfigurableApplicationContext run(
      Map<String, Object> properties, String... profiles) {
    String previous = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
    System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
    try {
      return builder(properties, profiles).run();
    } finally {
      if (previous == null) {
        System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
      } else {
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, previous);
      }
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
