package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaSlicesAtomizerTests {

  private static List<Span> slices(Map<String, ?> params) {
    return Atomize.bytes("media.slices", params, new byte[0]).stream()
        .map(AtomDraft::span)
        .toList();
  }

  @Test
  void slicesWhenDurationNotAMultipleThenLastSliceClippedToDuration() {
    assertThat(slices(Map.of("duration_ms", 25_000, "slice_ms", 10_000)))
        .containsExactly(
            Span.media(0, 10_000), Span.media(10_000, 20_000), Span.media(20_000, 25_000));
  }

  @Test
  void slicesWhenOverlapThenEachStartsOneStepLaterAndSliceReachingTheEndIsLast() {
    assertThat(slices(Map.of("duration_ms", 10, "slice_ms", 4, "overlap_ms", 1)))
        .containsExactly(Span.media(0, 4), Span.media(3, 7), Span.media(6, 10));
    assertThat(slices(Map.of("duration_ms", 11, "slice_ms", 4, "overlap_ms", 1)))
        .containsExactly(Span.media(0, 4), Span.media(3, 7), Span.media(6, 10), Span.media(9, 11));
  }

  @Test
  void slicesWhenDurationShorterThanSliceOrZeroThenOneOrNoSlice() {
    assertThat(slices(Map.of("duration_ms", 3, "slice_ms", 10))).containsExactly(Span.media(0, 3));
    assertThat(slices(Map.of("duration_ms", 0, "slice_ms", 10))).isEmpty();
  }

  @Test
  void slicesWhenAtomizedThenTextIsEmpty() {
    assertThat(Atomize.bytes("media.slices", Map.of("duration_ms", 5, "slice_ms", 2), new byte[0]))
        .extracting(AtomDraft::text)
        .containsOnly("");
  }

  @Test
  void slicesWhenAtomizedThenContentIsNeverRead() throws IOException {
    Atomizer media = Atomize.ATOMIZERS.get("media.slices");
    InputStream unreadable =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("must not be read");
          }
        };
    List<AtomDraft> drafts = new ArrayList<>();
    long count =
        media.atomize(
            unreadable,
            media.derivation(Map.of("duration_ms", 1_000, "slice_ms", 300)),
            drafts::add);

    assertThat(count).isEqualTo(4);
    assertThat(drafts.getLast().span()).isEqualTo(Span.media(900, 1_000));
  }

  @Test
  void derivationWhenOverlapNotBelowSliceThenValidationFailed() {
    Atomize.problem(
        () ->
            Atomize.ATOMIZERS
                .get("media.slices")
                .derivation(Map.of("duration_ms", 10, "slice_ms", 5, "overlap_ms", 5)),
        400,
        "validation_failed");
  }

  @Test
  void derivationWhenTooManySlicesThenValidationFailed() {
    Atomize.problem(
        () ->
            Atomize.ATOMIZERS
                .get("media.slices")
                .derivation(Map.of("duration_ms", 10_000_000, "slice_ms", 1)),
        400,
        "validation_failed");
  }

  @Test
  void derivationWhenDurationMissingOrNegativeThenValidationFailedNamingIt() {
    Atomizer media = Atomize.ATOMIZERS.get("media.slices");
    var missing =
        Atomize.problem(() -> media.derivation(Map.of("slice_ms", 5)), 400, "validation_failed");
    assertThat(missing.getMessage()).contains("duration_ms");
    var negative =
        Atomize.problem(
            () -> media.derivation(Map.of("slice_ms", 5, "duration_ms", -1)),
            400,
            "validation_failed");
    assertThat(negative.getMessage()).contains("duration_ms");
  }
}
