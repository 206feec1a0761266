package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * E-mail addresses, found from each {@code @}: a local part of letters, digits and {@code ._%+-'}
 * (at most 64 chars, not starting or ending with a dot; an apostrophe only inside it, as in {@code
 * o'reilly}, so a quote before an address is not taken in) and a domain of at least two labels
 * whose last label (the TLD) is alphabetic and at least two letters long, or punycode. The userinfo
 * of a URL with a password ({@code scheme://user:pw@host}) is left to {@link
 * UrlCredentialsDetector}. The {@code <id@host>} of a {@code Message-ID}, {@code In-Reply-To},
 * {@code References} or {@code Content-ID} header names a message, not a mailbox, and is not
 * flagged.
 */
final class EmailDetector implements Detector {

  static final double SCORE = 1.0;
  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;
  private static final int MAX_USERINFO = 256;
  private static final int MAX_HEADER_LINE = 998;
  private static final String[] MESSAGE_ID_HEADERS = {
    "message-id:", "in-reply-to:", "references:", "content-id:"
  };

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    int n = c.length;
    int at = text.indexOf('@');
    while (at >= 0) {
      int next = at + 1;
      int start = localStart(c, at);
      if (start >= 0 && !inUrlUserinfoWithPassword(c, start, at)) {
        int end = domainEnd(c, at + 1, n);
        if (end > 0) {
          if (!inMessageIdHeader(c, start, end)) {
            out.add(new PiiSpan(PiiTypes.EMAIL_ADDRESS, start, end, SCORE));
          }
          next = end;
        }
      }
      at = next < n ? text.indexOf('@', next) : -1;
    }
  }

  private static boolean isLocal(char ch) {
    return Chars.isWord(ch) || ch == '.' || ch == '%' || ch == '+' || ch == '-' || ch == '\'';
  }

  private static boolean isDomain(char ch) {
    return Chars.isWord(ch) && ch != '_' || ch == '-';
  }

  /** The start of the local part before {@code at}, or -1 when there is no valid one. */
  private static int localStart(char[] c, int at) {
    int s = at;
    while (s > 0 && at - s <= MAX_LOCAL && isLocal(c[s - 1])) {
      s--;
    }
    if (at - s > MAX_LOCAL) {
      return -1;
    }
    while (s < at && (c[s] == '.' || c[s] == '\'')) {
      s++;
    }
    if (s == at || c[at - 1] == '.' || c[at - 1] == '\'') {
      return -1;
    }
    return s;
  }

  /** The exclusive end of a valid domain starting at {@code from}, or -1. */
  private static int domainEnd(char[] c, int from, int n) {
    int limit = Math.min(n, from + MAX_DOMAIN);
    int i = from;
    int labels = 0;
    int lastDot = -1;
    int end = -1;
    while (i < limit) {
      int labelStart = i;
      while (i < limit && isDomain(c[i])) {
        i++;
      }
      if (i == labelStart || c[labelStart] == '-' || c[i - 1] == '-') {
        break;
      }
      labels++;
      if (labels >= 2 && isTld(c, labelStart, i)) {
        end = i;
      }
      if (i < limit && c[i] == '.' && i + 1 < limit && isDomain(c[i + 1])) {
        lastDot = i;
        i++;
      } else {
        break;
      }
    }
    if (end < 0 || lastDot < 0) {
      return -1;
    }
    return end;
  }

  private static boolean isTld(char[] c, int s, int e) {
    if (e - s >= 4 && c[s] == 'x' && c[s + 1] == 'n' && c[s + 2] == '-' && c[s + 3] == '-') {
      return true;
    }
    if (e - s < 2) {
      return false;
    }
    for (int i = s; i < e; i++) {
      if (!Character.isLetter(c[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code [start, end)} is an angle-bracketed id on a message-id header line (RFC 5322
   * section 3.6.4), possibly one of several in {@code References}.
   */
  private static boolean inMessageIdHeader(char[] c, int start, int end) {
    if (start == 0 || c[start - 1] != '<' || end >= c.length || c[end] != '>') {
      return false;
    }
    int lineStart = start - 1;
    while (lineStart > 0
        && c[lineStart - 1] != '\n'
        && c[lineStart - 1] != '\r'
        && start - lineStart <= MAX_HEADER_LINE) {
      lineStart--;
    }
    for (String header : MESSAGE_ID_HEADERS) {
      if (lineStart + header.length() <= start
          && Chars.startsWithIgnoreCase(c, lineStart, header)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code [start, at)} ends the userinfo of a URL that carries a password. */
  private static boolean inUrlUserinfoWithPassword(char[] c, int start, int at) {
    boolean colon = false;
    for (int i = start - 1; i >= 2 && at - i <= MAX_USERINFO; i--) {
      char ch = c[i];
      if (ch == '/' && c[i - 1] == '/' && c[i - 2] == ':') {
        return colon;
      }
      if (ch == ':') {
        colon = true;
      } else if (ch == '/' || ch == '?' || ch == '#' || Character.isWhitespace(ch)) {
        return false;
      }
    }
    return false;
  }
}
