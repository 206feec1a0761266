package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One parameter an atomizer accepts, for validation and for the API's listing of atomizers.
 *
 * @param name snake_case name
 * @param type value type
 * @param defaultValue value used when the caller leaves the param out; {@code null} when required
 * @param min smallest allowed value of an {@link Type#INTEGER} param, else {@code null}
 * @param max largest allowed value of an {@link Type#INTEGER} param, else {@code null}
 * @param allowedValues the only values a {@link Type#STRING} param may take, or empty for any
 *     string
 * @param description what the param does, for humans
 */
public record ParamSpec(
    String name,
    Type type,
    Object defaultValue,
    Long min,
    Long max,
    List<String> allowedValues,
    String description) {

  /** Canonical value types; see {@link #normalise(Object)} for what each accepts. */
  public enum Type {
    /** A {@link Long} within {@code min}..{@code max}. */
    INTEGER,
    /** A {@link Boolean}. */
    BOOLEAN,
    /** A {@link String}, one of {@code allowedValues} when that is not empty. */
    STRING
  }

  private static final Pattern INTEGER_TEXT = Pattern.compile("^-?[0-9]{1,18}$");

  /** Requires name, type and description; copies the allowed values. */
  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    allowedValues = List.copyOf(allowedValues);
    Objects.requireNonNull(description, "description");
  }

  static ParamSpec integer(String name, Long defaultValue, long min, long max, String description) {
    return new ParamSpec(name, Type.INTEGER, defaultValue, min, max, List.of(), description);
  }

  static ParamSpec bool(String name, boolean defaultValue, String description) {
    return new ParamSpec(name, Type.BOOLEAN, defaultValue, null, null, List.of(), description);
  }

  static ParamSpec string(String name, String defaultValue, String description) {
    return new ParamSpec(name, Type.STRING, defaultValue, null, null, List.of(), description);
  }

  static ParamSpec choice(
      String name, String defaultValue, List<String> allowedValues, String description) {
    return new ParamSpec(name, Type.STRING, defaultValue, null, null, allowedValues, description);
  }

  /** Whether the caller must supply this param. */
  public boolean required() {
    return defaultValue == null;
  }

  /**
   * The canonical form of a raw value, or 400 {@code validation_failed} naming the param. Integers
   * accept any integral {@link Number} (so {@code 2.0} from a JSON body counts) and decimal strings
   * (query parameters); booleans accept {@link Boolean} and the strings {@code true}/{@code false};
   * strings accept only {@link String}. Messages never echo the value.
   */
  Object normalise(Object raw) {
    return switch (type) {
      case INTEGER -> {
        Long value = integerOf(raw);
        if (value == null || value < min || value > max) {
          throw EnginesException.validation(
              "Param '" + name + "' must be an integer between " + min + " and " + max + ".");
        }
        yield value;
      }
      case BOOLEAN -> {
        if (raw instanceof Boolean b) {
          yield b;
        }
        if ("true".equals(raw) || "false".equals(raw)) {
          yield Boolean.valueOf((String) raw);
        }
        throw EnginesException.validation("Param '" + name + "' must be true or false.");
      }
      case STRING -> {
        if (!(raw instanceof String s)) {
          throw EnginesException.validation("Param '" + name + "' must be a string.");
        }
        if (!allowedValues.isEmpty() && !allowedValues.contains(s)) {
          throw EnginesException.validation(
              "Param '" + name + "' must be one of " + allowedValues + ".");
        }
        yield s;
      }
    };
  }

  private static Long integerOf(Object raw) {
    try {
      return switch (raw) {
        case Long l -> l;
        case Integer i -> i.longValue();
        case Short s -> s.longValue();
        case Byte b -> b.longValue();
        case BigInteger b -> b.longValueExact();
        case BigDecimal d -> d.longValueExact();
        case Double d -> new BigDecimal(d).longValueExact();
        case Float f -> new BigDecimal(f).longValueExact();
        case String s when INTEGER_TEXT.matcher(s).matches() -> Long.parseLong(s);
        case null, default -> null;
      };
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }
}
