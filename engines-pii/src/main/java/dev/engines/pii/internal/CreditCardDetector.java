package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * Payment card numbers: 13 to 19 digits, written compact or in groups separated by one consistent
 * space or dash (first group of four, then groups of three to six, as in {@code 4-4-4-4}, {@code
 * 4-6-5} or {@code 4-4-4-4-3}), passing the Luhn check and an issuer range whose lengths include
 * the number's length. A number glued to letters, or part of a longer digit sequence or a decimal,
 * is not a card; a sequence longer than 19 digits is skipped as a whole, never mined for a
 * card-shaped part.
 */
final class CreditCardDetector implements Detector {

  static final double SCORE = 1.0;
  private static final int MIN_DIGITS = 13;
  private static final int MAX_DIGITS = 19;

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    int n = c.length;
    int[] digits = new int[MAX_DIGITS];
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
      int firstGroup = j - start;
      if (Chars.gluedLeft(c, start, ".,")) {
        i = j;
        continue;
      }
      if (firstGroup >= MIN_DIGITS) {
        if (firstGroup <= MAX_DIGITS && !Chars.gluedRight(c, j, ".,")) {
          copyDigits(c, start, j, digits);
          if (valid(digits, firstGroup)) {
            out.add(new PiiSpan(PiiTypes.CREDIT_CARD, start, j, SCORE));
          }
        }
        i = j;
        continue;
      }
      if (firstGroup != 4) {
        i = j;
        continue;
      }
      i = grouped(c, start, j, digits, out);
    }
  }

  /**
   * Parses a grouped number whose first group is {@code [start, firstEnd)}; returns where to go on.
   */
  private static int grouped(char[] c, int start, int firstEnd, int[] digits, List<PiiSpan> out) {
    int n = c.length;
    char sep = 0;
    int total = 4;
    int groups = 1;
    int j = firstEnd;
    boolean badGroup = false;
    while (j + 1 < n
        && (c[j] == ' ' || c[j] == '-')
        && (sep == 0 || c[j] == sep)
        && Chars.isDigit(c[j + 1])) {
      int gs = j + 1;
      int ge = gs;
      while (ge < n && Chars.isDigit(c[ge])) {
        ge++;
      }
      int len = ge - gs;
      sep = c[j];
      total += len;
      groups++;
      j = ge;
      if (total > MAX_DIGITS || len > 6) {
        return skipSequence(c, j, sep);
      }
      if (len < 3) {
        // Only the last group may be shorter than three digits.
        badGroup = j + 1 < n && c[j] == sep && Chars.isDigit(c[j + 1]);
        break;
      }
    }
    if (groups >= 3 && !badGroup && total >= MIN_DIGITS && !Chars.gluedRight(c, j, ".,")) {
      int k = 0;
      for (int p = start; p < j; p++) {
        if (Chars.isDigit(c[p])) {
          digits[k++] = c[p] - '0';
        }
      }
      if (valid(digits, total)) {
        out.add(new PiiSpan(PiiTypes.CREDIT_CARD, start, j, SCORE));
        return j;
      }
    }
    return groups >= 3 ? j : firstEnd;
  }

  /** Skips the rest of an over-long separated digit sequence. */
  private static int skipSequence(char[] c, int j, char sep) {
    int n = c.length;
    while (j + 1 < n && c[j] == sep && Chars.isDigit(c[j + 1])) {
      j++;
      while (j < n && Chars.isDigit(c[j])) {
        j++;
      }
    }
    return j;
  }

  private static void copyDigits(char[] c, int start, int end, int[] digits) {
    for (int p = start; p < end; p++) {
      digits[p - start] = c[p] - '0';
    }
  }

  static boolean valid(int[] d, int len) {
    return issuerAccepts(d, len) && luhn(d, len);
  }

  static boolean luhn(int[] d, int len) {
    int sum = 0;
    boolean doubled = false;
    for (int i = len - 1; i >= 0; i--) {
      int v = d[i];
      if (doubled) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  /**
   * Issuer identification ranges with their card lengths: Visa, Mastercard (51-55 and 2221-2720),
   * American Express, Discover, JCB, Diners Club, UnionPay, Maestro and Dankort, Mir, RuPay, Troy
   * and UATP.
   */
  static boolean issuerAccepts(int[] d, int len) {
    int p1 = d[0];
    int p2 = p1 * 10 + d[1];
    int p3 = p2 * 10 + d[2];
    int p4 = p3 * 10 + d[3];
    boolean len16to19 = len >= 16 && len <= 19;
    return switch (p1) {
      case 1 -> len == 15; // UATP
      case 2 -> (p4 >= 2221 && p4 <= 2720 && len == 16) || (p4 >= 2200 && p4 <= 2204 && len16to19);
      case 3 ->
          (p2 == 34 || p2 == 37) && len == 15
              || (p2 == 36 || p2 == 38 || p2 == 39 || p3 >= 300 && p3 <= 305 || p4 == 3095)
                  && len >= 14
                  && len <= 19
              || p4 >= 3528 && p4 <= 3589 && len16to19;
      case 4 -> len == 13 || len == 16 || len == 19;
      case 5 ->
          p2 >= 51 && p2 <= 55 && len == 16 || (p2 == 50 || p2 >= 56 && p2 <= 58) && len >= 13;
      case 6 -> len >= 13; // Discover, UnionPay, Maestro, RuPay, InstaPayment
      case 8 -> (p2 == 81 || p2 == 82) && len16to19; // RuPay, UnionPay
      case 9 -> p4 == 9792 && len == 16; // Troy
      default -> false;
    };
  }
}
