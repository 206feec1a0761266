package dev.engines.api.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.SessionFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Many threads of one session at once: each appends turns and increments a counter on the shared
 * blackboard with If-Match, retrying on 412. No update may be lost, no turn duplicated or skipped,
 * and nothing may fail otherwise.
 */
class SessionConcurrencyIntegrationTests extends IntegrationTest {

  private static final int THREADS = 12;
  private static final int ROUNDS = 8;

  @Test
  void threadsWhenAppendingTurnsAndUpdatingOneBlackboardEntryThenNoLostUpdateAndNoDuplicateTurn()
      throws Exception {
    Member owner = tenants.tenant("sconc");
    tenants.configureSession(owner, "dev");
    Member service = tenants.serviceKey(owner, "member", null, true);
    String id = new SessionFixtures(api).session(owner, "dev");
    String counter = "/v1/sessions/" + id + "/blackboard/counter";
    assertThat(
            api.put(counter)
                .as(owner, "dev")
                .header("If-None-Match", "*")
                .json(Map.of("value", 0))
                .send()
                .status())
        .isEqualTo(201);

    AtomicInteger conflicts = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      // Half the threads are the user, half a service key acting for them: both are the session's
      // owner.
      Callable<List<String>> work =
          () -> {
            start.await();
            List<String> turnIds = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
              TestApi.Response turn =
                  call(api.post("/v1/sessions/" + id + "/turns"), thread, owner, service)
                      .json(
                          Map.of("role", "user", "content", "thread " + thread + " round " + round))
                      .send();
              assertThat(turn.status()).as("%s", turn).isEqualTo(201);
              turnIds.add(turn.text("turn_id"));
              while (true) {
                TestApi.Response read = call(api.get(counter), thread, owner, service).send();
                assertThat(read.status()).as("%s", read).isEqualTo(200);
                int value = read.json().get("value").asInt();
                TestApi.Response write =
                    call(api.put(counter), thread, owner, service)
                        .header("If-Match", read.header("ETag"))
                        .json(Map.of("value", value + 1))
                        .send();
                if (write.status() == 200) {
                  break;
                }
                assertThat(write.status()).as("%s", write).isEqualTo(412);
                conflicts.incrementAndGet();
              }
            }
            return turnIds;
          };
      results.add(pool.submit(work));
    }
    start.countDown();
    Set<String> turnIds = new HashSet<>();
    for (Future<List<String>> result : results) {
      turnIds.addAll(result.get());
    }
    pool.shutdown();

    int total = THREADS * ROUNDS;
    assertThat(api.get(counter).as(owner, "dev").send().json().get("value").asInt())
        .as("no lost update")
        .isEqualTo(total);
    assertThat(turnIds).as("every append its own turn").hasSize(total);
    List<Integer> seqs = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get(
                  "/v1/sessions/"
                      + id
                      + "/turns?limit=500"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .as(owner, "dev")
              .send()
              .json();
      page.get("items")
          .forEach(
              t -> {
                seqs.add(t.get("seq").asInt());
                listed.add(t.get("turn_id").asString());
              });
      cursor =
          page.path("next_cursor").isNull() || page.path("next_cursor").isMissingNode()
              ? null
              : page.get("next_cursor").asString();
    } while (cursor != null);
    assertThat(seqs)
        .as("seq 1..n, each once, in order")
        .isEqualTo(IntStream.rangeClosed(1, total).boxed().toList());
    assertThat(listed).isEqualTo(turnIds);
    assertThat(
            api.get("/v1/sessions/" + id).as(owner, "dev").send().json().get("turn_count").asInt())
        .isEqualTo(total);
    System.out.printf(
        "session concurrency: %d threads x %d rounds, %d If-Match conflicts retried%n",
        THREADS, ROUNDS, conflicts.get());
  }

  private static TestApi.Call call(TestApi.Call call, int thread, Member owner, Member service) {
    return thread % 2 == 0
        ? call.as(owner, "dev")
        : call.as(service, "dev").header("X-User-Id", owner.userId());
  }
}
