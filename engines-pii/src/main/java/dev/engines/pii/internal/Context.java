package dev.engines.pii.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Context words near a span raise its score, as Presidio's context enhancer does: a word counts
 * when it appears, case-insensitively and as a whole word, within {@link #WINDOW} chars before the
 * span or half that after it.
 */
final class Context {

  static final int WINDOW = 48;

  private Context() {}

  /**
   * A set of context words, indexed by first char: {@link #near} checks each position of the window
   * once against the few words that start with its char, instead of scanning the window once per
   * word (detectors ask for every candidate, and phone numbers carry twenty-odd words in six
   * languages).
   */
  static final class Words {
    private final String[][] byFirstChar = new String[128][];
    private final Map<Character, String[]> others = new HashMap<>();

    private Words(String... words) {
      Map<Character, List<String>> groups = new TreeMap<>();
      for (String word : words) {
        String lower = word.toLowerCase(Locale.ROOT);
        groups.computeIfAbsent(lower.charAt(0), c -> new ArrayList<>()).add(lower);
      }
      groups.forEach(
          (c, list) -> {
            String[] array = list.toArray(String[]::new);
            if (c < 128) {
              byFirstChar[c] = array;
            } else {
              others.put(c, array);
            }
          });
    }

    String[] startingWith(char lower) {
      return lower < 128 ? byFirstChar[lower] : others.get(lower);
    }
  }

  /** Context words, matched case-insensitively as whole words. */
  static Words words(String... words) {
    return new Words(words);
  }

  static double score(char[] text, int start, int end, double base, double boost, Words words) {
    double score = near(text, start, end, words) ? base + boost : base;
    // Rounded so that scores print as written (0.95, not 0.9500000000000001).
    return Math.min(1.0, Math.round(score * 100) / 100.0);
  }

  static boolean near(char[] text, int start, int end, Words words) {
    return findWord(text, Math.max(0, start - WINDOW), start, words)
        || findWord(text, end, Math.min(text.length, end + WINDOW / 2), words);
  }

  /** Whether one of {@code words} lies wholly inside [from, to) as a whole word. */
  private static boolean findWord(char[] text, int from, int to, Words words) {
    for (int i = from; i < to; i++) {
      String[] candidates = words.startingWith(Character.toLowerCase(text[i]));
      if (candidates == null || Chars.wordAt(text, i - 1)) {
        continue;
      }
      for (String word : candidates) {
        int n = word.length();
        if (i + n <= to
            && !Chars.wordAt(text, i + n)
            && Chars.startsWithIgnoreCase(text, i, word)) {
          return true;
        }
      }
    }
    return false;
  }
}
