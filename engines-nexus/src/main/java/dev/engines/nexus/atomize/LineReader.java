package dev.engines.nexus.atomize;

import java.io.IOException;

/**
 * Splits decoded text into lines. A terminator ends a line; text after the last terminator is a
 * final line, so {@code "a\n"} is one line and {@code "a\n\n"} two ({@code "a"} and {@code ""}),
 * and empty content has none.
 */
final class LineReader {

  /** One line: its content without terminator, where it sits, and the terminator that ended it. */
  record Line(long number, long startChar, long endChar, String text, String terminator) {}

  private final TextSource source;

  LineReader(TextSource source) {
    this.source = source;
  }

  /** The next line, or {@code null} at the end. */
  Line next() throws IOException {
    if (source.peek() == -1) {
      return null;
    }
    long number = source.line();
    long start = source.offset();
    StringBuilder text = new StringBuilder();
    while (true) {
      int c = source.peek();
      if (c == -1) {
        return new Line(number, start, source.offset(), text.toString(), "");
      }
      if (c == '\n' || c == '\r') {
        long end = source.offset();
        source.read();
        String terminator = "\n";
        if (c == '\r') {
          terminator = "\r";
          if (source.peek() == '\n') {
            source.read();
            terminator = "\r\n";
          }
        }
        return new Line(number, start, end, text.toString(), terminator);
      }
      text.append((char) source.read());
    }
  }
}
