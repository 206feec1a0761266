package dev.engines.gates;

import dev.engines.core.db.ChangeListener;
import dev.engines.core.db.NotifiedCache;
import dev.engines.core.scope.Scope;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;

/**
 * What this replica knows of each tenant/env's gates — its kill switch and its {@code gates} config
 * slot — so that admitting a request costs no statement in steady state
 * (docs/adr/0018-gate-state-cache.md). An entry is keyed by the {@link Scope} it was read for and
 * answers that tenant/env only.
 *
 * <p>Freshness: every change of a kill switch or a gates slot notifies channel {@value #CHANNEL}
 * with the tenant's id when it commits (V80); the replica's {@link ChangeListener} then drops the
 * tenant's entries. The replica that makes the change drops them itself when its transaction
 * completes ({@link #changedAfterCommit}), so there it applies to the very next request; on another
 * replica within {@link ChangeListener#CONFIRMED_WITHIN}. While the listener is not connected and
 * confirmed, the cache is empty and every request reads the state from the database, as before.
 */
public final class GateStateCache {

  /** The channel V80's triggers notify. */
  static final String CHANNEL = "engines_gates";

  /** An entry is read again after this long, notification or not. */
  static final Duration MAX_AGE = Duration.ofSeconds(10);

  /** A bound on memory: past it, the cache starts over. */
  static final int MAX_ENTRIES = 100_000;

  /**
   * An env's gates as read: the kill switch's disabled actions and providers, and the gates slot's
   * numbers by dotted path ({@code rate_limits.env}, {@code budgets.prices.nexus:derive}; none when
   * the slot was never set).
   */
  record State(
      Set<String> disabledActions, Set<String> disabledProviders, Map<String, Double> slot) {

    /** The slot's number at {@code path}, null when not set (or {@code path} is empty). */
    Double value(String path) {
      return slot.get(path);
    }

    /** The action's price in the slot's budgets, 0 without one. */
    double price(String action) {
      Double price = slot.get("budgets.prices." + action);
      return price == null ? 0 : price;
    }

    /** The numbers of a slot's settings, by dotted path. */
    static Map<String, Double> numbers(JsonNode settings) {
      Map<String, Double> numbers = new HashMap<>();
      if (settings != null) {
        collect("", settings, numbers);
      }
      return Map.copyOf(numbers);
    }

    private static void collect(String prefix, JsonNode node, Map<String, Double> into) {
      if (node.isNumber()) {
        into.put(prefix, node.doubleValue());
      } else if (node.isObject()) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          collect(
              prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(),
              field.getValue(),
              into);
        }
      }
    }
  }

  private final NotifiedCache<Scope, State> entries;
  private final Limiter limiter;
  private final LongAdder reads = new LongAdder();

  GateStateCache(ChangeListener listener, Limiter limiter) {
    this.entries =
        listener.cache(CHANNEL, MAX_AGE, MAX_ENTRIES, (scope, state) -> scope.tenantId());
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  /** The gates of {@code scope}: from the cache, else read from the database (and kept). */
  State get(Scope scope) {
    // The generation first: a change heard after it keeps this read out of the cache.
    long generation = entries.generation();
    State cached = entries.get(scope);
    if (cached != null) {
      return cached;
    }
    long readAt = entries.now();
    State state = limiter.state(scope);
    reads.increment();
    entries.put(scope, state, generation, readAt);
    return state;
  }

  /** Whether the cache answers: the replica's change listener listens on its channel. */
  public boolean listening() {
    return entries.listening();
  }

  /** How many times this replica read an env's gates from the database (a cache miss or bypass). */
  public long reads() {
    return reads.sum();
  }

  /**
   * Drops the entries of {@code tenantId} now and when the open transaction completes: a change of
   * a kill switch or a gates slot made on this replica applies to its very next request.
   */
  void changedAfterCommit(String tenantId) {
    entries.changedAfterCommit(tenantId);
  }
}
