package dev.engines.pii.internal;

/**
 * Context words near a span raise its score, as Presidio's context enhancer does: a word counts when
 * it appears, case-insensitively and as a whole word, within {@link #WINDOW} chars before the span
 * or half that after it.
 */
final class Context {

  static final int WINDOW = 48;

  private Context() {}

  static double score(char[] text, int start, int end, double base, double boost, String[] words) {
    double score = near(text, start, end, words) ? base + boost : base;
    // Rounded so that scores print as written (0.95, not 0.9500000000000001).
    return Math.min(1.0, Math.round(score * 100) / 100.0);
  }

  static boolean near(char[] text, int start, int end, String[] words) {
    int from = Math.max(0, start - WINDOW);
    int to = Math.min(text.length, end + WINDOW / 2);
    for (String word : words) {
      if (findWord(text, from, start, word) || findWord(text, end, to, word)) {
        return true;
      }
    }
    return false;
  }

  private static boolean findWord(char[] text, int from, int to, String lowerWord) {
    int n = lowerWord.length();
    for (int i = from; i + n <= to; i++) {
      if (Character.toLowerCase(text[i]) == lowerWord.charAt(0)
          && !Chars.wordAt(text, i - 1)
          && !Chars.wordAt(text, i + n)
          && matchesAt(text, i, lowerWord)) {
        return true;
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
