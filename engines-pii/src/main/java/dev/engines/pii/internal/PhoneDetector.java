package dev.engines.pii.internal;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * Phone numbers found by libphonenumber's {@code findNumbers} with {@link Leniency#VALID}: the
 * number must be valid (not merely of a possible length) for its region, which accepts national
 * formats such as {@code 01 54 65 41 18} (FR) or {@code (312) 234-2157} (US) while ids, hashes and
 * timestamps fail. National numbers are tried against every configured region, international ones
 * ({@code +...}) need none.
 *
 * <p>{@code findNumbers} is a regex engine of its own and too slow to run over all text, so a
 * hand-written prefilter cuts the text into windows of phone characters (digits, {@code + ( ) - . /}
 * and spaces) holding 7 to 17 digits, drops shapes that are never phone numbers (dotted quads, ISO
 * dates, bare runs of 13 or more digits without {@code +} or {@code 00}), and hands only the rest to
 * libphonenumber. Windows are at most {@link #MAX_WINDOW} chars; longer runs (number tables) are
 * cut into overlapping chunks, so work stays linear.
 */
final class PhoneDetector implements Detector {

  static final double SCORE = 0.7;
  static final double CONTEXT_BOOST = 0.2;
  static final int MAX_WINDOW = 64;
  private static final int CHUNK_OVERLAP = 24;
  private static final int MIN_DIGITS = 7;
  private static final int MAX_TRIES = 16;
  private static final String[] CONTEXT = {"phone", "tel", "telephone", "call", "mobile", "cell", "fax", "contact", "whatsapp", "sms", "number"};

  private final List<String> regions;
  private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

  PhoneDetector(List<String> regions) {
    this.regions = List.copyOf(regions);
  }

  private static boolean isPhoneChar(char ch) {
    return Chars.isDigit(ch) || ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')' || ch == '/'
        || ch == '+' || ch == '\u00A0' || ch == '\u2010' || ch == '\u2011' || ch == '\u2012' || ch == '\u2013';
  }

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    int n = c.length;
    int i = 0;
    while (i < n) {
      char ch = c[i];
      if (!(Chars.isDigit(ch) || ch == '+' || ch == '(')) {
        i++;
        continue;
      }
      int start = i;
      int j = i;
      int lastDigit = -1;
      while (j < n && isPhoneChar(c[j])) {
        if (Chars.isDigit(c[j])) {
          lastDigit = j;
        }
        j++;
      }
      if (lastDigit >= 0) {
        int end = lastDigit + 1;
        if (end - start <= MAX_WINDOW) {
          window(text, c, start, end, out);
        } else {
          for (int s = start; s < end; s += MAX_WINDOW - CHUNK_OVERLAP) {
            window(text, c, s, Math.min(end, s + MAX_WINDOW), out);
            deadline.check();
          }
        }
      }
      i = j;
    }
  }

  private void window(String text, char[] c, int start, int end, List<PiiSpan> out) {
    int digits = 0;
    boolean formatted = false;
    for (int k = start; k < end; k++) {
      if (Chars.isDigit(c[k])) {
        digits++;
      } else {
        formatted = true;
      }
    }
    if (digits < MIN_DIGITS || neverPhone(c, start, end, digits, formatted)) {
      return;
    }
    CharSequence window = text.substring(start, end);
    boolean international = c[start] == '+';
    for (String region : regions) {
      for (PhoneNumberMatch m : util.findNumbers(window, region, Leniency.VALID, MAX_TRIES)) {
        int s = start + m.start();
        int e = start + m.end();
        if (!Chars.gluedLeft(c, s, ".,") && !Chars.gluedRight(c, e, ".,") && withinE164(m.rawString(), m.number())) {
          out.add(new PiiSpan(PiiTypes.PHONE_NUMBER, s, e, Context.score(c, s, e, SCORE, CONTEXT_BOOST, CONTEXT)));
        }
      }
      if (international && singleInternational(c, start, end)) {
        // One +number alone in its window is found whatever the region: further passes add nothing.
        return;
      }
    }
  }

  /**
   * E.164 caps a number at 15 digits with the country code, so as written it holds at most 15
   * digits, plus two for a {@code 00} international prefix and one for a {@code (0)} trunk
   * prefix. libphonenumber's per-region patterns are looser for some regions: a card-shaped {@code
   * 4974-1773-2943-3959} passes as a German number with its {@code 49} read as the country code.
   */
  private boolean withinE164(String raw, Phonenumber.PhoneNumber number) {
    int digits = 0;
    for (int k = 0; k < raw.length(); k++) {
      if (Chars.isDigit(raw.charAt(k))) {
        digits++;
      }
    }
    int allowed = 15 + (raw.startsWith("00") ? 2 : 0) + (raw.contains("(0)") ? 1 : 0);
    return digits <= allowed
        && Integer.toString(number.getCountryCode()).length() + util.getNationalSignificantNumber(number).length() <= 15;
  }

  /** Whether a window that starts with {@code +} is short enough to hold just that one number. */
  private static boolean singleInternational(char[] c, int start, int end) {
    for (int k = start + 1; k < end; k++) {
      if (c[k] == '+') {
        return false;
      }
    }
    return end - start <= 22;
  }

  private static boolean neverPhone(char[] c, int start, int end, int digits, boolean formatted) {
    if (!formatted) {
      return digits >= 13 && !(c[start] == '0' && c[start + 1] == '0');
    }
    return IpDetector.v4End(c, start, end) == end || isoDate(c, start, end);
  }

  /** {@code yyyy-mm-dd} or {@code yyyy/mm/dd} or {@code yyyy.mm.dd}, alone in the window. */
  private static boolean isoDate(char[] c, int start, int end) {
    if (end - start != 10) {
      return false;
    }
    char sep = c[start + 4];
    if ((sep != '-' && sep != '/' && sep != '.') || c[start + 7] != sep) {
      return false;
    }
    int month = (c[start + 5] - '0') * 10 + (c[start + 6] - '0');
    int day = (c[start + 8] - '0') * 10 + (c[start + 9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
}
