package dev.engines.gates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The reservation's bound against an in-memory shared bucket that does not refill: replicas never
 * spend a token they did not take, never hold more than a batch, and give back what they hold.
 */
class TokenReservationsTests {

  /**
   * gate_tokens in memory: a bucket seen first starts full; no refill here (the bound is about the
   * reservations).
   */
  private static final class Shared implements TokenReservations.SharedBuckets {
    final Map<String, Double> tokens = new HashMap<>();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public synchronized Limiter.Tokens tokens(
        String tenantId, String[] buckets, Double[] limits, Double[] amounts) {
      calls.incrementAndGet();
      Double[] granted = new Double[buckets.length];
      Double[] available = new Double[buckets.length];
      for (int i = 0; i < buckets.length; i++) {
        Double held = tokens.get(tenantId + "/" + buckets[i]);
        double have = Math.min(limits[i], held == null ? limits[i] : held);
        granted[i] = amounts[i] > 0 ? Math.min(amounts[i], Math.floor(have)) : 0.0;
        have = amounts[i] > 0 ? have - granted[i] : Math.min(limits[i], have - amounts[i]);
        tokens.put(tenantId + "/" + buckets[i], have);
        available[i] = have;
      }
      return new Limiter.Tokens(granted, available);
    }
  }

  /**
   * {@code attempts} requests on each of 8 threads, alternating between the replicas; answers how
   * many were admitted.
   */
  private static int attempts(List<TokenReservations> replicas, double limit, int attempts)
      throws Exception {
    AtomicInteger admitted = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        TokenReservations replica = replicas.get(t % replicas.size());
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < attempts; i++) {
                    if (replica
                        .take("t_a", new String[] {"env:dev"}, new Double[] {limit})
                        .admitted()) {
                      admitted.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    return admitted.get();
  }

  @Test
  void twoReplicasWhenTheyShareABucketThenTheyAdmitWhatItGaveOutWithinABatchEachAndGiveBackTheRest()
      throws Exception {
    Shared shared = new Shared();
    AtomicLong clock = new AtomicLong();
    List<TokenReservations> replicas =
        List.of(
            new TokenReservations(shared, clock::get), new TokenReservations(shared, clock::get));
    double limit = 1_000;
    double batch = TokenReservations.batch(limit);
    int first = attempts(replicas, limit, 125);
    assertThat(first)
        .as(
            "1,000 attempts on a bucket of 1,000: all but what the replicas hold (one batch each at most)")
        .isBetween((int) (limit - 2 * batch), (int) limit);
    assertThat(shared.calls.get())
        .as("a statement per batch of %s, not per request", batch)
        .isLessThanOrEqualTo(first / 5);
    int second = attempts(replicas, limit, 100);
    assertThat(first + second)
        .as("never more than the bucket gave out")
        .isLessThanOrEqualTo((int) limit);
    assertThat(shared.tokens.get("t_a/env:dev")).as("drained").isLessThan(1);
    // After a lease, what the replicas hold goes back: the bucket and the admitted add up to its
    // limit.
    clock.addAndGet(TokenReservations.LEASE_NANOS);
    replicas.forEach(r -> r.sync(false));
    assertThat(shared.tokens.get("t_a/env:dev") + first + second).isEqualTo(limit);
  }

  @Test
  void requestWhenOneOfItsBucketsIsEmptyThenRefusedAndTheOthersKeepTheirTokens() {
    Shared shared = new Shared();
    TokenReservations replica = new TokenReservations(shared, () -> 0L);
    String[] buckets = {"tenant", "key:k1"};
    Double[] limits = {600.0, 2.0};
    assertThat(replica.take("t_b", buckets, limits).admitted()).isTrue();
    assertThat(replica.take("t_b", buckets, limits).admitted()).isTrue();
    TokenReservations.Taken refused = replica.take("t_b", buckets, limits);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.refused()).as("the key's bucket fired").isEqualTo(1);
    assertThat(refused.retryAfter()).as("one token of 2 per minute: 30 s").isEqualTo(30);
    // The tenant's bucket lost nothing to the refused request: 6 taken, 2 spent, 4 held.
    assertThat(refused.remaining()[0]).isEqualTo(598.0);
  }

  @Test
  void admittedRequestWhenGivenBackThenTheNextOneSpendsTheSameToken() {
    Shared shared = new Shared();
    TokenReservations replica = new TokenReservations(shared, () -> 0L);
    String[] buckets = {"env:dev:write"};
    Double[] limits = {1.0};
    TokenReservations.Taken first = replica.take("t_c", buckets, limits);
    assertThat(first.admitted()).isTrue();
    assertThat(replica.take("t_c", buckets, limits).admitted()).as("a limit of one").isFalse();
    replica.giveBack(first);
    assertThat(replica.take("t_c", buckets, limits).admitted()).as("the refunded token").isTrue();
  }

  @Test
  void limitWhenChangedThenWhatWasHeldUnderTheOldOneIsDropped() {
    Shared shared = new Shared();
    TokenReservations replica = new TokenReservations(shared, () -> 0L);
    assertThat(replica.take("t_d", new String[] {"env:dev"}, new Double[] {1_000.0}).remaining()[0])
        .isEqualTo(999.0);
    // Nine held under 1,000 are not spent under 3: the bucket itself is capped at the new limit.
    TokenReservations.Taken under3 =
        replica.take("t_d", new String[] {"env:dev"}, new Double[] {3.0});
    assertThat(under3.admitted()).isTrue();
    assertThat(under3.remaining()[0]).isEqualTo(2.0);
  }
}
