package dev.engines.pii.internal;

import dev.engines.pii.PiiLists;
import dev.engines.pii.PiiSpan;
import java.util.List;

/** Finds a tenant's deny-list terms: exact, case-sensitive, not glued to letters or digits. */
final class DenyList {

  static final double SCORE = 1.0;

  private DenyList() {}

  static void find(String text, char[] c, PiiLists lists, List<PiiSpan> out) {
    for (String term : lists.deny()) {
      boolean wordStart = Chars.isWord(term.charAt(0));
      boolean wordEnd = Chars.isWord(term.charAt(term.length() - 1));
      int at = text.indexOf(term);
      while (at >= 0) {
        int end = at + term.length();
        if (!(wordStart && Chars.wordAt(c, at - 1)) && !(wordEnd && Chars.wordAt(c, end))) {
          out.add(new PiiSpan(lists.denyType(), at, end, SCORE));
        }
        at = text.indexOf(term, at + 1);
      }
    }
  }
}
