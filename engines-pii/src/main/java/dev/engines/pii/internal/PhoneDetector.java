package dev.engines.pii.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.RegionMetadataSource;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers found by libphonenumber's {@code findNumbers} with {@link Leniency#VALID}: the
 * number must be valid (not merely of a possible length) for its region, which accepts national
 * formats such as {@code 01 54 65 41 18} (FR) or {@code (312) 234-2157} (US) while ids, hashes and
 * timestamps fail. National numbers are tried against every configured region, international ones
 * ({@code +...}) need none. As written a number holds at most 15 digits (E.164), two more after a
 * {@code 00} prefix and one more for a {@code (0)}. A match read as a national number must also be
 * written the way national numbers are (see {@link #writtenAsNationalNumber}), no match may have
 * the shape of an IPv4 address, valid or not ({@link #ipv4Shaped}), and an extension after it
 * ({@code ext. 218}) belongs to it.
 *
 * <p>{@code findNumbers} is a regex engine of its own, far too slow to run over all text, so a
 * hand-written prefilter decides what reaches it:
 *
 * <ul>
 *   <li>the text is cut into windows of phone chars (digits, {@code + ( ) - . /} and blanks) with 7
 *       or more digits, at most {@link #MAX_WINDOW} chars (longer runs, such as number tables, are
 *       cut into overlapping chunks, so the work stays linear, and chunks of single digits between
 *       separators are skipped; a megabyte of nothing but short digit groups is still slow enough
 *       to meet the time budget, which then fails the call closed);
 *   <li>windows that are never phone numbers are dropped: dotted quads, ISO dates, bare runs of 13
 *       or more digits without {@code 00} (timestamps, ids), and windows already covered by a
 *       finding that outranks any phone score (card, IBAN, secrets, SSN in context);
 *   <li>a national window goes only to regions whose possible number lengths fit its digit count
 *       (with or without the region's national or country prefix), once per country calling code,
 *       and only where a number found could be kept: its digit groups must allow a number written
 *       as {@link #writtenAsNationalNumber} demands, or one that carries its country code ({@link
 *       Region#couldKeepMatch}).
 * </ul>
 *
 * This detector runs last so that it sees the other detectors' findings.
 */
final class PhoneDetector implements Detector {

  static final double SCORE = 0.7;
  static final double CONTEXT_BOOST = 0.2;
  static final int MAX_WINDOW = 64;
  private static final int CHUNK_OVERLAP = 24;
  private static final int MIN_DIGITS = 7;
  private static final int MAX_TRIES = 16;

  /**
   * Regions with the trunk prefix {@code 0} whose formatted national numbers are customarily
   * written without it, as Brazilian ones with the area code in brackets: {@code (11) 98765-4321}.
   */
  private static final Set<String> TRUNK_PREFIX_OMITTED = Set.of("BR");

  /**
   * Regions with the trunk prefix {@code 0} whose mobile numbers (only those) are customarily
   * written without it, bare or grouped: {@code 9876543210}, {@code 98765 43210}.
   */
  private static final Set<String> TRUNK_PREFIX_OMITTED_FOR_MOBILES = Set.of("IN", "CN");

  private static final List<Integer> NANP_GROUPS = List.of(3, 3, 4);
  private static final List<Integer> NANP_GROUPS_WITH_1 = List.of(1, 3, 3, 4);
  private static final String[] EXTENSION_MARKERS = {"extension", "extn", "ext", "anexo", "x", "#"};
  private static final int MAX_EXTENSION_DIGITS = 7;
  private static final Context.Words CONTEXT =
      Context.words(
          "phone",
          "tel",
          "telephone",
          "call",
          "mobile",
          "cell",
          "fax",
          "contact",
          "whatsapp",
          "sms",
          "telefon",
          "handy",
          "mobil",
          "téléphone",
          "tél",
          "portable",
          "teléfono",
          "móvil",
          "telefono",
          "cellulare",
          "mobiel",
          "bellen");

  /**
   * How a region's national numbers are written, as {@link #writtenAsNationalNumber} checks them.
   */
  private enum NationalForm {
    /** North American: grouped 3-3-4 (an optional leading 1 apart) or bare. */
    NANP,
    /** No trunk prefix 0: any grouping. */
    ANY,
    /** Trunk prefix 0, always written. */
    TRUNK_ZERO,
    /** Trunk prefix 0, omitted when the number is grouped ({@link #TRUNK_PREFIX_OMITTED}). */
    TRUNK_ZERO_OR_GROUPED,
    /** Trunk prefix 0, omitted for mobiles ({@link #TRUNK_PREFIX_OMITTED_FOR_MOBILES}). */
    TRUNK_ZERO_OR_MOBILE
  }

  /** What the prefilter needs to know of one region. */
  private record Region(
      String code,
      String countryCode,
      String nationalPrefix,
      NationalForm form,
      boolean[] iddFirstDigits,
      boolean[] lengths,
      int maxLength) {

    /** Whether a single number of {@code digits} (as written in the window) could be from here. */
    boolean fits(char[] c, int start, int end, int digits) {
      if (digits > maxLength + Math.max(nationalPrefix.length(), countryCode.length() + 1)) {
        return true; // room for more than one number: let libphonenumber split the window
      }
      if (length(digits)) {
        return true;
      }
      if (!nationalPrefix.isEmpty()
          && digitsStartWith(c, start, end, nationalPrefix)
          && length(digits - nationalPrefix.length())) {
        return true;
      }
      if (digitsStartWith(c, start, end, countryCode)) {
        int rest = digits - countryCode.length();
        return length(rest) || length(rest - 1);
      }
      return false;
    }

    /**
     * Whether libphonenumber could find a number here that {@link #window} keeps. Each test is
     * necessary for a kept match, never sufficient, so this only spares calls that would find
     * nothing: a kept match is written with a plus sign, starts with this region's international
     * prefix or country code (both then taken from the number), or is a national number written as
     * {@link #writtenAsNationalNumber} demands. A match starts where a digit group of the window
     * starts and spans whole groups, so what holds for it is read off the window's groups.
     */
    boolean couldKeepMatch(Shape w) {
      if (w.plus || w.anyGroupStartsWith(iddFirstDigits) || w.anyGroupStartsWith(countryCode)) {
        return true;
      }
      return switch (form) {
        case NANP -> w.nanpGroups || w.contextNear();
        case ANY, TRUNK_ZERO_OR_MOBILE -> w.groups > 1 || w.contextNear();
        case TRUNK_ZERO -> w.zeroGroup() && (w.groups > 1 || w.contextNear());
        case TRUNK_ZERO_OR_GROUPED -> w.groups > 1 || w.zeroGroup() && w.contextNear();
      };
    }

    private boolean length(int n) {
      return n >= 0 && n < lengths.length && lengths[n];
    }
  }

  /** The digit groups of one window as written, and whether a phone context word is near it. */
  private static final class Shape {
    private final char[] c;
    private final int start;
    private final int end;
    private final boolean plus;
    private final int groups;
    private final boolean[] groupFirstDigits = new boolean[10];
    private final boolean nanpGroups;
    private Boolean contextNear;

    Shape(char[] c, int start, int end) {
      this.c = c;
      this.start = start;
      this.end = end;
      boolean sawPlus = false;
      int count = 0;
      int run = 0;
      int[] last = new int[3]; // the lengths of the last three groups, oldest first
      boolean nanp = false;
      for (int k = start; k <= end; k++) {
        if (k < end && Chars.isDigit(c[k])) {
          if (run == 0) {
            count++;
            groupFirstDigits[c[k] - '0'] = true;
          }
          run++;
          continue;
        }
        if (run > 0) {
          last[0] = last[1];
          last[1] = last[2];
          last[2] = run;
          nanp |= last[0] == 3 && last[1] == 3 && last[2] == 4;
          run = 0;
        }
        sawPlus |= k < end && c[k] == '+';
      }
      this.plus = sawPlus;
      this.groups = count;
      this.nanpGroups = nanp;
    }

    boolean zeroGroup() {
      return groupFirstDigits[0];
    }

    boolean anyGroupStartsWith(boolean[] firstDigits) {
      for (int d = 0; d < 10; d++) {
        if (firstDigits[d] && groupFirstDigits[d]) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether the digits from the start of some group, separators skipped, begin with {@code
     * prefix}.
     */
    boolean anyGroupStartsWith(String prefix) {
      if (!groupFirstDigits[prefix.charAt(0) - '0']) {
        return false;
      }
      for (int k = start; k < end; k++) {
        if (Chars.isDigit(c[k])
            && (k == start || !Chars.isDigit(c[k - 1]))
            && digitsStartWith(c, k, end, prefix)) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether a context word is near the window. Window chars are no word chars, so a word near a
     * match inside the window is near the window too.
     */
    boolean contextNear() {
      if (contextNear == null) {
        contextNear = Context.near(c, start, end, CONTEXT);
      }
      return contextNear;
    }
  }

  private static final RegionMetadataSource METADATA =
      DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();

  private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
  private final List<Region> regions;
  private final boolean regionFilter;

  PhoneDetector(List<String> regionCodes) {
    this(regionCodes, true);
  }

  /** {@code regionFilter} false sends every window to every fitting region (to test the filter). */
  PhoneDetector(List<String> regionCodes, boolean regionFilter) {
    List<Region> plan = new ArrayList<>();
    Set<Integer> callingCodes = new HashSet<>();
    for (String code : regionCodes) {
      int callingCode = util.getCountryCodeForRegion(code);
      // Regions that share a calling code (US and CA) validate national numbers alike.
      if (!callingCodes.add(callingCode)) {
        continue;
      }
      PhoneMetadata metadata = METADATA.getMetadataForRegion(code);
      boolean[] lengths = new boolean[18];
      int max = 0;
      for (int length : metadata.getGeneralDesc().getPossibleLengthList()) {
        if (length < lengths.length) {
          lengths[length] = true;
          max = Math.max(max, length);
        }
      }
      String prefix = metadata.hasNationalPrefix() ? metadata.getNationalPrefix() : "";
      plan.add(
          new Region(
              code,
              Integer.toString(callingCode),
              prefix,
              nationalForm(code, callingCode, prefix),
              firstDigits(metadata.getInternationalPrefix()),
              lengths,
              max));
    }
    this.regions = List.copyOf(plan);
    this.regionFilter = regionFilter;
  }

  private static NationalForm nationalForm(String code, int callingCode, String nationalPrefix) {
    if (callingCode == 1) {
      return NationalForm.NANP;
    }
    if (!"0".equals(nationalPrefix)) {
      return NationalForm.ANY;
    }
    if (TRUNK_PREFIX_OMITTED.contains(code)) {
      return NationalForm.TRUNK_ZERO_OR_GROUPED;
    }
    return TRUNK_PREFIX_OMITTED_FOR_MOBILES.contains(code)
        ? NationalForm.TRUNK_ZERO_OR_MOBILE
        : NationalForm.TRUNK_ZERO;
  }

  /** The digits a string matching the region's international prefix pattern can start with. */
  private static boolean[] firstDigits(String internationalPrefix) {
    boolean[] first = new boolean[10];
    if (internationalPrefix.isEmpty()) {
      return first;
    }
    Pattern pattern = Pattern.compile(internationalPrefix);
    for (int d = 0; d < 10; d++) {
      Matcher m = pattern.matcher(String.valueOf(d));
      first[d] = m.matches() || m.hitEnd();
    }
    return first;
  }

  private static boolean isPhoneChar(char ch) {
    return Chars.isDigit(ch)
        || ch == ' '
        || ch == '-'
        || ch == '.'
        || ch == '('
        || ch == ')'
        || ch == '/'
        || ch == '+'
        || ch == '\u00A0'
        || ch == '\u2010'
        || ch == '\u2011'
        || ch == '\u2012'
        || ch == '\u2013';
  }

  private static boolean isBlank(char ch) {
    return ch == ' ' || ch == '\u00A0';
  }

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    Coverage coverage = new Coverage(out, SCORE + CONTEXT_BOOST);
    List<PiiSpan> found = new ArrayList<>();
    int n = c.length;
    int i = 0;
    while (i < n) {
      char ch = c[i];
      if (!(Chars.isDigit(ch) || ch == '+' || ch == '(')) {
        i++;
        continue;
      }
      int j = i;
      while (j < n && isPhoneChar(c[j])) {
        j++;
      }
      j = Math.max(j, extensionEnd(c, j));
      pieces(text, c, i, j, coverage, deadline, found);
      deadline.check();
      i = j;
    }
    out.addAll(found);
  }

  /**
   * The end of an extension written right after a run of phone chars that ends at {@code at} (with
   * a digit, then at most a blank or {@code ", "}): {@code ext. 218}, {@code x1205}, {@code #12};
   * -1 when there is none. libphonenumber reads the extension as part of the number, so the span
   * covers it.
   */
  static int extensionEnd(char[] c, int at) {
    int p = at;
    while (p > 0 && isBlank(c[p - 1])) {
      p--;
    }
    if (!Chars.digitAt(c, p - 1)) {
      return -1;
    }
    p = at;
    if (p < c.length && c[p] == ',') {
      p++;
      while (p < c.length && isBlank(c[p])) {
        p++;
      }
    }
    if (p >= c.length || !couldStartExtension(c[p])) {
      return -1; // most digit runs: spares the marker loop below
    }
    for (String marker : EXTENSION_MARKERS) {
      if (!Chars.startsWithIgnoreCase(c, p, marker)
          || (Character.isLetter(marker.charAt(0)) && Chars.wordAt(c, p - 1))) {
        continue;
      }
      int q = p + marker.length();
      if (q < c.length && (c[q] == '.' || c[q] == ':') && !marker.equals("#")) {
        q++;
      }
      while (q < c.length && isBlank(c[q])) {
        q++;
      }
      int digitsStart = q;
      while (q < c.length && Chars.isDigit(c[q]) && q - digitsStart <= MAX_EXTENSION_DIGITS) {
        q++;
      }
      int count = q - digitsStart;
      return count >= 1 && count <= MAX_EXTENSION_DIGITS && !Chars.wordAt(c, q) ? q : -1;
    }
    return -1;
  }

  /** Whether {@code ch} is the first char of one of the {@link #EXTENSION_MARKERS}. */
  private static boolean couldStartExtension(char ch) {
    char lower = Character.toLowerCase(ch);
    return lower == 'e' || lower == 'a' || lower == 'x' || lower == '#';
  }

  /**
   * Splits a run of phone chars at bare digit runs of 13 or more digits (timestamps, ids: no phone
   * number is written so) so that one glued to a phone number does not hide it, and passes each
   * piece on as windows.
   */
  private void pieces(
      String text,
      char[] c,
      int from,
      int to,
      Coverage coverage,
      Deadline deadline,
      List<PiiSpan> out) {
    int pieceStart = from;
    int k = from;
    while (k < to) {
      if (!Chars.isDigit(c[k])) {
        k++;
        continue;
      }
      int runStart = k;
      while (k < to && Chars.isDigit(c[k])) {
        k++;
      }
      if (k - runStart >= 13 && !(c[runStart] == '0' && c[runStart + 1] == '0')) {
        windows(text, c, pieceStart, runStart, coverage, deadline, out);
        pieceStart = k;
      }
    }
    windows(text, c, pieceStart, to, coverage, deadline, out);
  }

  /** Trims {@code [from, to)} to start at a digit, {@code +} or {@code (} and end at a digit. */
  private void windows(
      String text,
      char[] c,
      int from,
      int to,
      Coverage coverage,
      Deadline deadline,
      List<PiiSpan> out) {
    int start = from;
    while (start < to && !(Chars.isDigit(c[start]) || c[start] == '+' || c[start] == '(')) {
      start++;
    }
    int end = to;
    while (end > start && !Chars.isDigit(c[end - 1])) {
      end--;
    }
    // A date that opens the window ("2026-10-16 10:41:42", "16.10.2026 10:41") is no part of a
    // number.
    if (end - start > 10
        && isBlank(c[start + 10])
        && (isoDate(c, start, start + 10) || dayMonthYear(c, start, start + 10))) {
      start += 10;
      while (start < end && !(Chars.isDigit(c[start]) || c[start] == '+' || c[start] == '(')) {
        start++;
      }
    }
    // A window glued to a letter or digit outside it (in a hex id or UUID, say), or to a word and a
    // slash (a path, a user agent's Chrome/129.0.6203.178), continues that token up to the first
    // blank, and no part of such a token is a phone number; dropping it up front also spares
    // libphonenumber the window.
    if (end > start
        && (Chars.wordAt(c, start - 1)
            || start > 0 && c[start - 1] == '/' && Chars.wordAt(c, start - 2))) {
      while (start < end && !isBlank(c[start])) {
        start++;
      }
      while (start < end && !(Chars.isDigit(c[start]) || c[start] == '+' || c[start] == '(')) {
        start++;
      }
    }
    if (end > start && Chars.wordAt(c, end)) {
      while (end > start && !isBlank(c[end - 1])) {
        end--;
      }
      while (end > start && !Chars.isDigit(c[end - 1])) {
        end--;
      }
    }
    if (end <= start || coverage.covers(start, end)) {
      return;
    }
    if (end - start <= MAX_WINDOW) {
      window(text, c, start, end, out);
      return;
    }
    for (int s = start; s < end; s += MAX_WINDOW - CHUNK_OVERLAP) {
      int e = Math.min(end, s + MAX_WINDOW);
      if (hasMultiDigitGroup(c, s, e)) {
        window(text, c, s, e, out);
      }
      deadline.check();
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
    CharSequence window = null;
    boolean international = c[start] == '+';
    Shape shape = international || !regionFilter ? null : new Shape(c, start, end);
    for (Region region : regions) {
      if (!international && !region.fits(c, start, end, digits)) {
        continue;
      }
      if (shape != null && !region.couldKeepMatch(shape)) {
        continue;
      }
      if (window == null) {
        window = text.substring(start, end);
      }
      boolean whole = false;
      for (PhoneNumberMatch m :
          util.findNumbers(window, region.code(), Leniency.VALID, MAX_TRIES)) {
        int s = start + m.start();
        int e = start + m.end();
        if (!Chars.gluedLeft(c, s, ".,")
            && !Chars.gluedRight(c, e, ".,")
            && !ipv4Shaped(c, s, e)
            && withinE164(m.rawString(), m.number())
            && (!national(m, region) || writtenAsNationalNumber(m, region, c, s, e))) {
          out.add(
              new PiiSpan(
                  PiiTypes.PHONE_NUMBER,
                  s,
                  e,
                  Context.score(c, s, e, SCORE, CONTEXT_BOOST, CONTEXT)));
          whole |= s == start && e == end;
        }
      }
      if (whole || (international && singleInternational(c, start, end))) {
        // The window is one number already found: other regions could only find it again.
        return;
      }
    }
  }

  /**
   * Whether libphonenumber read the match as a national number of {@code region} (no {@code +}, no
   * IDD).
   */
  private boolean national(PhoneNumberMatch m, Region region) {
    // findNumbers clears how it found the country code; what the match itself shows settles most
    // cases, and only a match in the region's own country code without a plus sign is parsed again.
    String raw = m.rawString();
    if (!raw.isEmpty() && (raw.charAt(0) == '+' || raw.charAt(0) == '\uFF0B')) {
      return false; // written with a plus sign
    }
    if (!Integer.toString(m.number().getCountryCode()).equals(region.countryCode())) {
      return false; // a country code other than the region's can only have come from the number
    }
    try {
      return util.parseAndKeepRawInput(m.rawString(), region.code()).getCountryCodeSource()
          == Phonenumber.PhoneNumber.CountryCodeSource.FROM_DEFAULT_COUNTRY;
    } catch (NumberParseException e) {
      return true;
    }
  }

  /**
   * Whether a national number is written the way people write phone numbers, which libphonenumber's
   * VALID leniency does not ask; without these rules its loose patterns (German numbers have 5 to
   * 15 digits) take epoch seconds, ids, decimals and log fields for phone numbers:
   *
   * <ul>
   *   <li>a bare digit run ({@code 6502530000}) is as often an order, payout or delivery-note id,
   *       so it needs a phone context word near it, as a bare nine-digit SSN does;
   *   <li>where the trunk prefix is {@code 0}, the number starts with it, as national numbers in
   *       Germany, France, the UK or Israel are always written (see {@link #TRUNK_PREFIX_OMITTED}
   *       and {@link #TRUNK_PREFIX_OMITTED_FOR_MOBILES} for the exceptions);
   *   <li>a North American number is grouped 3-3-4 (an optional leading {@code 1} apart) or not at
   *       all: {@code 206 8608439} is an HTTP status and a byte count in an access log.
   * </ul>
   */
  private boolean writtenAsNationalNumber(
      PhoneNumberMatch m, Region region, char[] text, int s, int e) {
    String raw = m.rawString();
    int extension = m.number().getExtension().length();
    List<Integer> groups = new ArrayList<>();
    int run = 0;
    int digits = 0;
    int total = 0;
    for (int k = 0; k < raw.length(); k++) {
      if (Chars.isDigit(raw.charAt(k))) {
        total++;
      }
    }
    for (int k = 0; k < raw.length() && digits < total - extension; k++) {
      if (Chars.isDigit(raw.charAt(k))) {
        run++;
        digits++;
      } else if (run > 0) {
        groups.add(run);
        run = 0;
      }
    }
    if (run > 0) {
      groups.add(run);
    }
    if (groups.size() == 1 && !Context.near(text, s, e, CONTEXT)) {
      return false;
    }
    boolean trunkPrefix =
        digitsStartWith(text, s, e, region.nationalPrefix()); // [s, e) is the raw string
    return switch (region.form()) {
      case NANP ->
          groups.size() == 1 || groups.equals(NANP_GROUPS) || groups.equals(NANP_GROUPS_WITH_1);
      case ANY -> true;
      case TRUNK_ZERO -> trunkPrefix;
      case TRUNK_ZERO_OR_GROUPED -> trunkPrefix || groups.size() > 1;
      case TRUNK_ZERO_OR_MOBILE ->
          trunkPrefix || util.getNumberType(m.number()) == PhoneNumberUtil.PhoneNumberType.MOBILE;
    };
  }

  /**
   * Whether the digits as written fit E.164 (see the class comment). libphonenumber's patterns are
   * looser for some regions: a card-shaped {@code 4974-1773-2943-3959} passes as a German number
   * with its {@code 49} read as the country code.
   */
  private boolean withinE164(String raw, Phonenumber.PhoneNumber number) {
    int digits = 0;
    for (int k = 0; k < raw.length(); k++) {
      if (Chars.isDigit(raw.charAt(k))) {
        digits++;
      }
    }
    digits -= number.getExtension().length();
    int allowed = 15 + (raw.startsWith("00") ? 2 : 0) + (raw.contains("(0)") ? 1 : 0);
    return digits <= allowed
        && Integer.toString(number.getCountryCode()).length()
                + util.getNationalSignificantNumber(number).length()
            <= 15;
  }

  /**
   * Whether {@code [start, end)} holds two adjacent digits. A long run of single digits between
   * separators ({@code 1 1 1 ...}, {@code 1.1.1...}) is a table or filler, not phone numbers, and
   * would cost libphonenumber dearly.
   */
  private static boolean hasMultiDigitGroup(char[] c, int start, int end) {
    for (int k = start + 1; k < end; k++) {
      if (Chars.isDigit(c[k]) && Chars.isDigit(c[k - 1])) {
        return true;
      }
    }
    return false;
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

  /** Whether the digits of {@code [start, end)}, separators skipped, begin with {@code prefix}. */
  private static boolean digitsStartWith(char[] c, int start, int end, String prefix) {
    int k = 0;
    for (int i = start; i < end && k < prefix.length(); i++) {
      if (Chars.isDigit(c[i])) {
        if (c[i] != prefix.charAt(k)) {
          return false;
        }
        k++;
      }
    }
    return k == prefix.length();
  }

  private static boolean neverPhone(char[] c, int start, int end, int digits, boolean formatted) {
    if (!formatted) {
      return digits >= 13 && !(c[start] == '0' && c[start + 1] == '0');
    }
    return IpDetector.v4End(c, start, end) == end
        || isoDate(c, start, end)
        || dayMonthYear(c, start, end)
        || ssnShaped(c, start, end);
  }

  /**
   * Whether {@code [s, e)} is four groups of one to three digits joined by single dots, the first
   * not starting with {@code 0}: the shape of an IPv4 address whether or not its octets are valid
   * ({@code 300.12.45.1}, {@code 192.168.300.4}: a mistyped or made-up address in a log, or a
   * number with dots between its thousands). No phone number is written so in the regions this
   * detector reads: North American numbers are grouped 3-3-4, and a national number in short dotted
   * groups starts with the trunk prefix {@code 0} ({@code 02.123.45.67}), which the other rules
   * judge.
   */
  private static boolean ipv4Shaped(char[] c, int s, int e) {
    if (e - s < 7 || c[s] == '0') {
      return false;
    }
    int groups = 1;
    int run = 0;
    for (int k = s; k < e; k++) {
      if (Chars.isDigit(c[k])) {
        if (++run > 3) {
          return false;
        }
      } else if (c[k] == '.' && run > 0) {
        groups++;
        run = 0;
      } else {
        return false;
      }
    }
    return groups == 4 && run > 0;
  }

  /**
   * {@code dd.mm.yyyy}, {@code dd/mm/yyyy}, {@code dd-mm-yyyy} or month first, alone in the window.
   */
  private static boolean dayMonthYear(char[] c, int start, int end) {
    if (end - start != 10) {
      return false;
    }
    char sep = c[start + 2];
    if ((sep != '-' && sep != '/' && sep != '.') || c[start + 5] != sep) {
      return false;
    }
    for (int k : new int[] {0, 1, 3, 4, 6, 7, 8, 9}) {
      if (!Chars.isDigit(c[start + k])) {
        return false;
      }
    }
    int a = (c[start] - '0') * 10 + (c[start + 1] - '0');
    int b = (c[start + 3] - '0') * 10 + (c[start + 4] - '0');
    int year = (c[start + 6] - '0') * 1000 + (c[start + 7] - '0') * 100;
    boolean dayMonth = a >= 1 && a <= 31 && b >= 1 && b <= 12;
    boolean monthDay = a >= 1 && a <= 12 && b >= 1 && b <= 31;
    return (year == 1900 || year == 2000) && (dayMonth || monthDay);
  }

  /**
   * {@code ddd-dd-dddd} alone in the window: the shape of a US SSN, which no numbering plan uses
   * for phone numbers; the SSN detector decides about it, and one it rejects (group 00, say) must
   * not come back as a phone number.
   */
  private static boolean ssnShaped(char[] c, int start, int end) {
    if (end - start != 11 || c[start + 3] != '-' || c[start + 6] != '-') {
      return false;
    }
    for (int k = 0; k < 11; k++) {
      if (k != 3 && k != 6 && !Chars.isDigit(c[start + k])) {
        return false;
      }
    }
    return true;
  }

  /** {@code yyyy-mm-dd}, {@code yyyy/mm/dd} or {@code yyyy.mm.dd}, alone in the window. */
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

  /**
   * The ranges covered by findings that score at least {@code minScore}, queried with
   * non-decreasing starts so that one pass over the sorted findings answers all queries.
   */
  private static final class Coverage {
    private final List<PiiSpan> spans;
    private int next;
    private int maxEnd = -1;

    Coverage(List<PiiSpan> found, double minScore) {
      List<PiiSpan> strong = new ArrayList<>();
      for (PiiSpan span : found) {
        if (span.score() >= minScore) {
          strong.add(span);
        }
      }
      strong.sort(Comparator.comparingInt(PiiSpan::start));
      this.spans = strong;
    }

    boolean covers(int start, int end) {
      while (next < spans.size() && spans.get(next).start() <= start) {
        maxEnd = Math.max(maxEnd, spans.get(next).end());
        next++;
      }
      return maxEnd >= end;
    }
  }
}
