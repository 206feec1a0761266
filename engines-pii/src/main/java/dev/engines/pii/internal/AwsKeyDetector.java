package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * AWS access key ids: a four-letter prefix of a long-term ({@code AKIA}), temporary ({@code ASIA})
 * or other access-key kind ({@code ABIA}, {@code ACCA}) followed by 16 upper-case letters or
 * digits, 20 chars in all, standing alone (not part of a longer alphanumeric token).
 */
final class AwsKeyDetector implements Detector {

  static final double SCORE = 0.95;
  private static final String[] PREFIXES = {"AKIA", "ASIA", "ABIA", "ACCA"};
  private static final int LENGTH = 20;

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    for (String prefix : PREFIXES) {
      int at = text.indexOf(prefix);
      while (at >= 0) {
        int end = at + LENGTH;
        if (end <= c.length
            && !Chars.wordAt(c, at - 1)
            && !Chars.wordAt(c, end)
            && tail(c, at + 4, end)) {
          out.add(new PiiSpan(PiiTypes.AWS_ACCESS_KEY, at, end, SCORE));
        }
        at = text.indexOf(prefix, at + 1);
      }
    }
  }

  private static boolean tail(char[] c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!(Chars.isUpper(c[i]) || Chars.isDigit(c[i]))) {
        return false;
      }
    }
    return true;
  }
}
