package dev.engines.gates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The tokens this replica holds of the shared rate-limit buckets (docs/adr/gate-limits.md): a
 * request spends one token of each of its buckets from memory; a bucket with no token left here
 * takes a batch ({@value #BATCH_PERCENT} % of its limit, at least one) from the bucket in
 * PostgreSQL ({@code gate_tokens}, V70), and what a replica holds unspent for {@link #LEASE_NANOS}
 * goes back to the shared bucket at the next {@link #sync}.
 *
 * <p>The bound: a replica never holds more than one batch of a bucket, and every token it spends
 * was taken from the shared bucket first. So in any window the requests admitted across all
 * replicas exceed what the shared bucket gave out in that window (its limit plus its refill) by at
 * most replicas × batch — the tokens held when the window began — and fall short of it by at most
 * as much (tokens held unspent when it ends, given back within a lease).
 *
 * <p>Keys are the tenant and the bucket (the bucket names the env where it is per env). A change of
 * a bucket's limit (the env's gates slot) drops what is held under the old limit.
 */
final class TokenReservations {

  /** A batch is this share of the bucket's limit per minute. */
  static final int BATCH_PERCENT = 1;

  /** Tokens held unspent this long go back to the shared bucket. */
  static final long LEASE_NANOS = 1_000_000_000L;

  /** The shared buckets: {@link Limiter#tokens} ({@code gate_tokens}, V70). */
  interface SharedBuckets {
    /** Takes (amount > 0) or gives back (< 0) tokens of a tenant's buckets. */
    Limiter.Tokens tokens(String tenantId, String[] buckets, Double[] limits, Double[] amounts);
  }

  private final SharedBuckets limiter;
  private final LongSupplier nanos;
  private final Map<Key, Held> held = new ConcurrentHashMap<>();

  TokenReservations(SharedBuckets limiter, LongSupplier nanos) {
    this.limiter = limiter;
    this.nanos = nanos;
  }

  private record Key(String tenantId, String bucket) {}

  /** What this replica holds of one bucket; guarded by its lock. */
  private static final class Held {
    final ReentrantLock lock = new ReentrantLock();
    double limit;
    double tokens;

    /** The shared bucket's tokens after this replica last took from it. */
    double shared;

    long usedAt;
  }

  /** The batch a replica takes of a bucket of {@code limit} per minute. */
  static double batch(double limit) {
    return Math.max(1, Math.floor(limit * BATCH_PERCENT / 100.0));
  }

  /**
   * What one request got: for each bucket (in the order asked) the tokens remaining after it, as
   * far as this replica knows (null: unlimited), and, when refused, the first bucket without a
   * token and the seconds until it has one.
   */
  record Taken(
      String tenantId,
      String[] buckets,
      Double[] limits,
      double[] remaining,
      int refused,
      int retryAfter) {

    boolean admitted() {
      return refused < 0;
    }
  }

  /**
   * Takes one token of each limited bucket ({@code limits[i]} null: unlimited). All or none: when a
   * bucket has no token, the tokens taken of the others go back to this replica's holdings.
   */
  Taken take(String tenantId, String[] buckets, Double[] limits) {
    int n = buckets.length;
    double[] remaining = new double[n];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (limits[i] != null) {
        order.add(i);
      }
    }
    // Locks in one order (bucket name), so requests sharing buckets never wait on each other in a
    // cycle.
    order.sort(Comparator.comparing(i -> buckets[i]));
    Held[] mine = new Held[n];
    List<Held> locked = new ArrayList<>();
    try {
      Map<Integer, Held> empty = new LinkedHashMap<>();
      for (int i : order) {
        Key key = new Key(tenantId, buckets[i]);
        Held h;
        while (true) {
          h = held.computeIfAbsent(key, k -> new Held());
          h.lock.lock();
          if (held.get(key) == h) {
            break;
          }
          // sync() dropped this holding between the lookup and the lock: take the current one.
          h.lock.unlock();
        }
        locked.add(h);
        mine[i] = h;
        if (h.limit != limits[i]) {
          // Tokens held under another limit are dropped, not given back: the new limit starts from
          // the shared bucket.
          h.limit = limits[i];
          h.tokens = 0;
        }
        if (h.tokens < 1) {
          empty.put(i, h);
        }
      }
      if (!empty.isEmpty()) {
        String[] names = new String[empty.size()];
        Double[] lims = new Double[empty.size()];
        Double[] wants = new Double[empty.size()];
        int j = 0;
        for (Map.Entry<Integer, Held> e : empty.entrySet()) {
          names[j] = buckets[e.getKey()];
          lims[j] = limits[e.getKey()];
          wants[j] = batch(limits[e.getKey()]) - Math.floor(e.getValue().tokens);
          j++;
        }
        Limiter.Tokens got = limiter.tokens(tenantId, names, lims, wants);
        long at = nanos.getAsLong();
        j = 0;
        for (Held h : empty.values()) {
          h.usedAt = at;
          h.tokens += got.granted()[j];
          h.shared = got.available()[j] == null ? 0 : got.available()[j];
          j++;
        }
      }
      long now = nanos.getAsLong();
      int refused = -1;
      for (int i : order) {
        Held h = mine[i];
        if (h.tokens < 1 && (refused < 0 || i < refused)) {
          refused = i;
        }
      }
      for (int i = 0; i < n; i++) {
        remaining[i] = Double.NaN;
      }
      int retryAfter = 0;
      for (int i : order) {
        Held h = mine[i];
        if (refused < 0) {
          h.tokens -= 1;
          h.usedAt = now;
        }
        remaining[i] = h.tokens + h.shared;
        if (i == refused) {
          retryAfter = (int) Math.max(1, Math.ceil((1 - h.tokens - h.shared) * 60.0 / limits[i]));
        }
      }
      return new Taken(tenantId, buckets, limits, remaining, refused, retryAfter);
    } finally {
      for (Held h : locked) {
        h.lock.unlock();
      }
    }
  }

  /**
   * Gives the tokens of an admitted request back to this replica's holdings (a request the chain
   * refused after its admission, at its strategy lock). What would take a holding past its batch
   * goes back to the shared bucket at once.
   */
  void giveBack(Taken taken) {
    if (!taken.admitted()) {
      return;
    }
    List<String> names = new ArrayList<>();
    List<Double> limits = new ArrayList<>();
    for (int i = 0; i < taken.buckets().length; i++) {
      Double limit = taken.limits()[i];
      if (limit == null) {
        continue;
      }
      Key key = new Key(taken.tenantId(), taken.buckets()[i]);
      Held h = held.get(key);
      boolean kept = false;
      if (h != null) {
        h.lock.lock();
        try {
          if (held.get(key) == h && h.limit == limit && h.tokens + 1 <= batch(limit)) {
            h.tokens += 1;
            kept = true;
          }
        } finally {
          h.lock.unlock();
        }
      }
      if (!kept) {
        names.add(taken.buckets()[i]);
        limits.add(limit);
      }
    }
    if (!names.isEmpty()) {
      Double[] minusOne = new Double[names.size()];
      Arrays.fill(minusOne, -1.0);
      limiter.tokens(
          taken.tenantId(), names.toArray(String[]::new), limits.toArray(Double[]::new), minusOne);
    }
  }

  /**
   * Gives back to the shared buckets what this replica held unspent for a lease (all of it when
   * {@code all}, at shutdown), and forgets the holdings it emptied.
   */
  void sync(boolean all) {
    long now = nanos.getAsLong();
    Map<String, List<Object[]>> back = new LinkedHashMap<>();
    for (Map.Entry<Key, Held> e : held.entrySet()) {
      Held h = e.getValue();
      if (!h.lock.tryLock()) {
        continue;
      }
      try {
        if (all || now - h.usedAt >= LEASE_NANOS) {
          if (h.tokens >= 1) {
            back.computeIfAbsent(e.getKey().tenantId(), t -> new ArrayList<>())
                .add(new Object[] {e.getKey().bucket(), h.limit, -Math.floor(h.tokens)});
          }
          h.tokens = 0;
          held.remove(e.getKey(), h);
        }
      } finally {
        h.lock.unlock();
      }
    }
    back.forEach(
        (tenantId, rows) -> {
          rows.sort(Comparator.comparing(r -> (String) r[0]));
          limiter.tokens(
              tenantId,
              rows.stream().map(r -> (String) r[0]).toArray(String[]::new),
              rows.stream().map(r -> (Double) r[1]).toArray(Double[]::new),
              rows.stream().map(r -> (Double) r[2]).toArray(Double[]::new));
        });
  }

  /** Forgets what this replica holds of a tenant (its purge): nothing is given back. */
  void forget(String tenantId) {
    held.keySet().removeIf(k -> k.tenantId().equals(tenantId));
  }
}
