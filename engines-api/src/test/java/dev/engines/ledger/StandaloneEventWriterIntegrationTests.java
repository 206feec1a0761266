package dev.engines.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Group commit of standalone events against the real ledger table: every event lands in its own
 * tenant/env, a bad event fails alone, an unreachable database fails a batch at once, and
 * concurrent requests each return only once their event is committed.
 */
class StandaloneEventWriterIntegrationTests extends IntegrationTest {

  @Autowired Ledger ledger;

  private static DatasetEvent event(String eventId, Scope scope, String requestId) {
    return new DatasetEvent(
        eventId,
        scope,
        Instant.now(),
        "tenant",
        "member.get",
        DatasetEvent.READ,
        "user",
        "u_test",
        null,
        null,
        null,
        List.of(),
        List.of(),
        null,
        true,
        DatasetEvent.SUCCESS,
        null,
        "0123456789abcdef0123456789abcdef",
        requestId);
  }

  private long count(Scope scope, String requestId) {
    return tx.read(
        Caller.system(scope, "test"),
        () ->
            jdbc.sql("SELECT count(*) FROM dataset_events WHERE request_id = :r")
                .param("r", requestId)
                .query(Long.class)
                .single());
  }

  @Test
  void commitAllWhenOneEventIsInvalidThenOnlyItFailsAndTheOthersLandInTheirOwnScope() {
    Member a = tenants.tenant("gca");
    Member b = tenants.tenant("gcb");
    Scope aDev = Scope.of(a.tenantId(), "dev");
    Scope aProd = Scope.of(a.tenantId(), "prod");
    Scope bDev = Scope.of(b.tenantId(), "dev");
    try (StandaloneEventWriter writer = new StandaloneEventWriter(ledger, tx)) {
      List<RuntimeException> failures =
          writer.commitAll(
              List.of(
                  event(Ids.random("ev"), aDev, "gc-1"),
                  // violates the event_id CHECK: the database refuses it, inside aDev's batch
                  event("ev_not-an-event-id", aDev, "gc-bad"),
                  event(Ids.random("ev"), bDev, "gc-2"),
                  event(Ids.random("ev"), aDev, "gc-3"),
                  event(Ids.random("ev"), aProd, "gc-4")));

      assertThat(failures).hasSize(5);
      assertThat(failures.get(1)).as("the invalid event").isNotNull();
      assertThat(Arrays.asList(failures.get(0), failures.get(2), failures.get(3), failures.get(4)))
          .as("every other event committed")
          .containsOnlyNulls();
    }
    assertThat(count(aDev, "gc-1")).isEqualTo(1);
    assertThat(count(aDev, "gc-3")).isEqualTo(1);
    assertThat(count(aDev, "gc-bad")).isZero();
    assertThat(count(bDev, "gc-2")).isEqualTo(1);
    assertThat(count(aProd, "gc-4")).isEqualTo(1);
    assertThat(count(aDev, "gc-2")).as("RLS: b's event is not in a's scope").isZero();
    assertThat(count(aDev, "gc-4")).as("env: prod's event is not in dev").isZero();
  }

  @Test
  void commitAllWhenDatabaseUnreachableThenTheBatchFailsAtOnceWithoutRetryingEachEvent() {
    DriverManagerDataSource nowhere =
        new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/nowhere");
    ScopedTransactions unreachable =
        new ScopedTransactions(
            JdbcClient.create(nowhere), new DataSourceTransactionManager(nowhere));
    Scope scope = Scope.of("t_nowhere", "dev");
    try (StandaloneEventWriter writer =
        new StandaloneEventWriter(new Ledger(JdbcClient.create(nowhere)), unreachable)) {
      List<RuntimeException> failures =
          writer.commitAll(
              List.of(
                  event(Ids.random("ev"), scope, "gc-down-1"),
                  event(Ids.random("ev"), scope, "gc-down-2"),
                  event(Ids.random("ev"), scope, "gc-down-3")));

      assertThat(failures).doesNotContainNull();
      assertThat(failures.get(1))
          .as("one attempt for the batch, not one per event")
          .isSameAs(failures.get(0));
      assertThat(failures.get(2)).isSameAs(failures.get(0));
    }
  }

  @Test
  void appendWhenManyThreadsThenEachReturnsAfterItsOwnEventIsCommitted() throws Exception {
    Member a = tenants.tenant("gcc");
    Member b = tenants.tenant("gcd");
    int perThread = 25;
    int threads = 16;
    try (StandaloneEventWriter writer = new StandaloneEventWriter(ledger, tx);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Scope scope = Scope.of((t % 2 == 0 ? a : b).tenantId(), t % 4 < 2 ? "dev" : "staging");
        String prefix = "gcm-" + t + "-";
        runs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    writer.append(event(Ids.random("ev"), scope, prefix + i));
                    // visible the moment append returns: committed, in the caller's scope
                    assertThat(count(scope, prefix + i)).isEqualTo(1);
                  }
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    }
    long total = 0;
    for (Member m : List.of(a, b)) {
      for (String env : List.of("dev", "staging")) {
        Scope scope = Scope.of(m.tenantId(), env);
        total +=
            tx.read(
                Caller.system(scope, "test"),
                () ->
                    jdbc.sql("SELECT count(*) FROM dataset_events WHERE request_id LIKE 'gcm-%'")
                        .query(Long.class)
                        .single());
      }
    }
    assertThat(total).isEqualTo((long) threads * perThread);
  }
}
