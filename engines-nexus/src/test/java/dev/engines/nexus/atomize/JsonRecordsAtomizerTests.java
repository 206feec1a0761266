package dev.engines.nexus.atomize;

import static dev.engines.nexus.atomize.Atomize.text;
import static dev.engines.nexus.atomize.Atomize.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRecordsAtomizerTests {

  @Test
  void arrayWhenTopLevelArrayThenOneCanonicalRecordPerElementWithPointer() {
    String source = "[ {\"b\": 2, \"a\": [1, {\"z\": null, \"y\": true}]}, \"s\", 3 ]";
    List<AtomDraft> drafts = text("json.records", Map.of(), source);

    assertThat(texts(drafts))
        .containsExactly("{\"a\":[1,{\"y\":true,\"z\":null}],\"b\":2}", "\"s\"", "3");
    assertThat(drafts).extracting(d -> d.span().jsonPointer()).containsExactly("/0", "/1", "/2");
  }

  @Test
  void arrayWhenNestedPointerThenRecordsOfThatArrayWithFullPointers() {
    String source = "{\"data\": {\"items\": [{\"id\": 1}, {\"id\": 2}]}, \"other\": [9]}";
    List<AtomDraft> drafts = text("json.records", Map.of("pointer", "/data/items"), source);

    assertThat(texts(drafts)).containsExactly("{\"id\":1}", "{\"id\":2}");
    assertThat(drafts)
        .extracting(d -> d.span().jsonPointer())
        .containsExactly("/data/items/0", "/data/items/1");
  }

  @Test
  void arrayWhenPointerHasEscapedSegmentThenResolvedPerRfc6901() {
    String source = "{\"a/b\": {\"m~n\": [true]}}";
    List<AtomDraft> drafts = text("json.records", Map.of("pointer", "/a~1b/m~0n"), source);

    assertThat(texts(drafts)).containsExactly("true");
    assertThat(drafts.get(0).span().jsonPointer()).isEqualTo("/a~1b/m~0n/0");
  }

  @Test
  void arrayWhenPointerDoesNotSelectAnArrayThenInvalidContent() {
    Atomize.problem(
        () -> text("json.records", Map.of("pointer", "/x"), "{\"x\": {}}"), 400, "invalid_content");
    Atomize.problem(
        () -> text("json.records", Map.of("pointer", "/missing"), "{}"), 400, "invalid_content");
    Atomize.problem(
        () -> text("json.records", Map.of(), "{\"not\": \"an array\"}"), 400, "invalid_content");
  }

  @Test
  void arrayWhenEmptyArrayThenNoAtoms() {
    assertThat(text("json.records", Map.of(), " [ ] ")).isEmpty();
  }

  @Test
  void arrayWhenMalformedEmptyTrailingOrDuplicateKeysThenInvalidContent() {
    Atomize.problem(() -> text("json.records", Map.of(), "[1,"), 400, "invalid_content");
    Atomize.problem(() -> text("json.records", Map.of(), ""), 400, "invalid_content");
    Atomize.problem(() -> text("json.records", Map.of(), "[1] [2]"), 400, "invalid_content");
    Atomize.problem(
        () -> text("json.records", Map.of(), "[{\"a\":1,\"a\":2}]"), 400, "invalid_content");
  }

  @Test
  void canonicalWhenNumbersThenDigitsKeptTrailingZerosStrippedAndSmallIntegersPlain() {
    String source =
        "[1.10, 1e2, 100, -0.0, 0.1000000000000000000000001, 12345678901234567890123,"
            + " 1000000000000000000000000, 1E+400, 2.5e-7]";
    assertThat(texts(text("json.records", Map.of(), source)))
        .containsExactly(
            "1.1",
            "100",
            "100",
            "0",
            "0.1000000000000000000000001",
            "12345678901234567890123",
            "1E+24",
            "1E+400",
            "2.5E-7");
  }

  @Test
  void canonicalWhenExponentHugeThenKeptInExponentNotation() {
    assertThat(texts(text("json.records", Map.of(), "[1e999999999, -7e-999999999]")))
        .containsExactly("1E+999999999", "-7E-999999999");
  }

  @Test
  void arrayWhenExponentBeyondRangeThenInvalidContent() {
    Atomize.problem(
        () -> text("json.records", Map.of(), "[1e99999999999]"), 400, "invalid_content");
  }

  @Test
  void canonicalWhenStringsNeedEscapingThenOnlyQuotesBackslashesAndControlsEscaped() {
    String source = "[\"q\\\" b\\\\ \\n\\t\\u0001 é \\u2028 😀 \\ud800\"]";
    assertThat(texts(text("json.records", Map.of(), source)))
        .containsExactly("\"q\\\" b\\\\ \\n\\t\\u0001 é \u2028 😀 \\ud800\"");
  }

  @Test
  void jsonlWhenLinesThenOneRecordPerNonBlankLineWithLineSpans() {
    String source = "{\"b\":1,\"a\":2}\r\n\r\n  [1, 2]  \n\"x\"";
    List<AtomDraft> drafts = text("json.records", Map.of("format", "jsonl"), source);

    assertThat(texts(drafts)).containsExactly("{\"a\":2,\"b\":1}", "[1,2]", "\"x\"");
    assertThat(drafts)
        .extracting(AtomDraft::span)
        .containsExactly(Span.line(1, 0, 13), Span.line(3, 17, 27), Span.line(4, 28, 31));
  }

  @Test
  void jsonlWhenALineIsNotOneJsonValueThenInvalidContentNamingTheLine() {
    var e =
        Atomize.problem(
            () -> text("json.records", Map.of("format", "jsonl"), "{}\n{\"a\":\n"),
            400,
            "invalid_content");
    assertThat(e.getMessage()).contains("line 2").doesNotContain("\"a\"");
    Atomize.problem(
        () -> text("json.records", Map.of("format", "jsonl"), "1 2"), 400, "invalid_content");
  }

  @Test
  void derivationWhenPointerWithJsonlOrMalformedPointerOrUnknownFormatThenValidationFailed() {
    Atomizer json = Atomize.ATOMIZERS.get("json.records");
    Atomize.problem(
        () -> json.derivation(Map.of("format", "jsonl", "pointer", "/a")),
        400,
        "validation_failed");
    var e =
        Atomize.problem(
            () -> json.derivation(Map.of("pointer", "no-slash")), 400, "validation_failed");
    assertThat(e.getMessage()).contains("pointer");
    Atomize.problem(() -> json.derivation(Map.of("format", "xml")), 400, "validation_failed");
  }

  @Test
  void derivationWhenUnknownParamThenValidationFailedNamingIt() {
    var e =
        Atomize.problem(
            () -> Atomize.ATOMIZERS.get("json.records").derivation(Map.of("pointr", "/a")),
            400,
            "validation_failed");
    assertThat(e.getMessage()).contains("'pointr'");
  }

  @Test
  void atomizeWhenRunTwiceThenIdenticalDrafts() {
    String source = "{\"rows\": [{\"k\": 1.50}, {\"k\": [true, null]}]}";
    Map<String, String> params = Map.of("pointer", "/rows");
    assertThat(text("json.records", params, source))
        .isEqualTo(text("json.records", params, source));
  }
}
