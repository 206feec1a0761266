package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PEM private keys: from a {@code -----BEGIN <label>-----} line whose label contains {@code PRIVATE
 * KEY} (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8, PGP ... BLOCK) to the matching {@code -----END
 * <label>-----}. A block cut short (no END, as in a truncated log line) is still flagged from BEGIN
 * over the base64 body that follows, so a partial key never passes through.
 */
final class PrivateKeyDetector implements Detector {

  static final double SCORE = 1.0;
  private static final String BEGIN = "-----BEGIN ";
  private static final String DASHES = "-----";
  private static final int MAX_LABEL = 64;

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    // Per label, the END position found by the last search from a given point; a miss is
    // remembered too, so many BEGIN lines without END cost one scan, not one each.
    Map<String, int[]> endCache = new HashMap<>();
    int at = text.indexOf(BEGIN);
    while (at >= 0) {
      int labelStart = at + BEGIN.length();
      int labelEnd = text.indexOf(DASHES, labelStart);
      int next = at + BEGIN.length();
      if (labelEnd > labelStart && labelEnd - labelStart <= MAX_LABEL) {
        String label = text.substring(labelStart, labelEnd);
        if (label.contains("PRIVATE KEY") && label.indexOf('\n') < 0) {
          int bodyStart = labelEnd + DASHES.length();
          String endLine = "-----END " + label + DASHES;
          int[] cached = endCache.get(label);
          int endAt;
          if (cached != null
              && cached[0] <= bodyStart
              && (cached[1] < 0 || cached[1] >= bodyStart)) {
            endAt = cached[1];
          } else {
            endAt = text.indexOf(endLine, bodyStart);
            endCache.put(label, new int[] {bodyStart, endAt});
          }
          int end = endAt >= 0 ? endAt + endLine.length() : bodyEnd(c, bodyStart);
          out.add(new PiiSpan(PiiTypes.PRIVATE_KEY, at, end, SCORE));
          next = end;
        }
      }
      deadline.check();
      at = next < c.length ? text.indexOf(BEGIN, next) : -1;
    }
  }

  /** The end of a base64 body with optional RFC 1421 headers, trailing whitespace excluded. */
  private static int bodyEnd(char[] c, int from) {
    int i = from;
    int lastContent = from;
    while (i < c.length) {
      char ch = c[i];
      if (Chars.isAsciiAlnum(ch)
          || ch == '+'
          || ch == '/'
          || ch == '='
          || ch == ':'
          || ch == ','
          || ch == '-') {
        lastContent = i + 1;
      } else if (!Character.isWhitespace(ch)) {
        break;
      }
      i++;
    }
    return lastContent;
  }
}
