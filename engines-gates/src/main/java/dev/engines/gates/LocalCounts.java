package dev.engines.gates;

import dev.engines.core.scope.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests and cost units this replica counted in memory for envs with no request quota and no
 * budget in force (nothing to check them against), added to {@code usage_counters} ({@code
 * gate_count}, V70) at every sync and before this replica reports an env's usage. Counts under a
 * quota or a budget never come here: the statement that checks them counts them.
 */
final class LocalCounts {

  private static final Logger log = LoggerFactory.getLogger(LocalCounts.class);

  private final Limiter limiter;
  // merge and remove are atomic per key: a count added while a flush takes the key is in that flush
  // or the next.
  private final Map<Key, Double> pending = new ConcurrentHashMap<>();
  // Purged tenants: a flush that fails for one of them drops its counts instead of keeping them.
  private final Set<String> purged = ConcurrentHashMap.newKeySet();

  LocalCounts(Limiter limiter) {
    this.limiter = limiter;
  }

  private record Key(String tenantId, String env, String meter, String period) {}

  /** Adds {@code amount} (negative: a refund) to a counter of the env. */
  void add(Scope scope, String meter, String period, double amount) {
    pending.merge(
        new Key(scope.tenantId(), scope.env().wire(), meter, period), amount, Double::sum);
  }

  /** Writes what was counted, for one env ({@code only}) or all (null). */
  void flush(Scope only) {
    Map<List<String>, List<Object[]>> byEnv = new LinkedHashMap<>();
    for (Key k : pending.keySet()) {
      if (only != null
          && !(k.tenantId().equals(only.tenantId()) && k.env().equals(only.env().wire()))) {
        continue;
      }
      Double amount = pending.remove(k);
      if (amount != null && amount != 0) {
        byEnv
            .computeIfAbsent(List.of(k.tenantId(), k.env()), x -> new ArrayList<>())
            .add(new Object[] {k.meter(), k.period(), amount});
      }
    }
    byEnv.forEach(
        (env, rows) -> {
          rows.sort(
              Comparator.comparing((Object[] r) -> (String) r[0])
                  .thenComparing(r -> (String) r[1]));
          try {
            limiter.count(
                env.get(0),
                env.get(1),
                rows.stream().map(r -> (String) r[0]).toArray(String[]::new),
                rows.stream().map(r -> (String) r[1]).toArray(String[]::new),
                rows.stream().map(r -> (Double) r[2]).toArray(Double[]::new));
          } catch (RuntimeException e) {
            // Kept for the next sync rather than lost (a database outage of a few seconds must not
            // erase usage); a purged tenant's last counts have nowhere to go.
            if (purged.contains(env.get(0))) {
              return;
            }
            rows.forEach(
                r ->
                    pending.merge(
                        new Key(env.get(0), env.get(1), (String) r[0], (String) r[1]),
                        (Double) r[2],
                        Double::sum));
            log.warn(
                "usage counts of one env not written, kept for the next sync ({})",
                e.getClass().getSimpleName());
          }
        });
  }

  /** Forgets what this replica counted for a tenant (its purge). */
  void forget(String tenantId) {
    purged.add(tenantId);
    pending.keySet().removeIf(k -> k.tenantId().equals(tenantId));
  }
}
