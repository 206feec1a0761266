package dev.engines.nexus.atomize;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code text.paragraphs}: one atom per paragraph, a maximal run of non-blank lines; blank lines
 * (empty or whitespace only, {@link String#isBlank()}) separate paragraphs and belong to none. The
 * atom text runs from the start of the paragraph's first line to the end of its last line, inner
 * line terminators kept as they are, so it is exactly {@code text.substring(start, end)}.
 * Paragraphs shorter than {@code min_chars} chars (UTF-16 units, default 1) produce no atom;
 * nothing is merged.
 */
final class TextParagraphsAtomizer extends BaseAtomizer {

  TextParagraphsAtomizer() {
    super(
        "text.paragraphs",
        "One atom per paragraph of UTF-8 text; paragraphs are separated by blank lines.",
        List.of(
            ParamSpec.integer(
                "min_chars",
                1L,
                1,
                1_000_000,
                "Paragraphs with fewer chars (UTF-16 units) produce no atom.")));
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) throws IOException {
    long minChars = longParam(params, "min_chars");
    LineReader lines = new LineReader(new TextSource(content));
    StringBuilder paragraph = new StringBuilder();
    long start = -1;
    long end = -1;
    String pendingTerminator = "";
    LineReader.Line line;
    while ((line = lines.next()) != null) {
      if (line.text().isBlank()) {
        flush(paragraph, start, end, minChars, emitter);
        start = -1;
        continue;
      }
      if (start < 0) {
        start = line.startChar();
      } else {
        paragraph.append(pendingTerminator);
      }
      paragraph.append(line.text());
      end = line.endChar();
      pendingTerminator = line.terminator();
    }
    flush(paragraph, start, end, minChars, emitter);
  }

  private static void flush(
      StringBuilder paragraph, long start, long end, long minChars, Emitter emitter) {
    if (start >= 0 && paragraph.length() >= minChars) {
      emitter.emit(paragraph.toString(), Span.chars(start, end));
    }
    paragraph.setLength(0);
  }
}
