package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code text.window}: fixed-size windows over the whole text, measured in chars (UTF-16 units, the
 * unit of every offset). The first window starts at 0; a window covers {@code size} chars or up to
 * the end of the text; each next window starts {@code overlap} chars before the previous end (but
 * always after the previous start); the window that reaches the end of the text is the last.
 *
 * <p>Surrogate pairs are never split: a window end that would fall between a high and a low
 * surrogate moves back one char (that window is {@code size - 1} long), and a window start that
 * would fall between them moves forward one char. {@code size} is at least 2 so a window is never
 * empty.
 */
final class TextWindowAtomizer extends BaseAtomizer {

  TextWindowAtomizer() {
    super(
        "text.window",
        "Fixed-size, optionally overlapping char windows over UTF-8 text; surrogate pairs are never split.",
        List.of(
            ParamSpec.integer("size", null, 2, 1_000_000, "Window length in chars (UTF-16 units)."),
            ParamSpec.integer(
                "overlap",
                0L,
                0,
                999_999,
                "Chars each window shares with the previous one; below size.")));
  }

  @Override
  void checkTogether(Map<String, Object> params) {
    if (longParam(params, "overlap") >= longParam(params, "size")) {
      throw EnginesException.validation("Param 'overlap' must be smaller than param 'size'.");
    }
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) throws IOException {
    int size = Math.toIntExact(longParam(params, "size"));
    int overlap = Math.toIntExact(longParam(params, "overlap"));
    TextSource source = new TextSource(content);
    // buffer holds the text from offset `base` on; it never grows beyond one window plus one char.
    StringBuilder buffer = new StringBuilder();
    long base = 0;
    long start = 0;
    boolean exhausted = false;
    while (true) {
      while (!exhausted && base + buffer.length() <= start + size) {
        int wanted = Math.toIntExact(start + size + 1 - (base + buffer.length()));
        exhausted = source.read(buffer, wanted) == -1;
      }
      long known = base + buffer.length();
      if (start >= known) {
        return;
      }
      long end = Math.min(start + size, known);
      if (end < known && splitsPair(buffer, (int) (end - base))) {
        end--;
      }
      emitter.emit(
          buffer.substring((int) (start - base), (int) (end - base)), Span.chars(start, end));
      if (end == known) {
        return;
      }
      long next = Math.max(end - overlap, start + 1);
      if (splitsPair(buffer, (int) (next - base))) {
        next++;
      }
      buffer.delete(0, (int) (next - base));
      base = next;
      start = next;
    }
  }

  /** Whether a boundary before {@code index} falls between the two halves of a surrogate pair. */
  private static boolean splitsPair(CharSequence text, int index) {
    return index > 0
        && index < text.length()
        && Character.isHighSurrogate(text.charAt(index - 1))
        && Character.isLowSurrogate(text.charAt(index));
  }
}
