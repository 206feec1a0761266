package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * US social security numbers written {@code AAA-GG-SSSS}, with one consistent delimiter out of
 * dash, dot or space, or as nine bare digits when an SSN context word is near (a lone nine-digit
 * number is more often an id than an SSN). Invalid per SSA rules: area 000, 666 or 900-999, group
 * 00, serial 0000; also all-same-digit numbers and the well-known advertising and sample numbers
 * Presidio rejects (prefixes {@code 123456789}, {@code 98765432}, {@code 078051120}).
 */
final class SsnDetector implements Detector {

  static final double SCORE = 0.8;
  static final double BARE_SCORE = 0.6;
  static final double CONTEXT_BOOST = 0.15;
  private static final Context.Words CONTEXT =
      Context.words("ssn", "ssns", "social", "security", "ss#", "ssn#", "taxpayer");
  private static final String[] FAKE_PREFIXES = {"123456789", "98765432", "078051120"};

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    int n = c.length;
    int[] d = new int[9];
    int i = 0;
    while (i < n) {
      if (!Chars.isDigit(c[i])) {
        i++;
        continue;
      }
      int start = i;
      int j = i;
      while (j < n && Chars.isDigit(c[j])) {
        j++;
      }
      if (Chars.gluedLeft(c, start, "-. ")) {
        i = j;
        continue;
      }
      int run = j - start;
      if (run == 9 && !Chars.gluedRight(c, j, "-. ")) {
        for (int k = 0; k < 9; k++) {
          d[k] = c[start + k] - '0';
        }
        if (valid(d) && Context.near(c, start, j, CONTEXT)) {
          out.add(new PiiSpan(PiiTypes.US_SSN, start, j, BARE_SCORE + CONTEXT_BOOST));
        }
      } else if (run == 3 && j + 7 < n) {
        int end = delimited(c, start, d);
        if (end > 0 && valid(d)) {
          out.add(
              new PiiSpan(
                  PiiTypes.US_SSN,
                  start,
                  end,
                  Context.score(c, start, end, SCORE, CONTEXT_BOOST, CONTEXT)));
          i = end;
          continue;
        }
      }
      i = j;
    }
  }

  /** Reads {@code AAA?GG?SSSS} with one delimiter into {@code d}; returns the end or -1. */
  private static int delimited(char[] c, int start, int[] d) {
    char sep = c[start + 3];
    if (sep != '-' && sep != '.' && sep != ' ') {
      return -1;
    }
    int[] at = {
      start, start + 1, start + 2, start + 4, start + 5, start + 7, start + 8, start + 9, start + 10
    };
    if (start + 11 > c.length || c[start + 6] != sep) {
      return -1;
    }
    for (int k = 0; k < 9; k++) {
      char ch = c[at[k]];
      if (!Chars.isDigit(ch)) {
        return -1;
      }
      d[k] = ch - '0';
    }
    int end = start + 11;
    return Chars.gluedRight(c, end, "-. ") ? -1 : end;
  }

  static boolean valid(int[] d) {
    int area = d[0] * 100 + d[1] * 10 + d[2];
    int group = d[3] * 10 + d[4];
    int serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
    if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
      return false;
    }
    boolean same = true;
    for (int k = 1; k < 9; k++) {
      same &= d[k] == d[0];
    }
    if (same) {
      return false;
    }
    StringBuilder digits = new StringBuilder(9);
    for (int v : d) {
      digits.append((char) ('0' + v));
    }
    for (String fake : FAKE_PREFIXES) {
      if (digits.toString().startsWith(fake)) {
        return false;
      }
    }
    return true;
  }
}
