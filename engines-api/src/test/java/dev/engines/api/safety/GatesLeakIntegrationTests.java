package dev.engines.api.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.web.RoutePolicy;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.TenantId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code bin/engines gates --url} against a deliberately broken build: this context adds a route
 * that reads a user by id without the caller's tenant, the bug the isolation suite exists to catch.
 * The black-box run must find it (another tenant's user id answers 200 with that tenant's e-mail)
 * and the command must exit non-zero.
 */
@DirtiesContext // the broken build's context must not linger beside the shared one (its relay and
// sweeps run too)
@Import(GatesLeakIntegrationTests.BrokenBuild.class)
class GatesLeakIntegrationTests extends IntegrationTest {

  /** The broken build: one extra controller. */
  @TestConfiguration(proxyBeanMethods = false)
  @Import(LeakyUsers.class)
  static class BrokenBuild {}

  /**
   * Looks a user up by id in every tenant instead of the caller's: the bug a forgotten scope makes.
   * (Row-level security stops a plain query without a tenant, so the bug has to search each one.)
   */
  @RestController
  static class LeakyUsers {
    private final JdbcClient jdbc;
    private final ScopedTransactions tx;

    LeakyUsers(JdbcClient jdbc, ScopedTransactions tx) {
      this.jdbc = jdbc;
      this.tx = tx;
    }

    @GetMapping("/v1/leaky/users/{userId}")
    @RoutePolicy(
        audience = RoutePolicy.Audience.TENANT,
        surface = "tenant",
        action = "leaky.get",
        kind = RoutePolicy.Kind.READ,
        gate = "tenant:leaky_get")
    Map<String, Object> user(@PathVariable String userId) {
      List<String> everyTenant =
          tx.operator(() -> jdbc.sql("SELECT tenant_id FROM tenants").query(String.class).list());
      for (String tenant : everyTenant) {
        List<Map<String, Object>> rows =
            tx.tenantLevel(
                TenantId.of(tenant),
                () ->
                    jdbc.sql("SELECT user_id, email FROM users WHERE user_id = :id")
                        .param("id", userId)
                        .query()
                        .listOfRows());
        if (!rows.isEmpty()) {
          return rows.getFirst();
        }
      }
      throw EnginesException.notFound("User");
    }
  }

  @Test
  void brokenBuildWhenAttackedBlackBoxThenTheLeakIsFoundAndTheCommandFails() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status =
        GatesCli.run(
            List.of("--skip-config", "--url", "http://127.0.0.1:" + api.port()),
            TestApi.OPERATOR_TOKEN,
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.println(
        output.lines().filter(l -> l.startsWith("LEAK") || l.startsWith("engines gates")).toList());
    assertThat(status).as(output).isEqualTo(1);
    assertThat(output.lines().filter(line -> line.startsWith("LEAK ")))
        .isNotEmpty()
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith("LEAK GET /v1/leaky/users/{userId} [other tenant's ids, "))
        .anySatisfy(line -> assertThat(line).contains("answered 200 where 400/403/404 was due"))
        .anySatisfy(line -> assertThat(line).contains("@gates.example"));
    assertThat(output.lines().filter(line -> line.startsWith("engines gates: ")))
        .singleElement()
        .asString()
        .contains("leaked=")
        .doesNotContain("leaked=0")
        .endsWith("-> FAIL");
  }
}
