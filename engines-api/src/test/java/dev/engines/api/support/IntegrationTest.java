package dev.engines.api.support;

import dev.engines.api.EnginesApplication;
import java.sql.DriverManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every {@code *IntegrationTests} class: the whole application on a random port, real HTTP
 * through the real filter chain, a real PostgreSQL with pgvector. All subclasses share one Spring
 * context, whose clock is a {@link TestClock}.
 */
@SpringBootTest(
    classes = EnginesApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(IntegrationTest.Clocks.class)
public abstract class IntegrationTest {

  /** The application's clock: the system clock unless a test moves it. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Clocks {
    @Bean
    @Primary
    TestClock testClock() {
      return new TestClock();
    }
  }

  /** The JDBC URL the suite runs against. */
  public static final String DB_URL =
      System.getenv()
          .getOrDefault("ENGINES_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/engines_test");

  static {
    requireDatabase();
  }

  @LocalServerPort private int port;

  @Autowired protected org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @Autowired protected dev.engines.core.db.ScopedTransactions tx;

  @Autowired protected TestClock clock;

  @Autowired protected dev.engines.tenant.KeyCache keyCache;

  protected TestApi api;
  protected TestTenants tenants;

  @DynamicPropertySource
  static void idp(DynamicPropertyRegistry registry) {
    registry.add("engines.auth.trusted-issuers[0].issuer", () -> TestIdp.ISSUER);
    registry.add(
        "engines.auth.trusted-issuers[0].jwk-set-uri", () -> TestIdp.get().jwksUri().toString());
    registry.add("engines.auth.trusted-issuers[0].audiences[0]", () -> TestIdp.AUDIENCE);
  }

  @BeforeEach
  void client() {
    api = new TestApi(port);
    tenants = new TestTenants(api, jdbc, tx, keyCache);
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  private static void requireDatabase() {
    try (var connection = DriverManager.getConnection(DB_URL, "engines_app", "engines_app_local")) {
      connection.isValid(2);
    } catch (Exception e) {
      throw new IllegalStateException(
          "The integration tests need PostgreSQL with pgvector at "
              + DB_URL
              + " (role engines_app). Run 'bin/engines test', which provisions it, or set ENGINES_TEST_DB_URL.",
          e);
    }
  }
}
