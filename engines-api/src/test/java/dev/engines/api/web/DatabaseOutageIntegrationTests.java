package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TcpProxy;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.db.FailFastDataSource;
import dev.engines.core.ids.Ids;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The database failing under the service, against the real PostgreSQL: it goes away (a {@link
 * TcpProxy} between the pool and the server is cut), or one connection fails at commit ({@link
 * CommitFaults}), after the commit reached the server or before. Its own application context,
 * closed afterwards.
 */
@DirtiesContext
@Import(DatabaseOutageIntegrationTests.Faults.class)
class DatabaseOutageIntegrationTests extends IntegrationTest {

  private static final TcpProxy PROXY = proxy();

  @DynamicPropertySource
  static void throughProxy(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () -> DB_URL.replaceFirst("//[^/]+/", "//127.0.0.1:" + PROXY.port() + "/"));
    // A context of its own beside the shared one: a small pool, so the two fit the server's
    // connections.
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> 4);
  }

  @Autowired CommitFaults faults;

  @Autowired DataSource dataSource;

  @AfterEach
  void heal() throws SQLException {
    PROXY.restore();
    faults.disarm();
    FailFastDataSource source = dataSource.unwrap(FailFastDataSource.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (source.down() && System.nanoTime() < deadline && pause()) {
      // the probe reconnects
    }
    assertThat(source.down()).as("the database is reachable again").isFalse();
  }

  @Test
  void commitWhenConnectionFailsAfterTheServerCommittedThenSuccessAndExactlyOneSuccessEvent() {
    // Guards against a committed write answering 500 with two events (success and internal_error).
    Member owner = tenants.tenant("dbok");
    faults.arm("INSERT INTO users", CommitFaults.Fault.AFTER_COMMIT);
    TestApi.Response created = createUser(owner, "commit-after");
    assertThat(faults.injected()).isTrue();
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String userId = created.text("user_id");
    assertThat(api.get("/v1/users/" + userId).as(owner, "dev").send().status()).isEqualTo(200);
    JsonNode events = eventsOf(owner, "commit-after");
    assertThat(events.size()).isEqualTo(1);
    assertThat(events.get(0).get("outcome").asString()).isEqualTo("success");
    assertThat(events.get(0).get("output_refs").toString()).contains(userId);
  }

  @Test
  void
      commitWhenConnectionFailsBeforeTheServerCommittedThen503AndExactlyOneFailureEventNamingNothingUncommitted() {
    // Guards against a failure event naming an id that was never committed.
    Member owner = tenants.tenant("dbko");
    faults.arm("INSERT INTO users", CommitFaults.Fault.BEFORE_COMMIT);
    TestApi.Response refused = createUser(owner, "commit-before");
    assertThat(faults.injected()).isTrue();
    assertUnavailable(refused);
    assertThat(api.get("/v1/users").as(owner, "dev").send().json().get("items").size())
        .as("only the owner")
        .isEqualTo(1);
    JsonNode events = eventsOf(owner, "commit-before");
    assertThat(events.size()).isEqualTo(1);
    assertThat(events.get(0).get("outcome").asString()).isEqualTo("failure");
    assertThat(events.get(0).get("error_code").asString()).isEqualTo("database_unavailable");
    assertThat(events.get(0).get("output_refs").size()).isZero();
  }

  @Test
  void writeWhenServerEndsTheConnectionMidTransactionThen503AndNothingStored() {
    // Guards against a 500 on a PostgreSQL restart: the rollback on the closed connection failed
    // and its "Connection is closed" hid the server's 57P01.
    Member owner = tenants.tenant("dbterm");
    faults.arm("INSERT INTO api_keys", CommitFaults.Fault.TERMINATED_IN_WORK);
    TestApi.Response refused =
        api.post("/v1/api-keys")
            .as(owner, "dev")
            .header("X-Request-Id", "terminated-in-work")
            .json(Map.of("kind", "service", "name", "terminated", "role", "viewer"))
            .send();
    assertThat(faults.injected()).isTrue();
    assertUnavailable(refused);
    TestApi.Response keys = api.get("/v1/api-keys").as(owner, "dev").send();
    assertThat(keys.status()).as("%s", keys).isEqualTo(200);
    assertThat(keys.json().get("items").toString()).doesNotContain("terminated");
    assertThat(api.get("/v1/audit?request_id=terminated-in-work").as(owner, "dev").send())
        .satisfies(r -> assertThat(r.json().get("items").size()).as("%s", r).isZero());
  }

  @Test
  void commitWhenServerEndsTheConnectionAsTheEventIsWrittenThen503AndNothingStored() {
    // Guards against a 500 when the restart hits the commit hook (the request's event insert):
    // Spring then throws only the failed rollback, on a connection the pool has closed.
    Member owner = tenants.tenant("dbtermev");
    faults.arm("INSERT INTO dataset_events", CommitFaults.Fault.TERMINATED_IN_WORK);
    TestApi.Response refused =
        api.post("/v1/api-keys")
            .as(owner, "dev")
            .header("X-Request-Id", "terminated-at-event")
            .json(Map.of("kind", "service", "name", "terminated at event", "role", "viewer"))
            .send();
    assertThat(faults.injected()).isTrue();
    assertUnavailable(refused);
    assertThat(api.get("/v1/api-keys").as(owner, "dev").send().body())
        .doesNotContain("terminated at event");
    JsonNode events = eventsOf(owner, "terminated-at-event");
    assertThat(events.size()).isEqualTo(1);
    assertThat(events.get(0).get("outcome").asString()).isEqualTo("failure");
    assertThat(events.get(0).get("error_code").asString()).isEqualTo("database_unavailable");
  }

  @Test
  void outageWhenDatabaseUnreachableThenNotReadyAndFast503ProblemsFromEveryLayerUntilItIsBack()
      throws SQLException {
    Member owner = tenants.tenant("dbdown");
    FailFastDataSource source = dataSource.unwrap(FailFastDataSource.class);
    PROXY.cut();
    try {
      // Whoever finds the outage first may wait out the pool once (a pooled connection may fail
      // first, quickly); every answer meanwhile is the problem.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!source.down() && System.nanoTime() < deadline) {
        assertUnavailable(api.get("/v1/me").as(owner, "dev").send());
      }
      assertThat(source.down()).isTrue();
      long start = System.nanoTime();
      assertThat(api.get("/actuator/health/readiness").send().status())
          .as("not ready without the database")
          .isEqualTo(503);
      assertThat(api.get("/actuator/health/liveness").send().status())
          .as("an outage must not restart the service")
          .isEqualTo(200);
      // the credential lookup in the filter chain
      assertUnavailable(api.get("/v1/me").as(owner, "dev").send());
      assertUnavailable(api.get("/v1/users").as(owner, "dev").send());
      // an operator route: no credential lookup, the transaction's begin fails
      assertUnavailable(api.get("/v1/operator/tenants").operator().send());
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("nothing waits for the pool once it is known to be gone")
          .isLessThan(Duration.ofSeconds(2));
    } finally {
      PROXY.restore();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status;
    do {
      status = api.get("/v1/me").as(owner, "dev").send().status();
    } while (status != 200 && System.nanoTime() < deadline && pause());
    assertThat(status).as("served again once the database is back").isEqualTo(200);
    assertThat(api.get("/actuator/health/readiness").send().status()).isEqualTo(200);
  }

  private TestApi.Response createUser(Member owner, String requestId) {
    return api.post("/v1/users")
        .as(owner, "dev")
        .header("X-Request-Id", requestId)
        .json(
            Map.of(
                "email",
                requestId + "-" + Ids.randomToken(6) + "@db.example",
                "display_name",
                "D",
                "role",
                "viewer"))
        .send();
  }

  private JsonNode eventsOf(Member reader, String requestId) {
    TestApi.Response r = api.get("/v1/events?request_id=" + requestId).as(reader, "dev").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("items");
  }

  private static void assertUnavailable(TestApi.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(503);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo("database_unavailable");
    assertThat(r.text("request_id")).isNotBlank();
    assertThat(r.header("Retry-After")).isNotBlank();
  }

  private static boolean pause() {
    try {
      Thread.sleep(200);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static TcpProxy proxy() {
    var m = java.util.regex.Pattern.compile("//([^:/]+):(\\d+)/").matcher(DB_URL);
    if (!m.find()) {
      throw new IllegalStateException("ENGINES_TEST_DB_URL must name host and port: " + DB_URL);
    }
    return new TcpProxy(m.group(1), Integer.parseInt(m.group(2)));
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Faults {
    @Bean
    static CommitFaults commitFaults() {
      return new CommitFaults();
    }
  }

  /**
   * Fails the commit of the next transaction that prepared a statement containing a marker, the way
   * a dropped connection does: the connection is closed and the driver reports SQLState 08006,
   * either after the commit reached the server (it committed) or before (the server rolls back).
   */
  static final class CommitFaults implements BeanPostProcessor {

    enum Fault {
      AFTER_COMMIT,
      BEFORE_COMMIT,
      /**
       * The server ends the connection's backend as the marked statement is prepared, as a restart
       * does (57P01 admin shutdown): the work fails, the pool closes the connection and the
       * rollback then fails on it.
       */
      TERMINATED_IN_WORK
    }

    private record Armed(String marker, Fault fault) {}

    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private volatile boolean injected;

    void arm(String marker, Fault fault) {
      injected = false;
      armed.set(new Armed(marker, fault));
    }

    void disarm() {
      armed.set(null);
    }

    boolean injected() {
      return injected;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
      if (!(bean instanceof DataSource source)) {
        return bean;
      }
      return new DelegatingDataSource(source) {
        @Override
        public Connection getConnection() throws SQLException {
          return wrap(super.getConnection());
        }
      };
    }

    private Connection wrap(Connection real) {
      List<String> statements = new ArrayList<>();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "prepareStatement" -> {
                    statements.add((String) args[0]);
                    Armed a = armed.get();
                    if (a != null
                        && a.fault() == Fault.TERMINATED_IN_WORK
                        && ((String) args[0]).contains(a.marker())
                        && armed.compareAndSet(a, null)) {
                      injected = true;
                      try (Statement kill = real.createStatement()) {
                        // A role may end its own backends: the server's own 57P01, no superuser.
                        kill.execute("SELECT pg_terminate_backend(pg_backend_pid())");
                      }
                    }
                  }
                  case "rollback" -> statements.clear();
                  case "commit" -> {
                    Armed a = armed.get();
                    boolean hit =
                        a != null
                            && statements.stream().anyMatch(s -> s.contains(a.marker()))
                            && armed.compareAndSet(a, null);
                    statements.clear();
                    if (hit) {
                      if (a.fault() == Fault.AFTER_COMMIT) {
                        real.commit();
                      }
                      real.abort(Runnable::run);
                      injected = true;
                      throw new SQLException(
                          "An I/O error occurred while sending to the backend.", "08006");
                    }
                  }
                  default -> {}
                }
                try {
                  return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }
}
