package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.List;

/**
 * IPv4 and IPv6 addresses.
 *
 * <p>IPv4: four decimal octets 0-255 without leading zeros, not glued to letters or digits and
 * neither the head nor the tail of a longer dotted number: {@code 1.3.6.1.4.1.9} (an SNMP OID) or
 * {@code 1.2.3.4.5} is not an address, nor any four of its parts (Presidio would flag the first
 * four). A sentence-ending dot after an address stays out of the span. IPv6: the RFC 4291 text
 * forms, full, {@code ::}-compressed, and with an embedded IPv4 tail ({@code ::ffff:192.0.2.1},
 * {@code 64:ff9b::192.0.2.1}). Both take an optional CIDR suffix within range, and IPv6 an optional
 * {@code %zone}. The bare unspecified address {@code ::} is not flagged: it names no host. Version
 * strings such as {@code v2.14.20} have three parts and never match.
 */
final class IpDetector implements Detector {

  static final double SCORE = 0.8;
  static final double CONTEXT_BOOST = 0.15;
  private static final Context.Words CONTEXT =
      Context.words(
          "ip", "ipv4", "ipv6", "address", "host", "client", "server", "remote", "addr", "src",
          "dst");
  private static final int MAX_V6 = 45;

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    detectV4(c, out);
    detectV6(text, c, out);
  }

  private static void detectV4(char[] c, List<PiiSpan> out) {
    int n = c.length;
    int i = 0;
    while (i < n) {
      if (!Chars.isDigit(c[i])) {
        i++;
        continue;
      }
      int start = i;
      if (Chars.gluedLeft(c, start, ".")) {
        i = skipDigits(c, i);
        continue;
      }
      int end = v4End(c, start, n);
      if (end < 0 || Chars.gluedRight(c, end, ".")) {
        i = skipDigits(c, i);
        continue;
      }
      end = cidr(c, end, 32);
      out.add(
          new PiiSpan(
              PiiTypes.IP_ADDRESS,
              start,
              end,
              Context.score(c, start, end, SCORE, CONTEXT_BOOST, CONTEXT)));
      i = end;
    }
  }

  private static int skipDigits(char[] c, int i) {
    while (i < c.length && Chars.isDigit(c[i])) {
      i++;
    }
    return i;
  }

  /** The end of a dotted quad starting at {@code start} and ending before {@code limit}, or -1. */
  static int v4End(char[] c, int start, int limit) {
    int j = start;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (j >= limit || c[j] != '.') {
          return -1;
        }
        j++;
      }
      int s = j;
      int value = 0;
      while (j < limit && Chars.isDigit(c[j]) && j - s < 4) {
        value = value * 10 + (c[j] - '0');
        j++;
      }
      int len = j - s;
      if (len == 0 || len > 3 || value > 255 || (len > 1 && c[s] == '0')) {
        return -1;
      }
    }
    return j < limit && Chars.isDigit(c[j]) ? -1 : j;
  }

  /** Extends {@code end} over a {@code /prefix} of at most {@code max}; returns the new end. */
  private static int cidr(char[] c, int end, int max) {
    int n = c.length;
    if (end + 1 >= n || c[end] != '/' || !Chars.isDigit(c[end + 1])) {
      return end;
    }
    int j = end + 1;
    int value = 0;
    while (j < n && Chars.isDigit(c[j]) && j - end <= 4) {
      value = value * 10 + (c[j] - '0');
      j++;
    }
    if (j - end > 4 || value > max || Chars.wordAt(c, j) || (j - end > 2 && c[end + 1] == '0')) {
      return end;
    }
    return j;
  }

  private static void detectV6(String text, char[] c, List<PiiSpan> out) {
    int n = c.length;
    int colon = text.indexOf(':');
    while (colon >= 0) {
      int s = colon;
      while (s > 0 && Chars.isHex(c[s - 1]) && colon - s <= 4) {
        s--;
      }
      int e = colon;
      while (e < n && e - s <= MAX_V6 && (Chars.isHex(c[e]) || c[e] == ':' || c[e] == '.')) {
        e++;
      }
      int next = e;
      boolean leftOk = colon - s <= 4 && !Chars.wordAt(c, s - 1);
      if (leftOk && e - s <= MAX_V6) {
        while (e > s && c[e - 1] == '.') {
          e--;
        }
        if (isV6(c, s, e) && !(e - s == 2)) {
          int end = e;
          if (end + 1 < n && c[end] == '%' && Chars.isAsciiAlnum(c[end + 1])) {
            end++;
            while (end < n && Chars.isAsciiAlnum(c[end])) {
              end++;
            }
          }
          if (!Chars.wordAt(c, end)) {
            end = cidr(c, end, 128);
            out.add(
                new PiiSpan(
                    PiiTypes.IP_ADDRESS,
                    s,
                    end,
                    Context.score(c, s, end, SCORE, CONTEXT_BOOST, CONTEXT)));
            next = end;
          }
        }
      }
      colon = next < n ? text.indexOf(':', Math.max(next, colon + 1)) : -1;
    }
  }

  /** Whether {@code [s, e)} is an IPv6 address in RFC 4291 text form. */
  static boolean isV6(char[] c, int s, int e) {
    int groups = 0;
    boolean compressed = false;
    int i = s;
    if (e - s >= 2 && c[s] == ':' && c[s + 1] == ':') {
      compressed = true;
      i = s + 2;
      if (i == e) {
        return true;
      }
    } else if (i < e && c[i] == ':') {
      return false;
    }
    while (i < e) {
      int gs = i;
      while (i < e && Chars.isHex(c[i]) && i - gs < 5) {
        i++;
      }
      if (i < e && c[i] == '.') {
        // An embedded IPv4 tail takes the place of the last two groups.
        int v4 = v4End(c, gs, e);
        if (v4 != e) {
          return false;
        }
        groups += 2;
        i = e;
        break;
      }
      int len = i - gs;
      if (len == 0 || len > 4) {
        return false;
      }
      groups++;
      if (i == e) {
        break;
      }
      if (c[i] != ':') {
        return false;
      }
      i++;
      if (i < e && c[i] == ':') {
        if (compressed) {
          return false;
        }
        compressed = true;
        i++;
        if (i == e) {
          break;
        }
      } else if (i == e) {
        return false;
      }
    }
    return compressed ? groups < 8 : groups == 8;
  }
}
