package dev.engines.core.page;

import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opaque keyset cursors: base64url of a check value and the last key seen. A cursor the API did not
 * issue, or one altered on the way, is a 400 {@code cursor_invalid}, never an empty page or a 500:
 * most strings decode as base64, so decoding alone proves nothing ({@code zzz} did). The check
 * value is the first {@value #CHECK_BYTES} bytes of SHA-256 over a fixed label and the key. It is
 * not a secret: a cursor only positions a page inside data the caller may read anyway, so what it
 * must catch is a cursor that is not one, not a caller who computes a valid one.
 */
public final class Cursors {

  /** Upper bound on page sizes across the API. */
  public static final int MAX_LIMIT = 500;

  private static final int CHECK_BYTES = 8;
  private static final byte[] LABEL = "engines-cursor-v1:".getBytes(StandardCharsets.US_ASCII);

  private Cursors() {}

  /**
   * The cursor for the position {@code key}. An empty key is no position (the empty cursor means
   * "from the start", so a listing that handed it out would loop): refused as a programming error.
   */
  public static String encode(String key) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a cursor names a position; the key must not be empty");
    }
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    ByteBuffer cursor =
        ByteBuffer.allocate(CHECK_BYTES + bytes.length).put(check(bytes)).put(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.array());
  }

  /** Decodes a cursor; null or empty means "from the start" and returns the empty string. */
  public static String decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return "";
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(cursor);
      if (raw.length <= CHECK_BYTES) {
        throw invalid();
      }
      byte[] bytes = Arrays.copyOfRange(raw, CHECK_BYTES, raw.length);
      if (!MessageDigest.isEqual(check(bytes), Arrays.copyOf(raw, CHECK_BYTES))) {
        throw invalid();
      }
      String key = new String(bytes, StandardCharsets.UTF_8);
      if (key.length() > 512 || key.chars().anyMatch(c -> c < 0x20)) {
        throw invalid();
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static byte[] check(byte[] key) {
    MessageDigest sha256 = Ids.sha256();
    sha256.update(LABEL);
    return Arrays.copyOf(sha256.digest(key), CHECK_BYTES);
  }

  /**
   * Decodes a cursor that holds one number (a sequence or version); {@code fromStart} when empty.
   */
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

  /**
   * The problem of a cursor this API did not issue (also for a well-formed one that fits no
   * listing).
   */
  public static EnginesException invalid() {
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
