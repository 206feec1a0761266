package dev.engines.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A surface's Temperature over a window, computed by the locked formulas ({@link
 * TemperatureFormula}). Same observations, configuration and {@code as_of} ⇒ the same values, in
 * the same order, rendered as the same bytes.
 *
 * @param asOf the window's end (exclusive), at microsecond precision
 * @param windowStart {@code as_of − window_days} (inclusive)
 * @param windowEnd {@code as_of}
 * @param value Σ(raw × weight) / Σ|weight| over the weights; 0 without weights
 * @param rawMetrics per metric named by the configuration, the sum of its observations in the
 *     window; a metric without any is absent (and counts as 0)
 * @param floorsBreached metrics below their performance floor, by name, then those below their
 *     cadence floor, by name (a metric can appear in both)
 * @param ceilingsBreached metrics above their ceiling, by name
 * @param kpiCorridorsUsed the names of the surface's KPIs that have a corridor, sorted
 * @param configVersions the versions of the configuration parts used (0: never set)
 */
public record Snapshot(
    String surface,
    Instant asOf,
    int windowDays,
    Instant windowStart,
    Instant windowEnd,
    @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal value,
    @JsonSerialize(contentUsing = Decimals.PlainSerializer.class)
        SortedMap<String, BigDecimal> rawMetrics,
    List<String> floorsBreached,
    List<String> ceilingsBreached,
    List<String> kpiCorridorsUsed,
    ConfigVersions configVersions) {

  public Snapshot {
    rawMetrics = Collections.unmodifiableSortedMap(new TreeMap<>(rawMetrics));
    floorsBreached = List.copyOf(floorsBreached);
    ceilingsBreached = List.copyOf(ceilingsBreached);
    kpiCorridorsUsed = List.copyOf(kpiCorridorsUsed);
  }

  /** The version of each configuration part a snapshot used. */
  public record ConfigVersions(int floors, int ceilings, int weights) {}
}
