package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * Bearer tokens in text such as {@code Authorization: Bearer <token>}: the word {@code Bearer} (any
 * case) followed by blanks and an RFC 6750 {@code b64token} of at least 12 chars that holds a digit
 * or one of {@code -._~+/}, so prose like "bearer authentication" is not a token. Only the token is
 * flagged.
 */
final class BearerTokenDetector implements Detector {

  static final double SCORE = 0.9;
  private static final int MIN_TOKEN = 12;
  private static final int MAX_TOKEN = 8192;

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    scan(text, c, "earer", out);
    scan(text, c, "EARER", out);
  }

  private static void scan(String text, char[] c, String anchor, List<PiiSpan> out) {
    int n = c.length;
    int at = text.indexOf(anchor);
    while (at >= 0) {
      int next = at + anchor.length();
      int word = at - 1;
      if (word >= 0
          && (c[word] == 'B' || c[word] == 'b')
          && !Chars.wordAt(c, word - 1)
          && next < n
          && (c[next] == ' ' || c[next] == '\t')) {
        int s = next;
        while (s < n && (c[s] == ' ' || c[s] == '\t')) {
          s++;
        }
        int e = s;
        boolean strong = false;
        while (e < n && e - s <= MAX_TOKEN && isTokenChar(c[e])) {
          strong |= !Character.isLetter(c[e]);
          e++;
        }
        while (e < n && c[e] == '=') {
          e++;
        }
        while (e > s && (c[e - 1] == '.' || c[e - 1] == '~')) {
          e--;
        }
        if (e - s >= MIN_TOKEN && strong && !Chars.wordAt(c, e)) {
          out.add(new PiiSpan(PiiTypes.BEARER_TOKEN, s, e, SCORE));
          next = e;
        }
      }
      at = next < n ? text.indexOf(anchor, next) : -1;
    }
  }

  private static boolean isTokenChar(char ch) {
    return Chars.isAsciiAlnum(ch)
        || ch == '-'
        || ch == '.'
        || ch == '_'
        || ch == '~'
        || ch == '+'
        || ch == '/';
  }
}
