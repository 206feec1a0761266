package dev.engines.kpi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The locked Temperature formulas (DESIGN §10), as pure functions of the window's sums and the
 * configuration. Metric and KPI names sort by their UTF-16 code units (names are lower-case ASCII,
 * so this is byte order), never by a locale.
 */
public final class TemperatureFormula {

  private TemperatureFormula() {}

  /**
   * The metrics a snapshot looks at: every metric named by the weights, floors or ceilings, sorted.
   */
  public static SortedSet<String> metrics(TemperatureConfig config) {
    SortedSet<String> metrics = new TreeSet<>();
    metrics.addAll(config.weights().weights().keySet());
    metrics.addAll(config.floors().performanceFloors().keySet());
    metrics.addAll(config.floors().cadenceFloors().keySet());
    metrics.addAll(config.ceilings().ceilings().keySet());
    return metrics;
  }

  /**
   * The snapshot of {@code config}'s surface over {@code window}.
   *
   * @param sums per metric, the sum of its observations in the window; metrics without any are
   *     absent
   * @param corridorKpis the names of the surface's KPIs that have a corridor, in any order
   */
  public static Snapshot snapshot(
      TemperatureConfig config,
      Window window,
      Map<String, BigDecimal> sums,
      Collection<String> corridorKpis) {
    SortedSet<String> metrics = metrics(config);
    SortedMap<String, BigDecimal> raw = new TreeMap<>();
    sums.forEach(
        (metric, sum) -> {
          if (metrics.contains(metric)) {
            raw.put(metric, Decimals.normalize(sum));
          }
        });
    List<String> floorsBreached = new ArrayList<>(below(raw, config.floors().performanceFloors()));
    floorsBreached.addAll(below(raw, config.floors().cadenceFloors()));
    List<String> ceilingsBreached = new ArrayList<>();
    config
        .ceilings()
        .ceilings()
        .forEach(
            (metric, ceiling) -> {
              if (actual(raw, metric).compareTo(ceiling) > 0) {
                ceilingsBreached.add(metric);
              }
            });
    return new Snapshot(
        config.surface(),
        window.end(),
        window.days(),
        window.start(),
        window.end(),
        value(raw, config.weights().weights()),
        raw,
        floorsBreached,
        ceilingsBreached,
        List.copyOf(new TreeSet<>(corridorKpis)),
        new Snapshot.ConfigVersions(
            config.floors().version(), config.ceilings().version(), config.weights().version()));
  }

  /**
   * Σ(actual × weight) / Σ|weight|, half-even to {@value Decimals#VALUE_SCALE} places; 0 when there
   * are no weights or they are all 0.
   */
  static BigDecimal value(Map<String, BigDecimal> raw, SortedMap<String, BigDecimal> weights) {
    BigDecimal weighted = BigDecimal.ZERO;
    BigDecimal total = BigDecimal.ZERO;
    for (Map.Entry<String, BigDecimal> w : weights.entrySet()) {
      weighted = weighted.add(actual(raw, w.getKey()).multiply(w.getValue()));
      total = total.add(w.getValue().abs());
    }
    return total.signum() == 0 ? BigDecimal.ZERO : Decimals.divide(weighted, total);
  }

  /** The metrics of {@code floors} whose actual is below their floor, sorted by name. */
  private static List<String> below(
      Map<String, BigDecimal> raw, SortedMap<String, BigDecimal> floors) {
    List<String> breached = new ArrayList<>();
    floors.forEach(
        (metric, floor) -> {
          if (actual(raw, metric).compareTo(floor) < 0) {
            breached.add(metric);
          }
        });
    return breached;
  }

  /** A metric's sum in the window; 0 when it has no observation there. */
  private static BigDecimal actual(Map<String, BigDecimal> raw, String metric) {
    return raw.getOrDefault(metric, BigDecimal.ZERO);
  }
}
