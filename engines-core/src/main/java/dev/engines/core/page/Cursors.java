package dev.engines.core.page;

import dev.engines.core.error.EnginesException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque keyset cursors: base64url of the last key seen. Malformed cursors are a 400, never a 500. */
public final class Cursors {

  /** Upper bound on page sizes across the API. */
  public static final int MAX_LIMIT = 500;

  private Cursors() {}

  public static String encode(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor; null or empty means "from the start" and returns the empty string. */
  public static String decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return "";
    }
    try {
      String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (key.length() > 512 || key.chars().anyMatch(c -> c < 0x20)) {
        throw new IllegalArgumentException("cursor content");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  /** Decodes a cursor that holds one number (a sequence or version); {@code fromStart} when empty. */
  public static long decodeLong(String cursor, long fromStart) {
    return number(cursor, fromStart, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** As {@link #decodeLong}, for an int. */
  public static int decodeInt(String cursor, int fromStart) {
    return (int) number(cursor, fromStart, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  private static long number(String cursor, long fromStart, long min, long max) {
    String key = decode(cursor);
    if (key.isEmpty()) {
      return fromStart;
    }
    try {
      long value = Long.parseLong(key);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the same problem as any other foreign cursor
    }
    throw invalid();
  }

  private static EnginesException invalid() {
    return EnginesException.badRequest("cursor_invalid", "The cursor is not one this API issued.");
  }

  /** Validates a requested page size: 1..MAX_LIMIT, default when null. */
  public static int limit(Integer requested, int defaultLimit) {
    if (requested == null) {
      return defaultLimit;
    }
    if (requested < 1 || requested > MAX_LIMIT) {
      throw EnginesException.validation("limit must be between 1 and " + MAX_LIMIT + ".");
    }
    return requested;
  }
}
