package dev.engines.nexus.atomize;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code text.lines}: one atom per line, terminator excluded. Lines end at {@code \n}, {@code \r\n}
 * or {@code \r}; a trailing terminator does not start another line. With {@code skip_blank}
 * (default true) lines that are empty or whitespace only ({@link String#isBlank()}) produce no
 * atom; they still count for line numbers. Span: line number and char range; the text is exactly
 * {@code text.substring(start, end)}.
 */
final class TextLinesAtomizer extends BaseAtomizer {

  TextLinesAtomizer() {
    super(
        "text.lines",
        "One atom per line of UTF-8 text (\\n, \\r\\n or \\r), terminator excluded.",
        List.of(
            ParamSpec.bool("skip_blank", true, "Skip lines that are empty or whitespace only.")));
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) throws IOException {
    boolean skipBlank = boolParam(params, "skip_blank");
    LineReader lines = new LineReader(new TextSource(content));
    LineReader.Line line;
    while ((line = lines.next()) != null) {
      if (!(skipBlank && line.text().isBlank())) {
        emitter.emit(line.text(), Span.line(line.number(), line.startChar(), line.endChar()));
      }
    }
  }
}
