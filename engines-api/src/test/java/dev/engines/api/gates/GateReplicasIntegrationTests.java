package dev.engines.api.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.SecondInstance;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two application instances on one database, as replicas behind a load balancer run: a rate limit
 * of N per minute admits N (plus what refills while the test runs) across both, within 2 % of N —
 * the stated bound of the replicas' token reservations, one batch (1 % of N) each
 * (docs/adr/gate-limits.md) — where a bucket per process would admit close to 2N. The second
 * instance is a separate Spring context with its own connection pool and server, started here; the
 * first is the suite's.
 */
class GateReplicasIntegrationTests extends IntegrationTest {

  private static ConfigurableApplicationContext second;

  @BeforeAll
  static void secondInstance() {
    second = SecondInstance.start();
  }

  @AfterAll
  static void stopSecond() {
    if (second != null) {
      second.close();
    }
  }

  @Test
  void rateLimitWhenTwoInstancesShareTheDatabaseThenNPerMinuteAdmitsNWithinTwoPercentAcrossBoth()
      throws Exception {
    int limit = 400;
    Member owner = tenants.tenant("replicas");
    TestApi.Response slot =
        api.put("/v1/config/gates")
            .as(owner, "staging")
            .json(Map.of("four_eyes", false, "rate_limits", Map.of("env", limit)))
            .send();
    assertThat(slot.status()).as("%s", slot).isEqualTo(200);
    TestApi other = SecondInstance.api(second);

    int attempts = 2 * limit;
    AtomicInteger[] admitted = {new AtomicInteger(), new AtomicInteger()};
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        int instance = i % 2;
        TestApi client = instance == 0 ? api : other;
        sent.add(
            pool.submit(
                () -> {
                  TestApi.Response r = client.get("/v1/me").as(owner, "staging").send();
                  if (r.status() == 200) {
                    admitted[instance].incrementAndGet();
                  } else {
                    assertThat(r.code()).as("%s", r).isEqualTo("rate_limited");
                  }
                }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = admitted[0].get() + admitted[1].get();
    // The bucket starts full (N) and refills at N/60 per second while the requests keep coming.
    double expected = limit + limit * seconds / 60.0;
    assertThat(admitted[0].get()).as("the first instance admits some").isPositive();
    assertThat(admitted[1].get()).as("the second instance admits some").isPositive();
    assertThat((double) total)
        .as("admitted across both in %.2f s (expected %.1f)", seconds, expected)
        .isBetween(expected - 0.02 * limit, expected + 0.02 * limit);
  }
}
