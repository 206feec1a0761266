package dev.engines.nexus.atomize;

import static dev.engines.nexus.atomize.Atomize.bytes;
import static dev.engines.nexus.atomize.Atomize.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8DecodingTests {

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static byte[] withBom(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[BOM.length + body.length];
    System.arraycopy(BOM, 0, all, 0, BOM.length);
    System.arraycopy(body, 0, all, BOM.length, body.length);
    return all;
  }

  @Test
  void linesWhenBomThenDroppedAndOffsetsRelativeToTextWithoutIt() {
    List<AtomDraft> drafts = bytes("text.lines", Map.of(), withBom("ab\ncd"));

    assertThat(texts(drafts)).containsExactly("ab", "cd");
    assertThat(drafts)
        .extracting(AtomDraft::span)
        .containsExactly(Span.line(1, 0, 2), Span.line(2, 3, 5));
  }

  @Test
  void linesWhenOnlyABomThenNoAtoms() {
    assertThat(bytes("text.lines", Map.of("skip_blank", false), BOM)).isEmpty();
  }

  @Test
  void linesWhenSecondBomThenKeptAsText() {
    assertThat(texts(bytes("text.lines", Map.of(), withBom("\uFEFFx")))).containsExactly("\uFEFFx");
  }

  @Test
  void jsonAndCsvWhenBomThenParsedAsWithout() {
    assertThat(texts(bytes("json.records", Map.of(), withBom("[1]")))).containsExactly("1");
    assertThat(texts(bytes("csv.rows", Map.of("header", false), withBom("a,b"))))
        .containsExactly("[\"a\",\"b\"]");
  }

  @ParameterizedTest
  @CsvSource({
    "text.lines",
    "text.paragraphs",
    "text.window",
    "json.records",
    "csv.rows",
    "html.text"
  })
  void atomizeWhenMalformedUtf8ThenInvalidEncoding(String opType) {
    // "ok " then a lone continuation byte, then an overlong encoding of '/'.
    byte[] malformed = {'o', 'k', ' ', (byte) 0x80, (byte) 0xC0, (byte) 0xAF};
    Map<String, ?> params = opType.equals("text.window") ? Map.of("size", 4) : Map.of();

    var e = Atomize.problem(() -> bytes(opType, params, malformed), 400, "invalid_encoding");
    assertThat(e.getMessage()).doesNotContain("ok");
  }

  @Test
  void linesWhenTruncatedMultiByteSequenceAtEndThenInvalidEncoding() {
    byte[] truncated = {'a', (byte) 0xE2, (byte) 0x82};
    Atomize.problem(() -> bytes("text.lines", Map.of(), truncated), 400, "invalid_encoding");
  }

  @Test
  void linesWhenEncodedSurrogateThenInvalidEncoding() {
    byte[] cesu = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
    Atomize.problem(() -> bytes("text.lines", Map.of(), cesu), 400, "invalid_encoding");
  }

  @Test
  void linesWhenSupplementaryCharactersThenOffsetsCountUtf16Units() {
    String source = "😀a\n😀😀b";
    List<AtomDraft> drafts = bytes("text.lines", Map.of(), source.getBytes(StandardCharsets.UTF_8));

    assertThat(drafts)
        .extracting(AtomDraft::span)
        .containsExactly(Span.line(1, 0, 3), Span.line(2, 4, 9));
    Atomize.assertOffsetsAddressText(source, drafts);
  }
}
