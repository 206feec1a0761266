package dev.engines.kpi;

import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.gates.StrategyLocks;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Field checks shared by the KPI services; messages name rules and bounds, never values. */
final class Fields {

  /** KPI and metric names. */
  static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

  /** Surface names: the same rule strategy locks apply to the surface they are for. */
  static final Pattern SURFACE = StrategyLocks.SURFACE;

  /** The most metrics one configuration map holds. */
  static final int MAX_METRICS = 100;

  private Fields() {}

  /** A number within the {@link Decimals} bounds; null stays null, a required one is reported. */
  static BigDecimal decimal(
      List<FieldError> errors, String field, BigDecimal value, boolean required) {
    if (value == null) {
      if (required) {
        errors.add(new FieldError(field, "is required; " + Decimals.RULE));
      }
      return null;
    }
    if (!Decimals.bounded(value)) {
      errors.add(new FieldError(field, Decimals.RULE));
      return null;
    }
    return Decimals.normalize(value);
  }

  /** A {metric → number} map of at most {@value #MAX_METRICS} entries; empty when absent. */
  static TreeMap<String, BigDecimal> metrics(
      List<FieldError> errors, String field, Map<String, BigDecimal> values) {
    TreeMap<String, BigDecimal> out = new TreeMap<>();
    if (values == null) {
      errors.add(new FieldError(field, "is required ({} for none)"));
      return out;
    }
    if (values.size() > MAX_METRICS) {
      errors.add(new FieldError(field, "must hold at most " + MAX_METRICS + " metrics"));
      return out;
    }
    values.forEach(
        (metric, value) -> {
          if (!NAME.matcher(metric).matches()) {
            errors.add(
                new FieldError(field, "has a metric name that does not match " + NAME.pattern()));
            return;
          }
          BigDecimal number = decimal(errors, field + "." + metric, value, true);
          if (number != null) {
            out.put(metric, number);
          }
        });
    return out;
  }

  /** A name matching {@code pattern}. */
  static void name(List<FieldError> errors, String field, String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      errors.add(new FieldError(field, "must match " + pattern.pattern()));
    }
  }
}
