package dev.engines.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The locked Temperature formulas, pinned with hand-computed numbers (DESIGN §10). No Spring, no
 * database: the sums come in as the window's per-metric totals, as PostgreSQL answers them.
 */
class TemperatureFormulaTests {

  private static final Instant AS_OF = Instant.parse("2026-03-10T12:30:00Z");
  private static final Window WEEK = Window.of(AS_OF, 7);

  /** The API's wire format: snake_case. */
  private static final JsonMapper WIRE =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private static Map<String, BigDecimal> numbers(Object... pairs) {
    Map<String, BigDecimal> out = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], new BigDecimal((String) pairs[i + 1]));
    }
    return out;
  }

  private static TemperatureConfig config(
      Map<String, BigDecimal> performance,
      Map<String, BigDecimal> cadence,
      Map<String, BigDecimal> ceilings,
      Map<String, BigDecimal> weights) {
    return new TemperatureConfig(
        "checkout",
        new TemperatureConfig.Floors(
            3, new TreeMap<>(performance), new TreeMap<>(cadence), AS_OF, "u_a"),
        new TemperatureConfig.Ceilings(2, new TreeMap<>(ceilings), AS_OF, "u_a"),
        new TemperatureConfig.Weights(
            weights.isEmpty() ? 0 : 5,
            new TreeMap<>(weights),
            weights.isEmpty() ? null : "tenant_override",
            AS_OF,
            "u_a"));
  }

  private static Snapshot snapshot(
      TemperatureConfig config, Map<String, BigDecimal> sums, List<String> corridors) {
    return TemperatureFormula.snapshot(config, WEEK, sums, corridors);
  }

  @Test
  void
      valueWhenNegativeWeightAndAMissingMetricThenWeightedSumOverAbsoluteWeightsWithMissingAsZero() {
    // (10×2 + 4×(−1) + 0×0.5) / (|2| + |−1| + |0.5|) = 16 / 3.5 = 4.571428571428571… → 12 places,
    // half-even
    Snapshot s =
        snapshot(
            config(Map.of(), Map.of(), Map.of(), numbers("a", "2", "b", "-1", "c", "0.5")),
            numbers("a", "10", "b", "4"),
            List.of());
    assertThat(s.value()).isEqualByComparingTo("4.571428571429");
    assertThat(s.value().toPlainString()).isEqualTo("4.571428571429");
    assertThat(s.rawMetrics()).as("c has no observation: absent, not 0").containsOnlyKeys("a", "b");
  }

  @Test
  void valueWhenWeightsAndActualsAreNegativeThenSignsCarryThrough() {
    // (−3×1.5 + 7.25×(−0.25)) / (1.5 + 0.25) = (−4.5 − 1.8125) / 1.75 = −3.607142857142857… →
    // −3.607142857143
    Snapshot s =
        snapshot(
            config(Map.of(), Map.of(), Map.of(), numbers("x", "1.5", "y", "-0.25")),
            numbers("x", "-3", "y", "7.25"),
            List.of());
    assertThat(s.value().toPlainString()).isEqualTo("-3.607142857143");
  }

  @Test
  void valueWhenDecimalActualsThenExactNotBinaryFloatingPoint() {
    // (0.1 + 0.2) / 2 = 0.15 exactly (binary doubles give 0.15000000000000002)
    Snapshot s =
        snapshot(
            config(Map.of(), Map.of(), Map.of(), numbers("a", "1", "b", "1")),
            numbers("a", "0.1", "b", "0.2"),
            List.of());
    assertThat(s.value().toPlainString()).isEqualTo("0.15");
  }

  @Test
  void valueWhenTheQuotientHasMoreThanTwelvePlacesThenRoundedHalfEven() {
    Map<String, BigDecimal> weights = numbers("a", "0.000000001", "b", "0.999999999");
    // Σ|w| = 1, so value = a × 0.000000001: 5E-13 → 0, 1.5E-12 → 2E-12, 2.5E-12 → 2E-12 (ties go to
    // even)
    assertThat(
            snapshot(
                    config(Map.of(), Map.of(), Map.of(), weights),
                    numbers("a", "0.0005"),
                    List.of())
                .value()
                .toPlainString())
        .isEqualTo("0");
    assertThat(
            snapshot(
                    config(Map.of(), Map.of(), Map.of(), weights),
                    numbers("a", "0.0015"),
                    List.of())
                .value()
                .toPlainString())
        .isEqualTo("0.000000000002");
    assertThat(
            snapshot(
                    config(Map.of(), Map.of(), Map.of(), weights),
                    numbers("a", "0.0025"),
                    List.of())
                .value()
                .toPlainString())
        .isEqualTo("0.000000000002");
  }

  @Test
  void valueWhenNoWeightsThenZeroWhateverTheActuals() {
    Snapshot s =
        snapshot(
            config(numbers("a", "1"), Map.of(), Map.of(), Map.of()), numbers("a", "99"), List.of());
    assertThat(s.value()).isEqualByComparingTo("0");
    assertThat(s.configVersions().weights()).isZero();
  }

  @Test
  void valueWhenEveryWeightIsZeroThenZeroInsteadOfADivisionByZero() {
    Snapshot s =
        snapshot(
            config(Map.of(), Map.of(), Map.of(), numbers("a", "0", "b", "0")),
            numbers("a", "5"),
            List.of());
    assertThat(s.value()).isEqualByComparingTo("0");
  }

  @Test
  void floorsBreachedWhenMetricBelowBothFloorsThenPerformanceSortedThenCadenceSortedAndTwice() {
    // performance: alpha 0 < 5 (missing → 0), mid 4 < 4.5, zeta 1 < 2; cadence: beta 0 < 1, mid 4 <
    // 10.
    // Each list sorted by name, performance first: beta sorts before zeta but comes after it.
    Snapshot s =
        snapshot(
            config(
                numbers("zeta", "2", "alpha", "5", "mid", "4.5", "high", "3"),
                numbers("mid", "10", "beta", "1", "ok", "1"),
                Map.of(),
                Map.of()),
            numbers("zeta", "1", "mid", "4", "high", "3", "ok", "1.5"),
            List.of());
    assertThat(s.floorsBreached()).containsExactly("alpha", "mid", "zeta", "beta", "mid");
  }

  @Test
  void floorsAndCeilingsWhenActualEqualsTheBoundThenNotBreached() {
    Snapshot s =
        snapshot(
            config(numbers("a", "10"), numbers("a", "10.0"), numbers("a", "10.000"), Map.of()),
            numbers("a", "10"),
            List.of());
    assertThat(s.floorsBreached()).isEmpty();
    assertThat(s.ceilingsBreached()).isEmpty();
  }

  @Test
  void ceilingsBreachedWhenAboveThenSortedByNameAndMissingMetricCountsZero() {
    // c: 0.5 > 0.4; a: 3 > 2.999; b: 0 (missing) > −1; d: 1 is not > 1.
    Snapshot s =
        snapshot(
            config(
                Map.of(),
                Map.of(),
                numbers("d", "1", "c", "0.4", "b", "-1", "a", "2.999"),
                Map.of()),
            numbers("c", "0.5", "a", "3", "d", "1"),
            List.of());
    assertThat(s.ceilingsBreached()).containsExactly("a", "b", "c");
  }

  @Test
  void rawMetricsWhenSumsIncludeMetricsTheConfigDoesNotNameThenOnlyNamedMetricsAppear() {
    Snapshot s =
        snapshot(
            config(numbers("a", "1"), Map.of(), numbers("b", "1"), numbers("c", "1")),
            numbers("a", "2.50", "b", "0", "c", "1E+2", "unrelated", "7"),
            List.of());
    assertThat(s.rawMetrics()).containsOnlyKeys("a", "b", "c");
    assertThat(s.rawMetrics().get("a").toPlainString()).isEqualTo("2.5");
    assertThat(s.rawMetrics().get("b").toPlainString())
        .as("observed, summing to 0: present")
        .isEqualTo("0");
    assertThat(s.rawMetrics().get("c").toPlainString()).isEqualTo("100");
  }

  @Test
  void kpiCorridorsUsedWhenGivenInAnyOrderThenSortedByByteOrder() {
    Snapshot s =
        snapshot(
            config(numbers("a", "1"), Map.of(), Map.of(), Map.of()),
            Map.of(),
            List.of("latency_p99", "conversion", "latency", "a_b", "ab"));
    // byte order: '_' (0x5F) sorts before letters, so a_b < ab and latency < latency_p99
    assertThat(s.kpiCorridorsUsed())
        .containsExactly("a_b", "ab", "conversion", "latency", "latency_p99");
  }

  @Test
  void snapshotWhenRenderedThenExactBytesAndSameInputGivesSameBytes() {
    TemperatureConfig config =
        config(
            numbers("a", "11", "c", "0.1"),
            numbers("a", "12", "b", "3"),
            numbers("b", "3", "a", "10"),
            numbers("a", "2", "b", "-1", "c", "0.5"));
    Map<String, BigDecimal> sums = numbers("a", "10.000", "b", "4");
    String json = WIRE.writeValueAsString(snapshot(config, sums, List.of("kpi_b", "kpi_a")));
    assertThat(json)
        .isEqualTo(
            "{\"surface\":\"checkout\",\"as_of\":\"2026-03-10T12:30:00Z\",\"window_days\":7,"
                + "\"window_start\":\"2026-03-03T12:30:00Z\",\"window_end\":\"2026-03-10T12:30:00Z\",\"value\":4.571428571429,"
                + "\"raw_metrics\":{\"a\":10,\"b\":4},\"floors_breached\":[\"a\",\"c\",\"a\"],\"ceilings_breached\":[\"b\"],"
                + "\"kpi_corridors_used\":[\"kpi_a\",\"kpi_b\"],\"config_versions\":{\"floors\":3,\"ceilings\":2,\"weights\":5}}");
    Map<String, BigDecimal> reordered = new LinkedHashMap<>();
    reordered.put("b", new BigDecimal("4.0"));
    reordered.put("a", new BigDecimal("10"));
    assertThat(WIRE.writeValueAsString(snapshot(config, reordered, List.of("kpi_a", "kpi_b"))))
        .isEqualTo(json);
  }

  @Test
  void metricsWhenConfigNamesThemInSeveralPartsThenEachOnceSorted() {
    TemperatureConfig config =
        config(
            numbers("b", "1"),
            numbers("b", "2", "a", "1"),
            numbers("d", "1"),
            numbers("c", "1", "a", "2"));
    assertThat(TemperatureFormula.metrics(config)).containsExactly("a", "b", "c", "d");
  }
}
