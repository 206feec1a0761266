package dev.engines.nexus.atomize;

import java.io.IOException;
import java.io.InputStream;

/**
 * Char-at-a-time access to decoded UTF-8 with one char of lookahead, tracking the char offset and
 * the 1-based line of the next char. Lines end at {@code \n}, {@code \r\n} or {@code \r}; a {@code
 * \r\n} pair ends one line.
 */
final class TextSource {

  private final Utf8Reader reader;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  private boolean exhausted;
  private long offset;
  private long line = 1;

  TextSource(InputStream content) {
    this.reader = new Utf8Reader(content);
  }

  /** The next char without consuming it, or -1 at the end. */
  int peek() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position];
  }

  /** Consumes and returns the next char, or -1 at the end. */
  int read() throws IOException {
    int c = peek();
    if (c == -1) {
      return -1;
    }
    position++;
    offset++;
    if (c == '\n' || c == '\r' && peek() != '\n') {
      line++;
    }
    return c;
  }

  /**
   * Consumes up to {@code max} chars into {@code into}, with the same offset and line bookkeeping
   * as {@link #read()}; answers how many, or -1 at the end. For atomizers that take text in bulk: a
   * char at a time costs more than the atomizer's own work.
   */
  int read(StringBuilder into, int max) throws IOException {
    if (max <= 0) {
      return 0;
    }
    if (position == limit && !fill()) {
      return -1;
    }
    int from = position;
    int count = Math.min(max, limit - from);
    into.append(buffer, from, count);
    boolean crAtBufferEnd = false;
    for (int i = from; i < from + count; i++) {
      char c = buffer[i];
      if (c == '\n') {
        line++;
      } else if (c == '\r') {
        if (i + 1 < limit) {
          if (buffer[i + 1] != '\n') {
            line++;
          }
        } else {
          crAtBufferEnd = true;
        }
      }
    }
    position += count;
    offset += count;
    if (crAtBufferEnd && peek() != '\n') {
      line++;
    }
    return count;
  }

  /** Offset of the next char in the decoded text. */
  long offset() {
    return offset;
  }

  /** 1-based line of the next char. */
  long line() {
    return line;
  }

  private boolean fill() throws IOException {
    if (exhausted) {
      return false;
    }
    int count = reader.read(buffer, 0, buffer.length);
    if (count == -1) {
      exhausted = true;
      return false;
    }
    position = 0;
    limit = count;
    return true;
  }
}
