package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an atom came from in its artifact. Which fields are set depends on the atomizer; unset
 * fields are {@code null}, and {@link #toMap()} leaves them out so storage holds a flat map.
 *
 * <ul>
 *   <li>{@code startChar}/{@code endChar}: UTF-16 offsets into the decoded text (BOM dropped), end
 *       exclusive — text kinds, CSV rows, JSON Lines records, HTML blocks (into the HTML source).
 *   <li>{@code line}: 1-based physical line where the atom starts — {@code text.lines}, CSV, JSON
 *       Lines. Lines end at {@code \n}, {@code \r\n} or {@code \r}.
 *   <li>{@code row}: 1-based data row of a CSV file (the header and skipped empty lines do not
 *       count).
 *   <li>{@code jsonPointer}: RFC 6901 pointer of a record inside a JSON document.
 *   <li>{@code page}: 1-based PDF page.
 *   <li>{@code sourceStartMs}/{@code sourceEndMs}: a media time range in milliseconds, end
 *       exclusive.
 *   <li>{@code elementPath}: the HTML block element that holds the text, as {@code
 *       /html[1]/body[1]/div[2]/p[1]} (1-based index among siblings of the same tag name).
 * </ul>
 *
 * @param startChar first char offset, inclusive
 * @param endChar char offset after the last char
 * @param line 1-based line
 * @param row 1-based CSV data row
 * @param jsonPointer RFC 6901 JSON Pointer
 * @param page 1-based PDF page
 * @param sourceStartMs media start, inclusive
 * @param sourceEndMs media end, exclusive
 * @param elementPath HTML element path
 */
public record Span(
    Long startChar,
    Long endChar,
    Long line,
    Long row,
    String jsonPointer,
    Integer page,
    Long sourceStartMs,
    Long sourceEndMs,
    String elementPath) {

  /** Rejects half-set or inverted ranges, numbers below 1 for 1-based fields, and an empty span. */
  public Span {
    checkRange(startChar, endChar, "startChar/endChar");
    checkRange(sourceStartMs, sourceEndMs, "sourceStartMs/sourceEndMs");
    if (line != null && line < 1 || row != null && row < 1 || page != null && page < 1) {
      throw new IllegalArgumentException("line, row and page are 1-based");
    }
    if (startChar == null
        && line == null
        && row == null
        && jsonPointer == null
        && page == null
        && sourceStartMs == null
        && elementPath == null) {
      throw new IllegalArgumentException("a span locates something");
    }
  }

  private static void checkRange(Long start, Long end, String what) {
    if ((start == null) != (end == null) || start != null && (start < 0 || end < start)) {
      throw new IllegalArgumentException(what + " must both be set with 0 <= start <= end");
    }
  }

  /** A char range of decoded text. */
  public static Span chars(long startChar, long endChar) {
    return new Span(startChar, endChar, null, null, null, null, null, null, null);
  }

  /** A line (text line or JSON Lines record) and its char range, terminator excluded. */
  public static Span line(long line, long startChar, long endChar) {
    return new Span(startChar, endChar, line, null, null, null, null, null, null);
  }

  /** A CSV data row, the line it starts on and its char range, terminator excluded. */
  public static Span row(long row, long line, long startChar, long endChar) {
    return new Span(startChar, endChar, line, row, null, null, null, null, null);
  }

  /** A record inside a JSON document. */
  public static Span jsonPointer(String pointer) {
    return new Span(null, null, null, null, pointer, null, null, null, null);
  }

  /** A PDF page. */
  public static Span page(int page) {
    return new Span(null, null, null, null, null, page, null, null, null);
  }

  /** A media time range. */
  public static Span media(long sourceStartMs, long sourceEndMs) {
    return new Span(null, null, null, null, null, null, sourceStartMs, sourceEndMs, null);
  }

  /** An HTML block element and the source char range of the text it contributed. */
  public static Span element(String elementPath, long startChar, long endChar) {
    return new Span(startChar, endChar, null, null, null, null, null, null, elementPath);
  }

  /**
   * The set fields under snake_case keys ({@code start_char}, {@code end_char}, {@code line},
   * {@code row}, {@code json_pointer}, {@code page}, {@code source_start_ms}, {@code
   * source_end_ms}, {@code element_path}) in that order; values are {@link Long}, {@link Integer}
   * or {@link String}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    putIfSet(map, "start_char", startChar);
    putIfSet(map, "end_char", endChar);
    putIfSet(map, "line", line);
    putIfSet(map, "row", row);
    putIfSet(map, "json_pointer", jsonPointer);
    putIfSet(map, "page", page);
    putIfSet(map, "source_start_ms", sourceStartMs);
    putIfSet(map, "source_end_ms", sourceEndMs);
    putIfSet(map, "element_path", elementPath);
    return Collections.unmodifiableMap(map);
  }

  private static void putIfSet(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /**
   * Reads back a map written by {@link #toMap()}; numbers may arrive as any integral {@link Number}
   * (a JSON column gives back {@link Integer}s). Unknown keys or wrong types fail with 400 {@code
   * validation_failed}.
   */
  public static Span fromMap(Map<String, ?> map) {
    for (String key : map.keySet()) {
      switch (key) {
        case "start_char",
            "end_char",
            "line",
            "row",
            "json_pointer",
            "page",
            "source_start_ms",
            "source_end_ms",
            "element_path" -> {}
        default -> throw EnginesException.validation("Unknown span field.");
      }
    }
    Long page = longOf(map, "page");
    try {
      return new Span(
          longOf(map, "start_char"),
          longOf(map, "end_char"),
          longOf(map, "line"),
          longOf(map, "row"),
          stringOf(map, "json_pointer"),
          page == null ? null : Math.toIntExact(page),
          longOf(map, "source_start_ms"),
          longOf(map, "source_end_ms"),
          stringOf(map, "element_path"));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw EnginesException.validation("Span fields are inconsistent.");
    }
  }

  private static Long longOf(Map<String, ?> map, String key) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    throw EnginesException.validation("Span field '" + key + "' must be an integer.");
  }

  private static String stringOf(Map<String, ?> map, String key) {
    Object value = map.get(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw EnginesException.validation("Span field '" + key + "' must be a string.");
  }

  /**
   * This span as canonical JSON (keys of {@link #toMap()} sorted, no whitespace), e.g. {@code
   * {"end_char":5,"line":1,"start_char":0}}: the span's part of an atom id.
   */
  public String key() {
    return CanonicalJson.params(toMap());
  }
}
