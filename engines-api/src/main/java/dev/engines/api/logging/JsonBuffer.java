package dev.engines.api.logging;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A growable UTF-8 byte buffer that writes JSON strings with the escaping of Spring Boot's {@code
 * JsonWriter}: quote, backslash, {@code \b \f \n \r \t} by their short escapes, every other ISO
 * control character (U+0000–U+001F, U+007F–U+009F) as {@code \}{@code uXXXX} in upper-case hex,
 * everything else as it is. A surrogate pair becomes one four-byte sequence; a lone surrogate,
 * which UTF-8 cannot encode, becomes {@code ?}, as Java's encoder writes it. Not thread-safe.
 */
final class JsonBuffer {

  private static final byte[] HEX =
      "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int length;

  JsonBuffer(int capacity) {
    bytes = new byte[capacity];
  }

  int capacity() {
    return bytes.length;
  }

  void reset() {
    length = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  /** Appends text known to be ASCII (the formatter's own punctuation and member names). */
  void ascii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
  }

  void raw(byte[] raw) {
    ensure(raw.length);
    System.arraycopy(raw, 0, bytes, length, raw.length);
    length += raw.length;
  }

  /** Appends {@code text} quoted and escaped, or {@code null} for none. */
  void string(@Nullable String text) {
    if (text == null) {
      ascii("null");
      return;
    }
    ensure(2);
    bytes[length++] = '"';
    chars(text, 0, text.length(), true);
    ensure(1);
    bytes[length++] = '"';
  }

  /** Appends {@code text.substring(from, to)} quoted and escaped, without the substring. */
  void string(String text, int from, int to) {
    ensure(2);
    bytes[length++] = '"';
    chars(text, from, to, true);
    ensure(1);
    bytes[length++] = '"';
  }

  /** Appends JSON that is already written (a {@code WritableJson} value), encoded, not escaped. */
  void json(String json) {
    chars(json, 0, json.length(), false);
  }

  private void chars(String text, int from, int n, boolean escape) {
    // Six bytes is the most one char takes (an escape); a surrogate pair takes four for two.
    ensure((n - from) * 6);
    byte[] b = bytes;
    int at = length;
    for (int i = from; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        if (!escape || (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)) {
          b[at++] = (byte) c;
        } else {
          at = escape(b, at, c);
        }
      } else if (c < 0x800) {
        if (escape && c <= 0x9f) {
          at = escape(b, at, c);
        } else {
          b[at++] = (byte) (0xc0 | (c >> 6));
          b[at++] = (byte) (0x80 | (c & 0x3f));
        }
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        b[at++] = (byte) (0xf0 | (cp >> 18));
        b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[at++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        b[at++] = '?';
      } else {
        b[at++] = (byte) (0xe0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[at++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    length = at;
  }

  private static int escape(byte[] b, int at, char c) {
    b[at++] = '\\';
    switch (c) {
      case '"' -> b[at++] = '"';
      case '\\' -> b[at++] = '\\';
      case '\b' -> b[at++] = 'b';
      case '\f' -> b[at++] = 'f';
      case '\n' -> b[at++] = 'n';
      case '\r' -> b[at++] = 'r';
      case '\t' -> b[at++] = 't';
      default -> {
        b[at++] = 'u';
        b[at++] = HEX[(c >> 12) & 0xf];
        b[at++] = HEX[(c >> 8) & 0xf];
        b[at++] = HEX[(c >> 4) & 0xf];
        b[at++] = HEX[c & 0xf];
      }
    }
    return at;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
