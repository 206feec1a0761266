package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * Credentials in URLs: in {@code scheme://user:password@host} the userinfo {@code user:password} is
 * flagged when it holds a non-empty password. The userinfo ends at the last {@code @} before the
 * path, query or fragment, as URL parsers read it, so a password containing {@code @} is covered
 * whole.
 */
final class UrlCredentialsDetector implements Detector {

  static final double SCORE = 0.95;
  private static final int MAX_AUTHORITY = 512;

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    int n = c.length;
    int at = text.indexOf("://");
    while (at >= 0) {
      int next = at + 3;
      if (at > 0 && Chars.isAsciiAlnum(c[at - 1])) {
        int s = at + 3;
        int e = s;
        int lastAt = -1;
        int firstColon = -1;
        while (e < n && e - s <= MAX_AUTHORITY && !ends(c[e])) {
          if (c[e] == '@') {
            lastAt = e;
          } else if (c[e] == ':' && firstColon < 0) {
            firstColon = e;
          }
          e++;
        }
        if (lastAt > s
            && firstColon >= s
            && firstColon < lastAt - 1
            && lastAt + 1 < n
            && !ends(c[lastAt + 1])) {
          out.add(new PiiSpan(PiiTypes.URL_CREDENTIALS, s, lastAt, SCORE));
          next = lastAt + 1;
        }
      }
      at = next < n ? text.indexOf("://", next) : -1;
    }
  }

  private static boolean ends(char ch) {
    return ch == '/'
        || ch == '?'
        || ch == '#'
        || ch == '"'
        || ch == '\''
        || ch == '<'
        || ch == '>'
        || Character.isWhitespace(ch);
  }
}
