package dev.engines.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Many threads, two tenants, mixed successful and failing requests at once: every log line and
 * ledger event carries the tenant of its own request and never the other one, and metrics carry no
 * tenant at all (per-tenant counts are the ledger's), yet count every request and event.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConcurrencyIsolationIntegrationTests extends IntegrationTest {

  private static final int THREADS = 8;
  private static final int REQUESTS_PER_THREAD = 60;

  @Autowired MeterRegistry meters;

  @Test
  void mixedRequestsWhenConcurrentThenNoLogEventOrMetricCarriesTheWrongTenant(CapturedOutput output)
      throws Exception {
    Member a = tenants.tenant("cca");
    Member b = tenants.tenant("ccb");
    Member viewerA = tenants.user(a, "viewer");
    Member viewerB = tenants.user(b, "viewer");
    Map<String, String> tenantOfRequest = new ConcurrentHashMap<>();
    Map<String, String> failingTenantOfRequest = new ConcurrentHashMap<>();
    double requestsBefore = requests();
    double failureEventsBefore = sum("engines.events", "failure");
    double eventsBefore = sum("engines.events", null);
    double unrecordedBefore = sum("engines.events.unrecorded", null);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                  boolean useA = (thread + i) % 2 == 0;
                  Member owner = useA ? a : b;
                  Member viewer = useA ? viewerA : viewerB;
                  String requestId = "cc-" + thread + "-" + i;
                  tenantOfRequest.put(requestId, owner.tenantId());
                  if (i % 5 == 2 || i % 5 == 3) {
                    failingTenantOfRequest.put(
                        requestId, owner.tenantId()); // viewer writes (403), unknown user (404)
                  }
                  TestApi.Call call =
                      switch (i % 5) {
                        case 0 -> api.get("/v1/me").as(owner, "dev");
                        case 1 -> api.get("/v1/users").as(owner, "dev");
                        case 2 ->
                            api.post("/v1/users")
                                .as(viewer, "dev")
                                .json(
                                    Map.of(
                                        "email",
                                        "x@y.example",
                                        "display_name",
                                        "X",
                                        "role",
                                        "viewer"));
                        case 3 ->
                            api.get("/v1/users/u_aaaaaaaaaaaaaaaaaaaaaaaaaa").as(owner, "dev");
                        default -> api.get("/v1/api-keys").as(viewer, "dev");
                      };
                  TestApi.Response response = call.header("X-Request-Id", requestId).send();
                  assertThat(response.body()).doesNotContain((useA ? b : a).tenantId());
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();

    int events = 0;
    int logLines = 0;
    int mismatches = 0;
    for (Member tenant : List.of(a, b)) {
      Scope scope = Scope.of(tenant.tenantId(), "dev");
      List<String> requestIds =
          tx.read(
              Caller.system(scope, "test"),
              () ->
                  jdbc.sql("SELECT request_id FROM dataset_events WHERE request_id LIKE 'cc-%'")
                      .query(String.class)
                      .list());
      for (String requestId : requestIds) {
        events++;
        if (!tenant.tenantId().equals(tenantOfRequest.get(requestId))) {
          mismatches++;
        }
      }
    }
    for (String line : output.getOut().lines().filter(l -> l.contains("\"cc-")).toList()) {
      JsonNode log = TestApi.JSON.readTree(line);
      String requestId = log.path("transaction").path("id").asString(null);
      if (requestId == null || !tenantOfRequest.containsKey(requestId)) {
        continue;
      }
      logLines++;
      JsonNode tenant = log.path("labels").path("tenant_id");
      if (!tenant.isMissingNode() && !tenant.asString().equals(tenantOfRequest.get(requestId))) {
        mismatches++;
      }
    }
    double requests = requests() - requestsBefore;
    System.out.printf(
        "concurrency: %d requests on %d threads, %d events, %d log lines, metrics=%.0f, mismatches=%d%n",
        tenantOfRequest.size(), THREADS, events, logLines, requests, mismatches);
    assertThat(events).as("one event per request").isEqualTo(THREADS * REQUESTS_PER_THREAD);
    assertThat(logLines)
        .as("one access line per request")
        .isGreaterThanOrEqualTo(THREADS * REQUESTS_PER_THREAD);
    assertThat(mismatches).isZero();
    // Per tenant, from the ledger: each tenant's events are exactly its own requests, failures
    // included.
    for (Member tenant : List.of(a, b)) {
      long failuresSent =
          failingTenantOfRequest.values().stream().filter(tenant.tenantId()::equals).count();
      long sent = tenantOfRequest.values().stream().filter(tenant.tenantId()::equals).count();
      assertThat(ledgerEvents(tenant.tenantId(), "failure")).isEqualTo(failuresSent);
      assertThat(
              ledgerEvents(tenant.tenantId(), "success")
                  + ledgerEvents(tenant.tenantId(), "failure"))
          .isEqualTo(sent);
    }
    // Metrics: no series names a tenant, and the unlabelled counters still count every request and
    // event.
    assertThat(meters.getMeters())
        .allSatisfy(
            m ->
                assertThat(m.getId().getTags())
                    .as("%s", m.getId())
                    .noneMatch(
                        t ->
                            t.getKey().equals("tenant")
                                || t.getValue().equals(a.tenantId())
                                || t.getValue().equals(b.tenantId())));
    assertThat(requests).isEqualTo(THREADS * REQUESTS_PER_THREAD);
    assertThat(sum("engines.events", "failure") - failureEventsBefore)
        .isEqualTo(failingTenantOfRequest.size());
    assertThat(sum("engines.events", null) - eventsBefore).isEqualTo(THREADS * REQUESTS_PER_THREAD);
    assertThat(sum("engines.events.unrecorded", null) - unrecordedBefore).isZero();
  }

  /** This test's events of {@code tenant} with {@code outcome}, read from its ledger. */
  private long ledgerEvents(String tenant, String outcome) {
    return tx.read(
        Caller.system(Scope.of(tenant, "dev"), "test"),
        () ->
            jdbc.sql(
                    "SELECT count(*) FROM dataset_events WHERE request_id LIKE 'cc-%' AND outcome = :outcome")
                .param("outcome", outcome)
                .query(Long.class)
                .single());
  }

  /**
   * Requests served so far, by Spring's {@code http.server.requests} timers (every route and
   * status).
   */
  private double requests() {
    return meters.find("http.server.requests").timers().stream().mapToDouble(Timer::count).sum();
  }

  /** The sum of a counter over all its series, or over those with {@code outcome}. */
  private double sum(String name, String outcome) {
    var search = meters.find(name);
    if (outcome != null) {
      search = search.tag("outcome", outcome);
    }
    return search.counters().stream().mapToDouble(Counter::count).sum();
  }
}
