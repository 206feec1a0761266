package dev.engines.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi.Response;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Guards against a tenant binding outliving its transaction: on a pooled connection (the {@code
 * set_config(..., true)} contract of DESIGN §5) or on a reused thread (the binding held by {@link
 * ScopedTransactions} in a thread-bound resource), including after failed transactions.
 */
class ConnectionLeakageIntegrationTests extends IntegrationTest {

  private static final int OPERATIONS = 1_000;
  private static final List<String> ENVS = List.of("dev", "staging", "prod");

  @Value("${spring.datasource.username}")
  private String appRole;

  @Value("${spring.datasource.password}")
  private String appPassword;

  /** How an operation ends. */
  private enum Outcome {
    COMMIT,
    /** A RuntimeException thrown by the work after the binding and the reads. */
    THROWN,
    /** The database raises an error (division by zero) inside the bound transaction. */
    SQL_ERROR,
    /** An INSERT for the other tenant, refused by the RLS WITH CHECK policy. */
    RLS_REJECTED
  }

  private static final class InjectedFailure extends RuntimeException {
    InjectedFailure(int operation) {
      super("injected failure in operation " + operation, null, false, false);
    }
  }

  @Test
  void
      scopedTransactionsWhenAlternatingTenantsOnOnePooledConnectionAndOneWorkerThreadThenNoBindingLeaks()
          throws Exception {
    Member a = tenants.tenant("leaka");
    Member a2 = tenants.user(a, "member");
    Member b = tenants.tenant("leakb");
    Member b2 = tenants.user(b, "viewer");
    Map<String, Set<String>> expected =
        Map.of(
            a.tenantId(), Set.of(a.userId(), a2.userId()),
            b.tenantId(), Set.of(b.userId(), b2.userId()));

    HikariConfig config = new HikariConfig();
    config.setPoolName("leakage-single-connection");
    config.setJdbcUrl(DB_URL);
    config.setUsername(appRole);
    config.setPassword(appPassword);
    config.setMaximumPoolSize(1);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(5_000);
    ExecutorService worker =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "leakage-worker"));
    try (HikariDataSource pool = new HikariDataSource(config)) {
      JdbcClient client = JdbcClient.create(pool);
      DataSourceTransactionManager transactions = new DataSourceTransactionManager(pool);
      ScopedTransactions scoped = new ScopedTransactions(client, transactions);
      TransactionTemplate plain = new TransactionTemplate(transactions);
      Run run = new Run(client, scoped, plain, expected);

      for (int i = 0; i < OPERATIONS; i++) {
        Member tenant = i % 2 == 0 ? a : b;
        Member other = i % 2 == 0 ? b : a;
        Scope scope = Scope.of(tenant.tenantId(), ENVS.get(i % ENVS.size()));
        Outcome outcome =
            i % 7 == 6
                ? Outcome.THROWN
                : i % 11 == 10
                    ? Outcome.SQL_ERROR
                    : i % 13 == 12 ? Outcome.RLS_REJECTED : Outcome.COMMIT;
        int operation = i;
        if (i % 3 == 0) {
          run.onWorker++;
          worker
              .submit(() -> run.operation(operation, scope, other.tenantId(), outcome))
              .get(30, TimeUnit.SECONDS);
        } else {
          run.operation(operation, scope, other.tenantId(), outcome);
        }
        if (i % 2 == 0) {
          run.tenantA++;
        } else {
          run.tenantB++;
        }
      }
      assertThat(pool.getHikariPoolMXBean().getActiveConnections())
          .as("connections still checked out")
          .isZero();
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isOne();

      int failures = run.thrown + run.sqlErrors + run.rlsRejections;
      System.out.printf(
          "[leakage] scoped transactions: operations=%d tenantA=%d tenantB=%d onWorkerThread=%d"
              + " failuresInjected=%d (thrown=%d sqlErrors=%d rlsRejections=%d) plainChecks=%d backends=%s mismatches=%d%n",
          run.operations,
          run.tenantA,
          run.tenantB,
          run.onWorker,
          failures,
          run.thrown,
          run.sqlErrors,
          run.rlsRejections,
          run.plainChecks,
          run.backends,
          run.mismatches.size());
      assertThat(run.mismatches).as("bindings seen outside their own transaction").isEmpty();
      assertThat(run.operations).isEqualTo(OPERATIONS);
      assertThat(run.backends).as("one physical connection served every transaction").hasSize(1);
      assertThat(run.thrown).isEqualTo(countOf(Outcome.THROWN));
      assertThat(run.sqlErrors).isEqualTo(countOf(Outcome.SQL_ERROR));
      assertThat(run.rlsRejections).isEqualTo(countOf(Outcome.RLS_REJECTED));
      assertThat(failures).isGreaterThan(200);
      assertThat(run.plainChecks).isGreaterThanOrEqualTo(failures);
    } finally {
      worker.shutdownNow();
      assertThat(worker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void usersEndpointWhenAlternatingTenantsThenEveryResponseListsOnlyItsOwnTenantsUsers() {
    Member a = tenants.tenant("httpleaka");
    Member a2 = tenants.user(a, "member");
    Member b = tenants.tenant("httpleakb");
    Member b2 = tenants.user(b, "member");
    Map<String, Set<String>> expected =
        Map.of(
            a.tenantId(), new TreeSet<>(List.of(a.userId(), a2.userId())),
            b.tenantId(), new TreeSet<>(List.of(b.userId(), b2.userId())));
    Map<String, List<String>> foreign =
        Map.of(
            a.tenantId(), List.of(b.tenantId(), b.userId(), b2.userId(), b.email(), b2.email()),
            b.tenantId(), List.of(a.tenantId(), a.userId(), a2.userId(), a.email(), a2.email()));

    List<String> mismatches = new ArrayList<>();
    int requests = 0;
    int asA = 0;
    int asB = 0;
    int refused = 0;
    for (int i = 0; i < OPERATIONS; i++) {
      Member caller = i % 2 == 0 ? a : b;
      Member other = i % 2 == 0 ? b : a;
      Response response =
          api.get("/v1/users?limit=100").as(caller, ENVS.get(i % ENVS.size())).send();
      requests++;
      if (caller == a) {
        asA++;
      } else {
        asB++;
      }
      Set<String> ids = new TreeSet<>();
      for (JsonNode item : response.json().path("items")) {
        ids.add(item.path("user_id").asString());
      }
      if (response.status() != 200 || !ids.equals(expected.get(caller.tenantId()))) {
        mismatches.add(
            "request " + i + " as " + caller.tenantId() + ": " + response.status() + " " + ids);
      }
      for (String secret : foreign.get(caller.tenantId())) {
        if (response.body().contains(secret)) {
          mismatches.add("request " + i + " as " + caller.tenantId() + " shows " + secret);
        }
      }
      // Failing requests in between must not leave anything behind for the next one.
      if (i % 7 == 3) {
        Response crossed =
            api.get("/v1/users").scope(other.tenantId(), "dev").bearer(caller.token()).send();
        refused++;
        if (crossed.status() != 403 || !"tenant_mismatch".equals(crossed.code())) {
          mismatches.add("cross-tenant request " + i + ": " + crossed);
        }
      }
      if (i % 11 == 5) {
        Response foreignUser = api.get("/v1/users/" + other.userId()).as(caller, "dev").send();
        refused++;
        if (foreignUser.status() != 404) {
          mismatches.add("foreign user read " + i + ": " + foreignUser);
        }
      }
    }
    System.out.printf(
        "[leakage] http: requests=%d tenantA=%d tenantB=%d refusedInBetween=%d mismatches=%d%n",
        requests, asA, asB, refused, mismatches.size());
    assertThat(mismatches).as("responses showing another tenant's users").isEmpty();
    assertThat(requests).isEqualTo(OPERATIONS);
  }

  private static int countOf(Outcome outcome) {
    int count = 0;
    for (int i = 0; i < OPERATIONS; i++) {
      Outcome o =
          i % 7 == 6
              ? Outcome.THROWN
              : i % 11 == 10
                  ? Outcome.SQL_ERROR
                  : i % 13 == 12 ? Outcome.RLS_REJECTED : Outcome.COMMIT;
      if (o == outcome) {
        count++;
      }
    }
    return count;
  }

  /**
   * One run's state. Operations run one at a time (the worker's future is awaited), never
   * concurrently.
   */
  private static final class Run {
    final JdbcClient client;
    final ScopedTransactions scoped;
    final TransactionTemplate plain;
    final Map<String, Set<String>> expected;
    final List<String> mismatches = new ArrayList<>();
    final Set<Integer> backends = new TreeSet<>();
    int operations;
    int tenantA;
    int tenantB;
    int onWorker;
    int thrown;
    int sqlErrors;
    int rlsRejections;
    int plainChecks;

    Run(
        JdbcClient client,
        ScopedTransactions scoped,
        TransactionTemplate plain,
        Map<String, Set<String>> expected) {
      this.client = client;
      this.scoped = scoped;
      this.plain = plain;
      this.expected = expected;
    }

    synchronized void operation(int i, Scope scope, String otherTenant, Outcome outcome) {
      operations++;
      String where =
          "op " + i + " (" + scope + ", " + outcome + ", " + Thread.currentThread().getName() + ")";
      if (ScopedTransactions.currentScope() != null) {
        mismatches.add(where + ": thread already bound to " + ScopedTransactions.currentScope());
      }
      try {
        scoped.write(
            Caller.system(scope, "test"),
            () -> {
              Map<String, Object> session =
                  client
                      .sql(
                          "SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS tenant,"
                              + " current_setting('app.env', true) AS env, current_setting('app.operator', true) AS operator")
                      .query()
                      .singleRow();
              backends.add(((Number) session.get("pid")).intValue());
              if (!scope.tenantId().equals(session.get("tenant"))
                  || !scope.env().wire().equals(session.get("env"))
                  || !"".equals(session.get("operator"))) {
                mismatches.add(where + ": session settings " + session);
              }
              if (!scope.equals(ScopedTransactions.currentScope())) {
                mismatches.add(where + ": thread binding " + ScopedTransactions.currentScope());
              }
              List<String> rows =
                  client
                      .sql("SELECT tenant_id || '/' || user_id FROM users")
                      .query(String.class)
                      .list();
              Set<String> visible =
                  rows.stream()
                      .filter(r -> r.startsWith(scope.tenantId() + "/"))
                      .map(r -> r.substring(scope.tenantId().length() + 1))
                      .collect(Collectors.toSet());
              if (visible.size() != rows.size()
                  || !visible.equals(expected.get(scope.tenantId()))) {
                mismatches.add(where + ": visible users " + rows);
              }
              switch (outcome) {
                case THROWN -> throw new InjectedFailure(i);
                case SQL_ERROR -> client.sql("SELECT 1 / 0").query(Integer.class).single();
                case RLS_REJECTED ->
                    client
                        .sql(
                            "INSERT INTO users (tenant_id, user_id, email, display_name, role, status, created_at,"
                                + " updated_at) VALUES (:t, :u, :e, 'Leak', 'member', 'active', now(), now())")
                        .param("t", otherTenant)
                        .param("u", Ids.random("u"))
                        .param("e", "leak-" + i + "@example.test")
                        .update();
                case COMMIT -> {}
              }
              return null;
            });
        if (outcome != Outcome.COMMIT) {
          mismatches.add(where + ": the injected failure did not fail");
        }
      } catch (InjectedFailure e) {
        thrown++;
      } catch (DataAccessException e) {
        String state = sqlState(e);
        if (outcome == Outcome.SQL_ERROR && "22012".equals(state)) {
          sqlErrors++;
        } else if (outcome == Outcome.RLS_REJECTED
            && "42501".equals(state)
            && String.valueOf(e.getMostSpecificCause().getMessage())
                .contains("row-level security")) {
          rlsRejections++;
        } else {
          mismatches.add(where + ": unexpected " + e);
        }
      } catch (RuntimeException e) {
        mismatches.add(where + ": unexpected " + e);
      }
      if (ScopedTransactions.currentScope() != null) {
        mismatches.add(
            where + ": binding left on the thread: " + ScopedTransactions.currentScope());
      }
      if (outcome != Outcome.COMMIT || i % 10 == 0) {
        plainCheck(where);
      }
    }

    /** A transaction opened without any binding, on the same pooled connection, right after. */
    private void plainCheck(String where) {
      plainChecks++;
      plain.executeWithoutResult(
          status -> {
            Map<String, Object> session =
                client
                    .sql(
                        "SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS tenant,"
                            + " current_setting('app.env', true) AS env, current_setting('app.user_id', true) AS user_id,"
                            + " current_setting('app.operator', true) AS operator, current_setting('app.auth_lookup', true) AS lookup,"
                            + " (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_keys) AS keys,"
                            + " (SELECT count(*) FROM tenants) AS tenants")
                    .query()
                    .singleRow();
            backends.add(((Number) session.get("pid")).intValue());
            for (String setting : List.of("tenant", "env", "user_id", "operator", "lookup")) {
              Object value = session.get(setting);
              if (value != null && !"".equals(value)) {
                mismatches.add(
                    where + ": plain transaction after it sees " + setting + "=" + value);
              }
            }
            for (String table : List.of("users", "keys", "tenants")) {
              if (((Number) session.get(table)).longValue() != 0) {
                mismatches.add(
                    where
                        + ": plain transaction after it sees "
                        + session.get(table)
                        + " "
                        + table);
              }
            }
          });
      // And outside any transaction (autocommit), the same.
      Object tenant =
          client.sql("SELECT current_setting('app.tenant_id', true)").query().singleValue();
      if (tenant != null && !"".equals(tenant)) {
        mismatches.add(where + ": autocommit statement after it sees tenant " + tenant);
      }
    }

    private static String sqlState(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql) {
          return sql.getSQLState();
        }
      }
      return null;
    }
  }
}
