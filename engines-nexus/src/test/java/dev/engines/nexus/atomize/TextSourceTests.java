package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bulk reads keep the same text, offsets and line numbers as reading a char at a time. */
class TextSourceTests {

  /**
   * Line breaks of every kind, with a {@code \r\n} pair and a lone {@code \r} straddling the
   * 8192-char buffer edge.
   */
  private static String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("a".repeat(8191)).append("\r\n");
    sb.append("b".repeat(8189)).append("\r").append("c\n\n\r\r\nd");
    sb.append("é€😀\r\n".repeat(3000));
    return sb.toString();
  }

  private static TextSource source(String text) {
    return new TextSource(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "chunks of {0}")
  @ValueSource(ints = {1, 2, 7, 1000, 8192, 100_000})
  void readIntoWhenChunkedThenSameTextOffsetsAndLinesAsCharByChar(int chunk) throws IOException {
    String text = text();
    TextSource single = source(text);
    StringBuilder expected = new StringBuilder();
    TextSource bulk = source(text);
    StringBuilder actual = new StringBuilder();
    while (true) {
      int n = bulk.read(actual, chunk);
      if (n == -1) {
        break;
      }
      assertThat(n).isBetween(1, chunk);
      for (int i = 0; i < n; i++) {
        expected.append((char) single.read());
      }
      assertThat(bulk.offset()).isEqualTo(single.offset());
      assertThat(bulk.line()).as("line after %d chars", bulk.offset()).isEqualTo(single.line());
    }
    assertThat(single.read()).isEqualTo(-1);
    assertThat(actual.toString()).isEqualTo(expected.toString()).isEqualTo(text);
    assertThat(bulk.read(actual, chunk)).isEqualTo(-1);
  }
}
