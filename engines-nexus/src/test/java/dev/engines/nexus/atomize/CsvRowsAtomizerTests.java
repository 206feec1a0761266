package dev.engines.nexus.atomize;

import static dev.engines.nexus.atomize.Atomize.text;
import static dev.engines.nexus.atomize.Atomize.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvRowsAtomizerTests {

  @Test
  void rowsWhenHeaderThenJsonObjectsInColumnOrderWithRowSpans() {
    String source = "name,age\nAnn,31\nBob,7\n";
    List<AtomDraft> drafts = text("csv.rows", Map.of(), source);

    assertThat(texts(drafts))
        .containsExactly("{\"name\":\"Ann\",\"age\":\"31\"}", "{\"name\":\"Bob\",\"age\":\"7\"}");
    assertThat(drafts)
        .extracting(AtomDraft::span)
        .containsExactly(Span.row(1, 2, 9, 15), Span.row(2, 3, 16, 21));
    assertThat(source.substring(9, 15)).isEqualTo("Ann,31");
  }

  @Test
  void rowsWhenNoHeaderThenJsonArraysAndFirstRecordIsRowOne() {
    List<AtomDraft> drafts = text("csv.rows", Map.of("header", false), "a,b\r\nc,d");

    assertThat(texts(drafts)).containsExactly("[\"a\",\"b\"]", "[\"c\",\"d\"]");
    assertThat(drafts).extracting(d -> d.span().row()).containsExactly(1L, 2L);
  }

  @Test
  void rowsWhenQuotedFieldsHoldDelimitersQuotesAndNewlinesThenParsedPerRfc4180() {
    String source = "id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\r\nsecond line\"\r\n3,\"\"\r\n";
    List<AtomDraft> drafts = text("csv.rows", Map.of(), source);

    assertThat(texts(drafts))
        .containsExactly(
            "{\"id\":\"1\",\"note\":\"a, b\"}",
            "{\"id\":\"2\",\"note\":\"say \\\"hi\\\"\\r\\nsecond line\"}",
            "{\"id\":\"3\",\"note\":\"\"}");
    Span second = drafts.get(1).span();
    assertThat(second.line()).isEqualTo(3);
    assertThat(source.substring(second.startChar().intValue(), second.endChar().intValue()))
        .isEqualTo("2,\"say \"\"hi\"\"\r\nsecond line\"");
    assertThat(drafts.get(2).span().line()).isEqualTo(5);
  }

  @Test
  void rowsWhenSemicolonOrTabDelimiterThenFieldsSplitOnIt() {
    assertThat(texts(text("csv.rows", Map.of("header", false, "delimiter", ";"), "a;b,c")))
        .containsExactly("[\"a\",\"b,c\"]");
    assertThat(texts(text("csv.rows", Map.of("header", false, "delimiter", "\t"), "a\tb")))
        .containsExactly("[\"a\",\"b\"]");
  }

  @Test
  void rowsWhenEmptyLinesThenSkippedAndNotCountedAsRows() {
    List<AtomDraft> drafts = text("csv.rows", Map.of(), "k\n\nv1\n\n\nv2\n\n");

    assertThat(texts(drafts)).containsExactly("{\"k\":\"v1\"}", "{\"k\":\"v2\"}");
    assertThat(drafts).extracting(d -> d.span().row()).containsExactly(1L, 2L);
    assertThat(drafts).extracting(d -> d.span().line()).containsExactly(3L, 6L);
  }

  @Test
  void rowsWhenEmptyFieldsAndSpacesThenKeptVerbatim() {
    assertThat(texts(text("csv.rows", Map.of("header", false), " a ,,\n")))
        .containsExactly("[\" a \",\"\",\"\"]");
  }

  @Test
  void rowsWhenOnlyHeaderOrEmptyThenNoAtoms() {
    assertThat(text("csv.rows", Map.of(), "a,b\n")).isEmpty();
    assertThat(text("csv.rows", Map.of(), "")).isEmpty();
  }

  @Test
  void rowsWhenFieldCountDiffersThenInvalidContentNamingRow() {
    var e =
        Atomize.problem(() -> text("csv.rows", Map.of(), "a,b\n1,2\n3\n"), 400, "invalid_content");
    assertThat(e.getMessage()).contains("row 2");
  }

  @Test
  void rowsWhenUnterminatedQuoteThenInvalidContent() {
    Atomize.problem(
        () -> text("csv.rows", Map.of("header", false), "a,\"open\nnever closed"),
        400,
        "invalid_content");
  }

  @Test
  void rowsWhenQuoteInsideUnquotedFieldOrTextAfterClosingQuoteThenInvalidContent() {
    Atomize.problem(
        () -> text("csv.rows", Map.of("header", false), "a\"b"), 400, "invalid_content");
    Atomize.problem(
        () -> text("csv.rows", Map.of("header", false), "\"a\"b"), 400, "invalid_content");
  }

  @Test
  void rowsWhenHeaderRepeatsAColumnThenInvalidContent() {
    var e =
        Atomize.problem(() -> text("csv.rows", Map.of(), "a,b,a\n1,2,3"), 400, "invalid_content");
    assertThat(e.getMessage()).contains("column 3");
  }

  @Test
  void derivationWhenDelimiterNotOneCharOrAQuoteThenValidationFailedNamingIt() {
    Atomizer csv = Atomize.ATOMIZERS.get("csv.rows");
    var e =
        Atomize.problem(() -> csv.derivation(Map.of("delimiter", ";;")), 400, "validation_failed");
    assertThat(e.getMessage()).contains("delimiter");
    Atomize.problem(() -> csv.derivation(Map.of("delimiter", "\"")), 400, "validation_failed");
    Atomize.problem(() -> csv.derivation(Map.of("delimiter", "\n")), 400, "validation_failed");
  }

  @Test
  void derivationWhenDefaultsThenHeaderAndCommaAreInTheCanonicalParams() {
    assertThat(Atomize.ATOMIZERS.get("csv.rows").derivation(Map.of()).paramsCanonicalJson())
        .isEqualTo("{\"delimiter\":\",\",\"header\":true}");
  }

  @Test
  void rowsWhenQuotedFieldsEmbedCrlfLfAndDoubledQuotesThenSpansCoverTheRawRecordsExactly() {
    String source =
        "k,v\r\n\"a\r\nb\",\"x\"\"y\"\r\n\r\n\"\"\"\",\"line1\nline2\nline3\"\rlast,\"\"";
    List<AtomDraft> drafts = text("csv.rows", Map.of(), source);

    assertThat(texts(drafts))
        .containsExactly(
            "{\"k\":\"a\\r\\nb\",\"v\":\"x\\\"y\"}",
            "{\"k\":\"\\\"\",\"v\":\"line1\\nline2\\nline3\"}",
            "{\"k\":\"last\",\"v\":\"\"}");
    assertThat(drafts)
        .extracting(d -> raw(source, d))
        .containsExactly("\"a\r\nb\",\"x\"\"y\"", "\"\"\"\",\"line1\nline2\nline3\"", "last,\"\"");
    assertThat(drafts).extracting(d -> d.span().line()).containsExactly(2L, 5L, 8L);
  }

  @Test
  void rowsWhenCrOnlyLineEndsThenLinesAndSpansCountEachCrAsOneLine() {
    String source = "a\rb\r\rc";
    List<AtomDraft> drafts = text("csv.rows", Map.of("header", false), source);

    assertThat(drafts).extracting(d -> raw(source, d)).containsExactly("a", "b", "c");
    assertThat(drafts).extracting(d -> d.span().line()).containsExactly(1L, 2L, 4L);
  }

  @Test
  void rowsWhenInputIsLargerThanTheWindowThenEverySpanStillMatchesItsRecord() {
    StringBuilder source = new StringBuilder("id,text\n");
    for (int i = 0; i < 5000; i++) {
      source.append(i).append(",\"multi\r\nline \"\"").append(i).append("\"\"\"\n");
    }
    List<AtomDraft> drafts = text("csv.rows", Map.of(), source.toString());

    assertThat(drafts).hasSize(5000);
    AtomDraft last = drafts.get(4999);
    assertThat(raw(source.toString(), last)).isEqualTo("4999,\"multi\r\nline \"\"4999\"\"\"");
    assertThat(last.span().line()).isEqualTo(2 + 2L * 4999);
    for (AtomDraft d : drafts) {
      assertThat(raw(source.toString(), d)).startsWith(d.span().row() - 1 + ",\"multi");
    }
  }

  @Test
  void
      rowsWhenWhitespaceBetweenClosingQuoteAndDelimiterThenInvalidContentThoughCommonsCsvWouldAcceptIt() {
    var e =
        Atomize.problem(
            () -> text("csv.rows", Map.of("header", false), "\"a\" ,b\n"), 400, "invalid_content");
    assertThat(e.getMessage()).contains("line 1");
    Atomize.problem(
        () -> text("csv.rows", Map.of("header", false), "x\n\"a\"  \n"), 400, "invalid_content");
  }

  @Test
  void rowsWhenUnterminatedQuoteAfterSomeRowsThenInvalidContentNamingTheLineItStartsOn() {
    var e =
        Atomize.problem(
            () -> text("csv.rows", Map.of("header", false), "a\n\nb,\"open\nnever"),
            400,
            "invalid_content");
    assertThat(e.getMessage()).contains("line 3");
  }

  private static String raw(String source, AtomDraft draft) {
    return source.substring(draft.span().startChar().intValue(), draft.span().endChar().intValue());
  }
}
