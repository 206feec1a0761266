package dev.engines.pii.internal;

/**
 * Char classes shared by the scanners; ASCII answers come from a table, the rest from Character.
 */
final class Chars {

  private static final byte DIGIT = 1;
  private static final byte UPPER = 2;
  private static final byte LOWER = 4;
  private static final byte HEX = 8;
  private static final byte B64URL = 16;
  private static final byte UNDERSCORE = 32;

  private static final byte[] ASCII = new byte[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      ASCII[c] |= DIGIT | HEX | B64URL;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      ASCII[c] |= UPPER | B64URL;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      ASCII[c] |= LOWER | B64URL;
    }
    for (char c = 'a'; c <= 'f'; c++) {
      ASCII[c] |= HEX;
      ASCII[Character.toUpperCase(c)] |= HEX;
    }
    ASCII['-'] |= B64URL;
    ASCII['_'] |= B64URL | UNDERSCORE;
  }

  private Chars() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isHex(char c) {
    return c < 128 && (ASCII[c] & HEX) != 0;
  }

  static boolean isBase64Url(char c) {
    return c < 128 && (ASCII[c] & B64URL) != 0;
  }

  static boolean isAsciiAlnum(char c) {
    return c < 128 && (ASCII[c] & (DIGIT | UPPER | LOWER)) != 0;
  }

  /** A char that glues to a token: any letter or digit, or underscore. */
  static boolean isWord(char c) {
    if (c < 128) {
      return (ASCII[c] & (DIGIT | UPPER | LOWER | UNDERSCORE)) != 0;
    }
    return Character.isLetterOrDigit(c);
  }

  /** Whether {@code text[i]} exists and is a word char. */
  static boolean wordAt(char[] text, int i) {
    return i >= 0 && i < text.length && isWord(text[i]);
  }

  /** Whether {@code text[i]} exists and is an ASCII digit. */
  static boolean digitAt(char[] text, int i) {
    return i >= 0 && i < text.length && isDigit(text[i]);
  }

  /**
   * Whether {@code text} holds {@code lower} at {@code at}, ignoring case ({@code lower} is lower
   * case).
   */
  static boolean startsWithIgnoreCase(char[] text, int at, String lower) {
    if (at < 0 || at + lower.length() > text.length) {
      return false;
    }
    for (int k = 0; k < lower.length(); k++) {
      if (Character.toLowerCase(text[at + k]) != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the number starting at {@code start} continues one on its left, as in {@code 1.5} or
   * {@code 12-34}: a word char right before it, or a separator from {@code separators} that itself
   * follows a digit.
   */
  static boolean gluedLeft(char[] text, int start, String separators) {
    if (start == 0) {
      return false;
    }
    char before = text[start - 1];
    if (isWord(before)) {
      return true;
    }
    return separators.indexOf(before) >= 0 && digitAt(text, start - 2);
  }

  /** The mirror of {@link #gluedLeft} for the char at {@code end} (exclusive end of the number). */
  static boolean gluedRight(char[] text, int end, String separators) {
    if (end >= text.length) {
      return false;
    }
    char after = text[end];
    if (isWord(after)) {
      return true;
    }
    return separators.indexOf(after) >= 0 && digitAt(text, end + 1);
  }
}
