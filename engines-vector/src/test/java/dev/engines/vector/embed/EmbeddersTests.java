package dev.engines.vector.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The built-in model, in-process: known dimension, unit length, same text ⇒ same bytes. No Spring,
 * no database.
 */
class EmbeddersTests {

  private static final Embedders EMBEDDERS = Embedders.builtIn();

  @Test
  void builtInWhenListedThenMiniLmWith384DimensionsKnownBeforeLoading() {
    assertThat(EMBEDDERS.ids()).containsExactly("all-minilm-l6-v2-q");
    assertThat(EMBEDDERS.dimension("all-minilm-l6-v2-q")).contains(384);
    assertThat(EMBEDDERS.dimension("caller")).isEmpty();
    assertThat(EMBEDDERS.get("no-such-model")).isEmpty();
  }

  @Test
  void embedWhenSameTextTwiceThenSameBytesAndUnitLength() {
    Embedder model = EMBEDDERS.get("all-minilm-l6-v2-q").orElseThrow();
    float[] first = model.embed("The invoice is due on the first of the month.");
    model.embed("Something else in between, so no state carries over.");
    float[] second = model.embed("The invoice is due on the first of the month.");
    assertThat(bytes(second)).isEqualTo(bytes(first));
    assertThat(first).hasSize(384);
    double norm = 0;
    for (float x : first) {
      norm += x * x;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void embedWhenTextsRelatedThenNearerThanUnrelated() {
    Embedder model = EMBEDDERS.get("all-minilm-l6-v2-q").orElseThrow();
    float[] cat = model.embed("A cat sits on the mat.");
    float[] kitten = model.embed("A kitten is sitting on a rug.");
    float[] tax = model.embed("Quarterly corporate tax filings are due in April.");
    assertThat(dot(cat, kitten)).isGreaterThan(dot(cat, tax));
  }

  @Test
  void embedWhenManyThreadsThenEachTextKeepsItsBytes() throws Exception {
    Embedder model = EMBEDDERS.get("all-minilm-l6-v2-q").orElseThrow();
    String text = "Concurrent requests must not change a text's vector.";
    byte[] expected = bytes(model.embed(text));
    var threads = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var results =
          threads.invokeAll(java.util.Collections.nCopies(16, () -> bytes(model.embed(text))));
      for (var result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      threads.shutdown();
    }
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static byte[] bytes(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4);
    for (float x : vector) {
      buffer.putInt(Float.floatToRawIntBits(x));
    }
    return buffer.array();
  }
}
