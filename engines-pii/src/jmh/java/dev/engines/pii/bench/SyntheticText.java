package dev.engines.pii.bench;

import java.util.Random;

/**
 * Deterministic synthetic text for the benchmarks: log lines or prose of an exact length, built
 * from a seeded RNG with about one PII value per 400 chars (e-mail, phone, card, IBAN, IP, SSN, now
 * and then a secret), among the ids, timestamps, versions and numbers real text is full of.
 */
public final class SyntheticText {

  private static final String[] WORDS = {
    "the",
    "customer",
    "order",
    "was",
    "shipped",
    "on",
    "time",
    "and",
    "we",
    "will",
    "follow",
    "up",
    "with",
    "a",
    "refund",
    "for",
    "item",
    "please",
    "note",
    "that",
    "our",
    "team",
    "reviewed",
    "request",
    "account",
    "details",
    "in",
    "meeting",
    "last",
    "week",
    "about",
    "billing",
    "invoice",
    "number",
    "support",
    "ticket",
    "status",
    "changed",
    "to",
    "resolved",
    "after",
    "call",
    "from",
    "manager",
    "Berlin",
    "Paris",
    "London",
    "version",
    "release",
    "notes",
    "include",
    "fixes",
    "performance",
    "improvements",
    "Q3",
    "report",
    "shows",
    "growth",
    "of",
    "percent",
    "year",
    "over"
  };
  private static final String[] NAMES = {
    "anna", "kenji", "chloe", "omar", "li", "maria", "noah", "fatima"
  };
  private static final String[] DOMAINS = {
    "example.com", "mail.example.org", "acme-corp.io", "post.example.de"
  };
  private static final String[] PHONES = {
    "+44 20 7946 0481",
    "(312) 234-2157",
    "+33 6 12 73 81 95",
    "030 7278414",
    "+1-206-387-8460",
    "01 54 65 41 18"
  };
  private static final String[] CARDS = {
    "4111 1111 1111 1111", "5555555555554444", "3782-822463-10005", "6011000400000000"
  };
  private static final String[] IBANS = {
    "DE89 3704 0044 0532 0130 00", "GB29NWBK60161331926819", "FR1420041010050500013M02606"
  };
  private static final String[] SECRETS = {
    "AKIAIOSFODNN7EXAMPLE",
    "Bearer abcDEF123456ghiJKL789",
    "https://admin:s3cr3t@db.example.com/app",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
  };

  private SyntheticText() {}

  /** Log-like text of exactly {@code length} chars. */
  public static String logs(int length, long seed) {
    Random rnd = new Random(seed);
    StringBuilder sb = new StringBuilder(length + 256);
    while (sb.length() < length) {
      sb.append(
          String.format(
              "2026-03-%02dT%02d:%02d:%02d.%03dZ %s [worker-%d] ",
              1 + rnd.nextInt(28),
              rnd.nextInt(24),
              rnd.nextInt(60),
              rnd.nextInt(60),
              rnd.nextInt(1000),
              rnd.nextInt(10) == 0 ? "WARN" : "INFO",
              rnd.nextInt(16)));
      sb.append("request_id=")
          .append(Long.toHexString(rnd.nextLong()))
          .append('-')
          .append(Integer.toHexString(rnd.nextInt(0x10000)));
      sb.append(" path=/api/v")
          .append(1 + rnd.nextInt(3))
          .append("/orders/")
          .append(rnd.nextInt(1_000_000));
      sb.append(" status=")
          .append(rnd.nextInt(5) == 0 ? 404 : 200)
          .append(" latency_ms=")
          .append(rnd.nextInt(900));
      sb.append(" ts=").append(1_700_000_000_000L + (rnd.nextLong() & 0xFFFFFFFFFL));
      if (rnd.nextInt(3) == 0) {
        sb.append(' ').append(pii(rnd));
      }
      sb.append(" build=v")
          .append(rnd.nextInt(5))
          .append('.')
          .append(rnd.nextInt(30))
          .append('.')
          .append(rnd.nextInt(30))
          .append('\n');
    }
    return sb.substring(0, length);
  }

  /** Prose of exactly {@code length} chars. */
  public static String prose(int length, long seed) {
    Random rnd = new Random(seed);
    StringBuilder sb = new StringBuilder(length + 256);
    while (sb.length() < length) {
      int words = 8 + rnd.nextInt(14);
      for (int w = 0; w < words; w++) {
        String word = WORDS[rnd.nextInt(WORDS.length)];
        sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
        if (rnd.nextInt(25) == 0) {
          sb.append(' ').append(rnd.nextInt(2000));
        }
        sb.append(w + 1 < words ? " " : "");
      }
      if (rnd.nextInt(3) == 0) {
        sb.append(", contact ").append(pii(rnd));
      }
      sb.append(rnd.nextInt(6) == 0 ? ".\n\n" : ". ");
    }
    return sb.substring(0, length);
  }

  private static String pii(Random rnd) {
    return switch (rnd.nextInt(12)) {
      case 0, 1, 2 ->
          NAMES[rnd.nextInt(NAMES.length)]
              + (rnd.nextBoolean() ? "." : "_")
              + NAMES[rnd.nextInt(NAMES.length)]
              + "@"
              + DOMAINS[rnd.nextInt(DOMAINS.length)];
      case 3, 4 -> PHONES[rnd.nextInt(PHONES.length)];
      case 5 -> CARDS[rnd.nextInt(CARDS.length)];
      case 6 -> IBANS[rnd.nextInt(IBANS.length)];
      case 7, 8 ->
          "ip="
              + (1 + rnd.nextInt(223))
              + "."
              + rnd.nextInt(256)
              + "."
              + rnd.nextInt(256)
              + "."
              + rnd.nextInt(256);
      case 9 ->
          "ssn "
              + (100 + rnd.nextInt(500))
              + "-"
              + (10 + rnd.nextInt(80))
              + "-"
              + (1000 + rnd.nextInt(8000));
      case 10 -> "2001:db8::" + Integer.toHexString(rnd.nextInt(0x10000));
      default -> SECRETS[rnd.nextInt(SECRETS.length)];
    };
  }
}
