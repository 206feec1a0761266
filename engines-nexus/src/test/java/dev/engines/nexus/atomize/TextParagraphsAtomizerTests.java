package dev.engines.nexus.atomize;

import static dev.engines.nexus.atomize.Atomize.assertOffsetsAddressText;
import static dev.engines.nexus.atomize.Atomize.text;
import static dev.engines.nexus.atomize.Atomize.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextParagraphsAtomizerTests {

  @Test
  void paragraphsWhenSeparatedByBlankLinesThenOneAtomEachWithInnerNewlinesKept() {
    String source = "First line\nstill first.\n\nSecond.\n";
    List<AtomDraft> drafts = text("text.paragraphs", Map.of(), source);

    assertThat(texts(drafts)).containsExactly("First line\nstill first.", "Second.");
    assertThat(drafts.get(0).span()).isEqualTo(Span.chars(0, 23));
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void paragraphsWhenCrlfAndWhitespaceOnlySeparatorsThenTerminatorsKeptInsideParagraph() {
    String source = "\r\n\r\nA1\r\nA2\r\n   \r\n\t\r\nB1\r\n\r\n";
    List<AtomDraft> drafts = text("text.paragraphs", Map.of(), source);

    assertThat(texts(drafts)).containsExactly("A1\r\nA2", "B1");
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void paragraphsWhenShorterThanMinCharsThenSkippedNotMerged() {
    String source = "ok\n\nlong enough\n\nno";
    List<AtomDraft> drafts = text("text.paragraphs", Map.of("min_chars", 5), source);

    assertThat(texts(drafts)).containsExactly("long enough");
    assertThat(drafts.get(0).ordinal()).isZero();
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void paragraphsWhenEmptyOrBlankInputThenNoAtoms() {
    assertThat(text("text.paragraphs", Map.of(), "")).isEmpty();
    assertThat(text("text.paragraphs", Map.of(), "\n \n\t\n")).isEmpty();
  }

  @Test
  void paragraphsWhenNoTrailingNewlineThenLastParagraphStillEmitted() {
    assertThat(texts(text("text.paragraphs", Map.of(), "a\n\nb"))).containsExactly("a", "b");
  }

  @Test
  void derivationWhenMinCharsZeroThenValidationFailedNamingIt() {
    var e =
        Atomize.problem(
            () -> Atomize.ATOMIZERS.get("text.paragraphs").derivation(Map.of("min_chars", 0)),
            400,
            "validation_failed");
    assertThat(e.getMessage()).contains("min_chars");
  }
}
