package dev.engines.vector;

import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of a vector's metadata: a flat JSON object of at most {@value #MAX_KEYS} keys whose
 * values are strings (at most {@value #MAX_STRING} chars), finite numbers and booleans.
 */
final class Metadata {

  static final Pattern KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$");
  static final int MAX_KEYS = 32;
  static final int MAX_STRING = 1000;

  private Metadata() {}

  /** Whether {@code value} is a string, a finite number or a boolean. */
  static boolean scalar(Object value) {
    return switch (value) {
      case String s -> true;
      case Boolean b -> true;
      case Double d -> Double.isFinite(d);
      case Float f -> Float.isFinite(f);
      case Integer i -> true;
      case Long l -> true;
      case Short s -> true;
      case BigInteger i -> true;
      case BigDecimal d -> true;
      case null, default -> false;
    };
  }

  /** Adds an error for every rule {@code metadata} breaks, named under {@code path}. */
  static void check(Map<String, Object> metadata, String path, List<FieldError> errors) {
    if (metadata.size() > MAX_KEYS) {
      errors.add(new FieldError(path, "may hold at most " + MAX_KEYS + " keys"));
    }
    metadata.forEach(
        (key, value) -> {
          if (!KEY.matcher(key).matches()) {
            errors.add(
                new FieldError(
                    path, "keys must be a letter or _, then up to 63 of letters, digits and _.-"));
          } else if (!scalar(value)) {
            errors.add(
                new FieldError(path + "." + key, "must be a string, a finite number or a boolean"));
          } else if (value instanceof String s && s.length() > MAX_STRING) {
            errors.add(
                new FieldError(path + "." + key, "must be at most " + MAX_STRING + " chars"));
          }
        });
  }
}
