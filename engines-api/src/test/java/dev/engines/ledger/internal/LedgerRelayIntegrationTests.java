package dev.engines.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.Ledger;
import dev.engines.ledger.RefType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The relay against a real local HTTP receiver that fails, goes away and comes back. */
class LedgerRelayIntegrationTests extends IntegrationTest {

  @Autowired Ledger ledger;

  private HttpServer receiver;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger answer = new AtomicInteger(200);

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/api/v1/lineage",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status = answer.get();
          if (status == 200) {
            received.add(body);
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private LedgerRelay relayTo(URI url) {
    return new LedgerRelay(
        jdbc,
        tx,
        ledger,
        List.of(new OpenLineageSink(url, Duration.ofSeconds(2))),
        2,
        Clock.systemUTC());
  }

  private void append(
      Scope scope,
      String action,
      String kind,
      List<DatasetEvent.Ref> in,
      List<DatasetEvent.Ref> out) {
    DatasetEvent e =
        new DatasetEvent(
            Ids.random("ev"),
            scope,
            Instant.now(),
            "nexus",
            action,
            kind,
            "user",
            "u_test",
            null,
            null,
            null,
            in,
            out,
            null,
            true,
            DatasetEvent.SUCCESS,
            null,
            "0123456789abcdef0123456789abcdef",
            "req-relay");
    tx.write(
        Caller.system(scope, "test"),
        () -> {
          ledger.append(e);
          return null;
        });
  }

  /**
   * The relay publishes only events below the server's oldest open transaction (so a commit in
   * flight can never be skipped); any open transaction on the same PostgreSQL server, in another
   * database too, holds that horizon back. Waits, bounded, until this test's events are below it.
   */
  private void awaitRelayHorizon(Scope scope) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Boolean.TRUE.equals(
        tx.read(
            Caller.system(scope, "test"),
            () ->
                jdbc.sql(
                        "SELECT bool_and(tx_id < pg_snapshot_xmin(pg_current_snapshot()))"
                            + " FROM dataset_events WHERE tenant_id = :tenant AND env = :env")
                    .param("tenant", scope.tenantId())
                    .param("env", scope.env().wire())
                    .query(Boolean.class)
                    .single()))) {
      assertThat(System.nanoTime())
          .as("events still above the relay's horizon after 60 s")
          .isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void relayWhenReceiverFailsOrIsDownThenNothingLostAndNothingSentTwiceAfterAck()
      throws IOException {
    Member owner = tenants.tenant("relay");
    Scope scope = Scope.of(owner.tenantId(), "dev");
    var asset =
        new DatasetEvent.Ref(
            RefType.ASSET, "ra_" + Ids.randomToken(12).replaceAll("[^a-z0-9]", "a"));
    append(scope, "asset.create", DatasetEvent.WRITE, List.of(), List.of(asset));
    append(
        scope,
        "derivation.create",
        DatasetEvent.WRITE,
        List.of(asset),
        List.of(new DatasetEvent.Ref(RefType.DERIVATION, "dv_1")));
    append(
        scope,
        "atom.get",
        DatasetEvent.READ,
        List.of(new DatasetEvent.Ref(RefType.ATOM, "at_1")),
        List.of());
    append(scope, "asset.delete", DatasetEvent.WRITE, List.of(asset), List.of(asset));
    awaitRelayHorizon(scope);
    URI live = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort());

    URI down;
    try (ServerSocket socket = new ServerSocket(0)) {
      down = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    LedgerRelay.Pass unreachable = relayTo(down).runFor(List.of(owner.tenantId()));
    assertThat(unreachable.failedBatches()).isPositive();
    assertThat(unreachable.delivered()).isZero();

    answer.set(503);
    LedgerRelay.Pass refused = relayTo(live).runFor(List.of(owner.tenantId()));
    assertThat(refused.delivered()).isZero();
    assertThat(received).isEmpty();

    answer.set(200);
    LedgerRelay.Pass ok = relayTo(live).runFor(List.of(owner.tenantId()));
    assertThat(ok.failedBatches()).isZero();
    assertThat(ok.delivered())
        .as("all four events acknowledged, lineage or not")
        .isGreaterThanOrEqualTo(4);
    assertThat(received).as("create, the derivation's START and COMPLETE, delete").hasSize(4);
    JsonNode created = TestApi.JSON.readTree(received.get(0));
    assertThat(created.get("dataset").get("namespace").asString())
        .isEqualTo("engines/" + owner.tenantId() + "/dev");
    assertThat(created.get("dataset").get("name").asString()).isEqualTo("asset/" + asset.id());
    assertThat(TestApi.JSON.readTree(received.get(1)).get("eventType").asString())
        .isEqualTo("START");
    JsonNode run = TestApi.JSON.readTree(received.get(2));
    assertThat(run.get("eventType").asString()).isEqualTo("COMPLETE");
    assertThat(run.get("inputs").get(0).get("name").asString()).isEqualTo("asset/" + asset.id());
    assertThat(run.get("outputs").get(0).get("name").asString()).isEqualTo("derivation/dv_1");
    assertThat(
            TestApi.JSON
                .readTree(received.get(3))
                .get("dataset")
                .get("facets")
                .get("lifecycleStateChange")
                .get("lifecycleStateChange")
                .asString())
        .isEqualTo("DROP");

    LedgerRelay.Pass again = relayTo(live).runFor(List.of(owner.tenantId()));
    assertThat(again.delivered())
        .as("the request events of this test's API calls only")
        .isLessThanOrEqualTo(1);
    assertThat(received).as("nothing sent twice after a clean ack").hasSize(4);

    append(
        scope,
        "asset.create",
        DatasetEvent.WRITE,
        List.of(),
        List.of(new DatasetEvent.Ref(RefType.ASSET, "ra_second0001")));
    relayTo(live).runFor(List.of(owner.tenantId()));
    assertThat(received).hasSize(5);
    assertThat(received.get(4)).contains("asset/ra_second0001");
  }
}
