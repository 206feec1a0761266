package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding for every text atomizer: malformed bytes fail with 400 {@code
 * invalid_encoding} instead of becoming U+FFFD (a replacement would make different bytes give the
 * same atoms), and one leading BOM is dropped so offsets do not depend on whether an editor wrote
 * one.
 *
 * <p>The failure is an unchecked {@link EnginesException} so it passes unchanged through parsers
 * (jsoup, Jackson) that wrap checked I/O errors.
 */
final class Utf8Reader extends Reader {

  private static final char BOM = '\uFEFF';

  private final Reader decoded;
  private boolean atStart = true;

  Utf8Reader(InputStream content) {
    this.decoded =
        new InputStreamReader(
            content,
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (true) {
      int count = decode(buffer, offset, length);
      if (count <= 0 || !atStart) {
        return count;
      }
      atStart = false;
      if (buffer[offset] != BOM) {
        return count;
      }
      if (count > 1) {
        System.arraycopy(buffer, offset + 1, buffer, offset, count - 1);
        return count - 1;
      }
    }
  }

  private int decode(char[] buffer, int offset, int length) throws IOException {
    try {
      return decoded.read(buffer, offset, length);
    } catch (CharacterCodingException e) {
      throw EnginesException.badRequest(Atomizers.INVALID_ENCODING, "Content is not valid UTF-8.");
    }
  }

  /** Reads everything that is left, for the atomizers that need the whole text. */
  String readRemaining() throws IOException {
    StringBuilder text = new StringBuilder();
    char[] chunk = new char[8192];
    int count;
    while ((count = read(chunk, 0, chunk.length)) != -1) {
      text.append(chunk, 0, count);
    }
    return text.toString();
  }

  /** Does not close the underlying stream: the caller owns it. */
  @Override
  public void close() {}
}
