package dev.engines.nexus.atomize;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The one JSON writer behind atom text, params hashes and span keys. Written by hand rather than
 * delegated to Jackson's serializer because its output feeds content-addressed ids: it must not
 * change when a library is upgraded. Rules are listed in the package documentation.
 *
 * <p>Not RFC 8785 (JCS), though close: key order (UTF-16 code units), string escaping and literals
 * are JCS's and pass its vectors. Numbers differ, on purpose and for good, since atom ids hash this
 * text: the exponent is {@code E} (JCS: {@code e}), and a number keeps its exact decimal digits
 * where JCS first rounds it to an IEEE-754 double. A lone surrogate is escaped where JCS refuses
 * the input; CSV rows keep column order. See ADR 0015.
 */
final class CanonicalJson {

  /**
   * Above this many integer digits a number keeps exponent notation, so hostile input stays small.
   */
  private static final int MAX_PLAIN_INTEGER_DIGITS = 21;

  private CanonicalJson() {}

  /**
   * A flat map of simple values ({@link String}, {@link Boolean}, integral {@link Number}), keys
   * sorted.
   */
  static String params(Map<String, ?> values) {
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, ?> entry : new TreeMap<>(values).entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, entry.getKey());
      out.append(':');
      Object value = entry.getValue();
      switch (value) {
        case String s -> string(out, s);
        case Boolean b -> out.append(b);
        case Long l -> out.append(l);
        case Integer i -> out.append(i);
        default ->
            throw new IllegalArgumentException("not a simple value: " + value.getClass().getName());
      }
    }
    return out.append('}').toString();
  }

  /** A JSON value with object members sorted by key (UTF-16 code unit order, as RFC 8785). */
  static String node(JsonNode node) {
    StringBuilder out = new StringBuilder();
    node(out, node);
    return out.toString();
  }

  private static void node(StringBuilder out, JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
          sorted.put(property.getKey(), property.getValue());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> member : sorted.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(out, member.getKey());
          out.append(':');
          node(out, member.getValue());
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        boolean first = true;
        for (JsonNode element : node.values()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          node(out, element);
        }
        out.append(']');
      }
      case STRING -> string(out, node.stringValue());
      case NUMBER ->
          out.append(
              number(
                  node.isIntegralNumber()
                      ? new BigDecimal(node.bigIntegerValue())
                      : node.decimalValue()));
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalStateException("not a JSON value: " + node.getNodeType());
    }
  }

  /**
   * Trailing zeros stripped so {@code 1.50} and {@code 1.5} agree; integers up to 21 digits in
   * plain notation (so {@code 1e2} and {@code 100} agree); everything else as {@link
   * BigDecimal#toString()}, whose format the JDK specifies.
   */
  static String number(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() <= 0
        && stripped.precision() - stripped.scale() <= MAX_PLAIN_INTEGER_DIGITS) {
      return stripped.toPlainString();
    }
    return stripped.toString();
  }

  /** A JSON array of strings. */
  static String stringArray(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, values.get(i));
    }
    return out.append(']').toString();
  }

  /** A JSON object of string members in the given order (CSV columns keep the file's order). */
  static String stringObject(List<String> names, List<String> values) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, names.get(i));
      out.append(':');
      string(out, values.get(i));
    }
    return out.append('}').toString();
  }

  /**
   * Escapes {@code "}, {@code \}, and control chars (short forms {@code \b \f \n \r \t}, else
   * {@code \}{@code u00xx}); a lone surrogate is escaped too, so the text always encodes to UTF-8
   * without replacement. Everything else is written as is.
   */
  static void string(StringBuilder out, String value) {
    out.append('"');
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            unicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < length
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u");
    String hex = Integer.toHexString(c);
    out.append("0".repeat(4 - hex.length())).append(hex);
  }
}
