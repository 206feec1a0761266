package dev.engines.kpi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * The numbers of KPIs and Temperature: exact decimals, so a sum does not depend on the order
 * PostgreSQL or Java adds in, and the same observations give the same bytes.
 *
 * <p>Inputs (observation values, floors, ceilings, weights, corridor bounds) have at most {@value
 * #MAX_INTEGER_DIGITS} digits before the decimal point and {@value #MAX_SCALE} after it. Sums and
 * products are exact; the one division (a Temperature's value) is rounded half-even to {@value
 * #VALUE_SCALE} decimal places. Every number is rendered in plain notation (never an exponent),
 * without trailing zeros: {@code 2}, {@code -0.5}, {@code 0.000000001}.
 */
public final class Decimals {

  public static final int MAX_INTEGER_DIGITS = 15;
  public static final int MAX_SCALE = 9;
  public static final int VALUE_SCALE = 12;

  /** How a rule violation reads in a field error. */
  static final String RULE =
      "must be a number with at most "
          + MAX_INTEGER_DIGITS
          + " digits before and "
          + MAX_SCALE
          + " after the decimal point";

  private Decimals() {}

  /**
   * {@code value} without trailing zeros and never with a negative scale (so {@code 1E+2} is {@code
   * 100}).
   */
  public static BigDecimal normalize(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** Whether {@code value} is an input this engine accepts. */
  static boolean bounded(BigDecimal value) {
    BigDecimal n = normalize(value);
    return n.scale() <= MAX_SCALE && n.precision() - n.scale() <= MAX_INTEGER_DIGITS;
  }

  /** {@code dividend / divisor}, rounded half-even to {@value #VALUE_SCALE} places, normalized. */
  static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
    return normalize(dividend.divide(divisor, VALUE_SCALE, RoundingMode.HALF_EVEN));
  }

  /** The plain rendering, as stored in audit details (which hold strings, not decimals). */
  static String plain(BigDecimal value) {
    return value == null ? null : normalize(value).toPlainString();
  }

  /** {@link #plain} of every value, keys in the map's order. */
  static Map<String, String> plain(Map<String, BigDecimal> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, plain(v)));
    return out;
  }

  /** Writes a decimal as a JSON number in plain notation without trailing zeros. */
  public static final class PlainSerializer extends ValueSerializer<BigDecimal> {
    @Override
    public void serialize(BigDecimal value, JsonGenerator gen, SerializationContext context) {
      gen.writeNumber(normalize(value).toPlainString());
    }
  }
}
