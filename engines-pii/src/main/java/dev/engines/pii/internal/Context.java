package dev.engines.pii.internal;

/**
 * Context words near a span raise its score, as Presidio's context enhancer does: a word counts when
 * it appears, case-insensitively and as a whole word, within {@link #WINDOW} chars before the span
 * or half that after it.
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
    private final java.util.Map<Character, String[]> others = new java.util.HashMap<>();

    private Words(String... words) {
      java.util.Map<Character, java.util.List<String>> groups = new java.util.TreeMap<>();
      for (String word : words) {
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        groups.computeIfAbsent(lower.charAt(0), c -> new java.util.ArrayList<>()).add(lower);
      }
      groups.forEach((c, list) -> {
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
        if (i + n <= to && !Chars.wordAt(text, i + n) && matchesAt(text, i, word)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matchesAt(char[] text, int at, String lowerWord) {
    for (int k = 1; k < lowerWord.length(); k++) {
      if (Character.toLowerCase(text[at + k]) != lowerWord.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
