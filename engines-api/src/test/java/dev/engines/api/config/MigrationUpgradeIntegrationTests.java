package dev.engines.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.EnginesApplication;
import dev.engines.api.support.IntegrationTest;
import dev.engines.core.ids.IdKeys;
import dev.engines.nexus.internal.AtomIdRekeying;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A database migrated by the last landed main starts under this code: its migrations validate (same
 * versions, descriptions and checksums, wherever their folder now is) and the migrations that
 * landed since apply on top. Runs on a database of its own, {@code <test database>_upgrade}, which
 * {@code bin/engines test} provisions empty on every run.
 */
class MigrationUpgradeIntegrationTests {

  /**
   * The newest migration of the last landed main. Raise it when migrations land, so the next change
   * is tested against the database that main leaves behind.
   */
  static final String LANDED = "79";

  static final String URL = IntegrationTest.DB_URL + "_upgrade";

  @Test
  void startWhenDatabaseMigratedByTheLandedMainThenAppliesWhatLandedSinceAndServes()
      throws Exception {
    Flyway landed =
        Flyway.configure()
            .dataSource(URL, "engines_owner", "engines_owner_local")
            .locations(MigrationLayoutTests.flywayLocations().toArray(String[]::new))
            .placeholders(Map.of("app_role", "engines_app"))
            // The one Java migration (V29); its key only matters for atoms, and this database has
            // none.
            .javaMigrations(
                new AtomIdRekeying(IdKeys.fromSecret("upgrade-test-master-key-0123456789abcdef")))
            .target(LANDED)
            .load();
    assertThat(landed.info().applied())
        .as("%s must be empty: bin/lib/provision-postgres.sh --fresh=<its name> provisions it", URL)
        .isEmpty();
    assertThat(landed.migrate().migrationsExecuted).isPositive();
    assertThat(landed.info().current().getVersion())
        .isEqualTo(MigrationVersion.fromVersion(LANDED));

    try (ConfigurableApplicationContext app = boot()) {
      MigrationInfo[] applied = app.getBean(Flyway.class).info().applied();
      assertThat(app.getBean(Flyway.class).info().pending()).as("pending after start").isEmpty();
      assertThat(
              Arrays.stream(applied)
                  .allMatch(m -> m.getState().isApplied() && !m.getState().isFailed()))
          .isTrue();
      assertThat(applied[applied.length - 1].getVersion())
          .isGreaterThanOrEqualTo(MigrationVersion.fromVersion(LANDED));
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    }
  }

  /**
   * The application with the test profile on the upgrade database. It boots without touching the
   * logging system: logging is global to the JVM, and re-initialising it here would change what the
   * shared application context of the other tests logs.
   */
  private static ConfigurableApplicationContext boot() {
    String previous = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
    System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
    try {
      return new SpringApplicationBuilder(EnginesApplication.class)
          .profiles("test")
          .properties(
              Map.of(
                  "spring.datasource.url", URL,
                  "server.port", "0",
                  "spring.main.register-shutdown-hook", "false"))
          .run();
    } finally {
      if (previous == null) {
        System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
      } else {
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, previous);
      }
    }
  }
}
