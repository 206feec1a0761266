package dev.engines.api.safety;

import dev.engines.api.EnginesApplication;
import dev.engines.core.config.EarlyConfigurationCheck;
import dev.engines.core.config.ProductionReadinessGate;
import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A deployment's configuration through the same fail-closed checks as startup, without serving: the
 * application starts with the deployment's profile and files, with no web server and every bean
 * lazy, so {@link EarlyConfigurationCheck} validates every module's settings as at startup, then
 * each module's {@link ProductionReadinessCheck} is built from those settings and {@link
 * ProductionReadinessGate} gives its verdict (under {@code engines.env.deployment: prod} an
 * unaccepted finding fails). Nothing connects to the database or storage: a lazy bean that no check
 * needs is never built.
 */
final class ConfigurationGate {

  /** The verdict and what to print, one line each. */
  record Outcome(boolean ok, List<String> lines) {}

  private ConfigurationGate() {}

  /** Checks the configuration that {@code springArgs} (and the environment) select. */
  static Outcome check(List<String> springArgs) {
    SpringApplication app = new SpringApplication(EnginesApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setLazyInitialization(true);
    app.setBannerMode(Banner.Mode.OFF);
    app.setLogStartupInfo(false);
    app.setRegisterShutdownHook(false);
    List<String> lines = new ArrayList<>();
    // Spring Boot's logging system is the JVM's: starting it again would reconfigure the caller's
    // logging (a test JVM's, for one). The verdict is printed by the gate anyway.
    String loggingSystem = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
    System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
    List<String> args = new ArrayList<>(springArgs);
    // Beans that must start eagerly (scheduled jobs) pull in the JDBC client, which waits for the
    // migrations: the check must neither migrate nor need the database.
    args.add("--spring.flyway.enabled=false");
    try (ConfigurableApplicationContext context = app.run(args.toArray(String[]::new))) {
      List<ReadinessFinding> findings =
          context
              .getBeanProvider(ProductionReadinessCheck.class)
              .orderedStream()
              .flatMap(check -> check.findings().stream())
              .toList();
      findings.forEach(f -> lines.add("readiness finding " + f.code() + ": " + f.message()));
      try {
        context.getBean(ProductionReadinessGate.class).afterSingletonsInstantiated();
      } catch (IllegalStateException e) {
        lines.add(e.getMessage());
        return new Outcome(false, lines);
      }
      lines.add(
          "configuration ok ("
              + findings.size()
              + " readiness findings, none blocking for this deployment)");
      return new Outcome(true, lines);
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null
          && !(cause instanceof EarlyConfigurationCheck.InvalidConfigurationException)) {
        cause = cause.getCause();
      }
      lines.add("configuration refused: " + cause.getMessage());
      return new Outcome(false, lines);
    } finally {
      if (loggingSystem == null) {
        System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
      } else {
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, loggingSystem);
      }
    }
  }
}
