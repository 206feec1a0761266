package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * The platform's own credentials, standing alone (no word char glued on either side):
 *
 * <ul>
 *   <li>{@link PiiTypes#ENGINES_API_KEY}: {@code eng_<16>_<32>} in lower-case RFC 4648 base32
 *       ({@code a-z2-7}), exactly the shape {@code ApiKeys} issues. The key id alone ({@code
 *       eng_<16>}, shown in listings) is public and not flagged;
 *   <li>{@link PiiTypes#ENGINES_OPERATOR_TOKEN}: {@code eop_} followed by at least 16 chars of
 *       {@code A-Za-z0-9_-} (and not glued to a word char or {@code -} on its left). The operator
 *       token is configured by its hash only, so its body has no fixed alphabet; 16 chars keeps
 *       short snake_case names such as {@code eop_count} out, and a longer identifier that happens
 *       to start with {@code eop_} is redacted rather than risk a leaked operator credential.
 * </ul>
 *
 * Both score 1.0: the prefixes and alphabets are exact, and a bearer token that is an Engines key
 * must be reported as the more specific type.
 */
final class EnginesCredentialDetector implements Detector {

  static final double SCORE = 1.0;
  private static final int KEY_ID_CHARS = 16;
  private static final int SECRET_CHARS = 32;
  private static final int MIN_OPERATOR_CHARS = 16;

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    int at = text.indexOf("eng_");
    while (at >= 0) {
      int end = apiKeyEnd(c, at);
      if (end > 0) {
        out.add(new PiiSpan(PiiTypes.ENGINES_API_KEY, at, end, SCORE));
      }
      at = text.indexOf("eng_", end > 0 ? end : at + 1);
    }
    at = text.indexOf("eop_");
    while (at >= 0) {
      int end = operatorTokenEnd(c, at);
      if (end > 0) {
        out.add(new PiiSpan(PiiTypes.ENGINES_OPERATOR_TOKEN, at, end, SCORE));
      }
      at = text.indexOf("eop_", end > 0 ? end : at + 1);
    }
  }

  /** The end of an API key starting at {@code at}, or -1. */
  private static int apiKeyEnd(char[] c, int at) {
    if (Chars.wordAt(c, at - 1)) {
      return -1;
    }
    int idEnd = at + 4 + KEY_ID_CHARS;
    int end = idEnd + 1 + SECRET_CHARS;
    if (end > c.length
        || c[idEnd] != '_'
        || !base32(c, at + 4, idEnd)
        || !base32(c, idEnd + 1, end)
        || Chars.wordAt(c, end)) {
      return -1;
    }
    return end;
  }

  /** The end of an operator token starting at {@code at}, or -1. */
  private static int operatorTokenEnd(char[] c, int at) {
    if (Chars.wordAt(c, at - 1) || (at > 0 && c[at - 1] == '-')) {
      return -1;
    }
    int e = at + 4;
    while (e < c.length && tokenChar(c[e])) {
      e++;
    }
    return e - at - 4 >= MIN_OPERATOR_CHARS && !Chars.wordAt(c, e) ? e : -1;
  }

  private static boolean base32(char[] c, int from, int to) {
    for (int i = from; i < to; i++) {
      char ch = c[i];
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '2' && ch <= '7'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean tokenChar(char ch) {
    return Chars.isAsciiAlnum(ch) || ch == '_' || ch == '-';
  }
}
