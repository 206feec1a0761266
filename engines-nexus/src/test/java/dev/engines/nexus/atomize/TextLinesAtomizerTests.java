package dev.engines.nexus.atomize;

import static dev.engines.nexus.atomize.Atomize.assertOffsetsAddressText;
import static dev.engines.nexus.atomize.Atomize.text;
import static dev.engines.nexus.atomize.Atomize.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextLinesAtomizerTests {

  @Test
  void linesWhenLfThenOneAtomPerLineWithLineNumbersAndOffsets() {
    String source = "alpha\nbeta\ngamma";
    List<AtomDraft> drafts = text("text.lines", Map.of(), source);

    assertThat(texts(drafts)).containsExactly("alpha", "beta", "gamma");
    assertThat(drafts.get(1).span()).isEqualTo(Span.line(2, 6, 10));
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void linesWhenCrlfThenOffsetsPointAtLineStart() {
    String source = "one\r\ntwo\r\nthree";
    List<AtomDraft> drafts = text("text.lines", Map.of(), source);

    assertThat(texts(drafts)).containsExactly("one", "two", "three");
    assertThat(drafts).extracting(d -> d.span().startChar()).containsExactly(0L, 5L, 10L);
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void linesWhenMixedTerminatorsThenCrAloneAlsoEndsALine() {
    String source = "a\rb\r\nc\nd";
    List<AtomDraft> drafts = text("text.lines", Map.of(), source);

    assertThat(texts(drafts)).containsExactly("a", "b", "c", "d");
    assertThat(drafts).extracting(d -> d.span().line()).containsExactly(1L, 2L, 3L, 4L);
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void linesWhenTrailingNewlineThenNoExtraEmptyLine() {
    assertThat(texts(text("text.lines", Map.of("skip_blank", false), "a\nb\n")))
        .containsExactly("a", "b");
  }

  @Test
  void linesWhenSkipBlankDefaultThenBlankAndWhitespaceLinesSkippedButCounted() {
    String source = "a\n\n  \t\nb";
    List<AtomDraft> drafts = text("text.lines", Map.of(), source);

    assertThat(texts(drafts)).containsExactly("a", "b");
    assertThat(drafts.get(1).span()).isEqualTo(Span.line(4, 7, 8));
  }

  @Test
  void linesWhenSkipBlankFalseThenBlankLinesAreAtomsWithTheirWhitespace() {
    String source = "a\n\n  \nb";
    List<AtomDraft> drafts = text("text.lines", Map.of("skip_blank", "false"), source);

    assertThat(texts(drafts)).containsExactly("a", "", "  ", "b");
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void linesWhenEmptyInputThenNoAtoms() {
    assertThat(text("text.lines", Map.of("skip_blank", false), "")).isEmpty();
  }

  @Test
  void linesWhenOnlyANewlineThenOneEmptyLine() {
    assertThat(texts(text("text.lines", Map.of("skip_blank", false), "\n"))).containsExactly("");
  }

  @Test
  void linesWhenRunTwiceThenIdenticalDrafts() {
    String source = "x\r\ny\rz\n";
    assertThat(text("text.lines", Map.of(), source))
        .isEqualTo(text("text.lines", Map.of(), source));
  }

  @Test
  void derivationWhenNoParamsThenSkipBlankDefaultIsPartOfIt() {
    Derivation derivation = Atomize.ATOMIZERS.get("text.lines").derivation(null);

    assertThat(derivation.params()).containsExactly(Map.entry("skip_blank", true));
    assertThat(derivation.paramsCanonicalJson()).isEqualTo("{\"skip_blank\":true}");
  }

  @Test
  void derivationWhenSkipBlankNotBooleanThenValidationFailedNamingIt() {
    var e =
        Atomize.problem(
            () -> Atomize.ATOMIZERS.get("text.lines").derivation(Map.of("skip_blank", "yes")),
            400,
            "validation_failed");
    assertThat(e.getMessage()).contains("skip_blank").doesNotContain("yes");
  }
}
