package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;
import org.apache.commons.validator.routines.IBANValidator;

/**
 * IBANs, validated by commons-validator's {@link IBANValidator} (country, per-country length and
 * BBAN format, mod-97 check digits). Accepted forms are compact ({@code DE89370400440532013000})
 * and printed in groups of four separated by single spaces with a shorter last group ({@code DE89
 * 3704 0044 0532 0130 00}). Only upper-case letters count, as in the IBAN standard's electronic and
 * print formats. The candidate is exactly the country's IBAN length, so trailing words are not
 * swallowed, and it must not be glued to a further letter or digit.
 */
final class IbanDetector implements Detector {

  static final double SCORE = 1.0;

  /** IBAN length per two-letter country code (index {@code (c1-'A')*26 + (c2-'A')}); 0 = none. */
  private static final int[] LENGTHS = new int[26 * 26];

  static {
    IBANValidator validator = IBANValidator.getInstance();
    for (char a = 'A'; a <= 'Z'; a++) {
      for (char b = 'A'; b <= 'Z'; b++) {
        IBANValidator.Validator v = validator.getValidator("" + a + b);
        if (v != null) {
          LENGTHS[(a - 'A') * 26 + (b - 'A')] = v.getIbanLength();
        }
      }
    }
  }

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    int n = c.length;
    char[] compact = new char[40];
    int i = 0;
    while (i + 3 < n) {
      char a = c[i];
      if (!Chars.isUpper(a)) {
        i++;
        continue;
      }
      char b = c[i + 1];
      if (!Chars.isUpper(b)) {
        i += 2;
        continue;
      }
      int length = LENGTHS[(a - 'A') * 26 + (b - 'A')];
      if (length == 0
          || !Chars.isDigit(c[i + 2])
          || !Chars.isDigit(c[i + 3])
          || Chars.wordAt(c, i - 1)) {
        i++;
        continue;
      }
      int end = match(c, i, length, compact);
      if (end > 0 && IBANValidator.getInstance().isValid(new String(compact, 0, length))) {
        out.add(new PiiSpan(PiiTypes.IBAN_CODE, i, end, SCORE));
        i = end;
      } else {
        i++;
      }
    }
  }

  /**
   * Reads {@code length} IBAN chars from {@code start} in compact or grouped form into {@code
   * compact}; returns the exclusive end in the text, or -1.
   */
  private static int match(char[] c, int start, int length, char[] compact) {
    int n = c.length;
    boolean grouped = start + 4 < n && c[start + 4] == ' ';
    int j = start;
    int k = 0;
    while (k < length) {
      if (grouped && k > 0 && k % 4 == 0) {
        if (j + 1 >= n || c[j] != ' ') {
          return -1;
        }
        j++;
      }
      if (j >= n || !(Chars.isUpper(c[j]) || Chars.isDigit(c[j]))) {
        return -1;
      }
      compact[k++] = c[j++];
    }
    return Chars.wordAt(c, j) ? -1 : j;
  }
}
