package dev.engines.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A surface's Temperature configuration in one tenant/env: three parts, each versioned on its own.
 * A part never set reads as version 0 with no entries. Metric maps are sorted by metric name.
 */
public record TemperatureConfig(String surface, Floors floors, Ceilings ceilings, Weights weights) {

  /** The weights' {@code source} values. */
  public static final Set<String> SOURCES = Set.of("system_default", "tenant_override");

  /** Whether no part was ever set. */
  boolean unset() {
    return floors.version() == 0 && ceilings.version() == 0 && weights.version() == 0;
  }

  /**
   * The floors part: a metric whose actual is below its floor is breached.
   *
   * @param updatedAt null for version 0
   */
  public record Floors(
      int version,
      @JsonSerialize(contentUsing = Decimals.PlainSerializer.class)
          SortedMap<String, BigDecimal> performanceFloors,
      @JsonSerialize(contentUsing = Decimals.PlainSerializer.class)
          SortedMap<String, BigDecimal> cadenceFloors,
      Instant updatedAt,
      String updatedBy) {

    public Floors {
      performanceFloors = sorted(performanceFloors);
      cadenceFloors = sorted(cadenceFloors);
    }

    static final Floors NONE = new Floors(0, new TreeMap<>(), new TreeMap<>(), null, null);
  }

  /** The ceilings part: a metric whose actual is above its ceiling is breached. */
  public record Ceilings(
      int version,
      @JsonSerialize(contentUsing = Decimals.PlainSerializer.class)
          SortedMap<String, BigDecimal> ceilings,
      Instant updatedAt,
      String updatedBy) {

    public Ceilings {
      ceilings = sorted(ceilings);
    }

    static final Ceilings NONE = new Ceilings(0, new TreeMap<>(), null, null);
  }

  /**
   * The weights part: the Temperature's value is the weighted mean of the metrics' actuals.
   *
   * @param source {@code system_default} or {@code tenant_override}; null for version 0
   */
  public record Weights(
      int version,
      @JsonSerialize(contentUsing = Decimals.PlainSerializer.class)
          SortedMap<String, BigDecimal> weights,
      String source,
      Instant updatedAt,
      String updatedBy) {

    public Weights {
      weights = sorted(weights);
    }

    static final Weights NONE = new Weights(0, new TreeMap<>(), null, null, null);
  }

  private static SortedMap<String, BigDecimal> sorted(Map<String, BigDecimal> values) {
    TreeMap<String, BigDecimal> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, Decimals.normalize(v)));
    return Collections.unmodifiableSortedMap(out);
  }
}
