package dev.engines.nexus.atomize;

import static dev.engines.nexus.atomize.Atomize.assertOffsetsAddressText;
import static dev.engines.nexus.atomize.Atomize.text;
import static dev.engines.nexus.atomize.Atomize.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextWindowAtomizerTests {

  @Test
  void windowsWhenNoOverlapThenConsecutiveWithShortLastWindow() {
    String source = "abcdefghij";
    List<AtomDraft> drafts = text("text.window", Map.of("size", 4), source);

    assertThat(texts(drafts)).containsExactly("abcd", "efgh", "ij");
    assertThat(drafts.get(2).span()).isEqualTo(Span.chars(8, 10));
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void windowsWhenOverlapThenEachStartsOverlapBeforePreviousEndAndLastReachesEnd() {
    String source = "abcdefghij";
    List<AtomDraft> drafts = text("text.window", Map.of("size", 6, "overlap", 4), source);

    assertThat(texts(drafts)).containsExactly("abcdef", "cdefgh", "efghij");
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void windowsWhenTextShorterThanSizeThenOneWindow() {
    assertThat(texts(text("text.window", Map.of("size", 100, "overlap", 10), "short")))
        .containsExactly("short");
  }

  @Test
  void windowsWhenEmptyInputThenNoAtoms() {
    assertThat(text("text.window", Map.of("size", 3), "")).isEmpty();
  }

  @Test
  void windowsWhenEndWouldSplitSurrogatePairThenEndMovesBackOneChar() {
    // "ab😀cd": the emoji is chars 2..3; a 3-char window would end between them.
    String source = "ab\uD83D\uDE00cd";
    List<AtomDraft> drafts = text("text.window", Map.of("size", 3), source);

    assertThat(texts(drafts)).containsExactly("ab", "\uD83D\uDE00c", "d");
    assertThat(drafts)
        .extracting(AtomDraft::span)
        .containsExactly(Span.chars(0, 2), Span.chars(2, 5), Span.chars(5, 6));
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void windowsWhenStartWouldSplitSurrogatePairThenStartMovesForwardOneChar() {
    // size 4, overlap 1: the second window would start at 3, inside the emoji at 2..3.
    String source = "ab\uD83D\uDE00cdef";
    List<AtomDraft> drafts = text("text.window", Map.of("size", 4, "overlap", 1), source);

    assertThat(texts(drafts)).containsExactly("ab\uD83D\uDE00", "cdef");
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void windowsWhenOnlySurrogatePairsAndMinimumSizeThenNoPairIsEverSplit() {
    String source = "\uD83D\uDE00".repeat(5) + "x" + "\uD83D\uDE01".repeat(3);
    List<AtomDraft> drafts = text("text.window", Map.of("size", 2, "overlap", 1), source);

    assertOffsetsAddressText(source, drafts);
    for (AtomDraft draft : drafts) {
      String t = draft.text();
      assertThat(t).isNotEmpty();
      assertThat(Character.isLowSurrogate(t.charAt(0))).isFalse();
      assertThat(Character.isHighSurrogate(t.charAt(t.length() - 1))).isFalse();
    }
    assertThat(drafts.getLast().span().endChar()).isEqualTo(source.length());
  }

  @Test
  void windowsWhenShrunkWindowAndMaximalOverlapThenStillAdvances() {
    // size 3, overlap 2: the first window shrinks to "ab", and end - overlap would restart it at 0.
    String source = "ab\uD83D\uDE00";
    List<AtomDraft> drafts = text("text.window", Map.of("size", 3, "overlap", 2), source);

    assertThat(texts(drafts)).containsExactly("ab", "b\uD83D\uDE00");
    assertOffsetsAddressText(source, drafts);
  }

  @Test
  void windowsWhenLongerThanReadBufferThenOffsetsStayExact() {
    StringBuilder builder = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      builder.append("line ").append(i).append(i % 7 == 0 ? "\uD83D\uDE00" : "").append('\n');
    }
    String source = builder.toString();
    List<AtomDraft> drafts = text("text.window", Map.of("size", 1000, "overlap", 100), source);

    assertOffsetsAddressText(source, drafts);
    assertThat(drafts.getFirst().span().startChar()).isZero();
    assertThat(drafts.getLast().span().endChar()).isEqualTo(source.length());
  }

  @Test
  void derivationWhenOverlapNotBelowSizeThenValidationFailed() {
    var e =
        Atomize.problem(
            () -> Atomize.ATOMIZERS.get("text.window").derivation(Map.of("size", 4, "overlap", 4)),
            400,
            "validation_failed");
    assertThat(e.getMessage()).contains("overlap").contains("size");
  }

  @Test
  void derivationWhenSizeMissingThenValidationFailedNamingIt() {
    var e =
        Atomize.problem(
            () -> Atomize.ATOMIZERS.get("text.window").derivation(Map.of()),
            400,
            "validation_failed");
    assertThat(e.getMessage()).contains("'size'");
  }

  @Test
  void derivationWhenSizeBelowTwoOrFractionalThenValidationFailed() {
    Atomizer window = Atomize.ATOMIZERS.get("text.window");
    Atomize.problem(() -> window.derivation(Map.of("size", 1)), 400, "validation_failed");
    Atomize.problem(() -> window.derivation(Map.of("size", 2.5)), 400, "validation_failed");
    Atomize.problem(() -> window.derivation(Map.of("size", "ten")), 400, "validation_failed");
  }

  @Test
  void derivationWhenSizeGivenAsIntegralDoubleOrStringThenSameCanonicalDerivation() {
    Atomizer window = Atomize.ATOMIZERS.get("text.window");
    Derivation fromInt = window.derivation(Map.of("size", 8));

    assertThat(window.derivation(Map.of("size", 8.0))).isEqualTo(fromInt);
    assertThat(window.derivation(Map.of("size", "8", "overlap", 0L))).isEqualTo(fromInt);
    assertThat(fromInt.paramsCanonicalJson()).isEqualTo("{\"overlap\":0,\"size\":8}");
  }
}
