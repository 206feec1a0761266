package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanTests {

  @Test
  void toMapWhenRowSpanThenFlatSnakeCaseMapOfSetFieldsOnly() {
    assertThat(Span.row(2, 3, 10, 20).toMap())
        .containsExactly(
            Map.entry("start_char", 10L),
            Map.entry("end_char", 20L),
            Map.entry("line", 3L),
            Map.entry("row", 2L));
  }

  @Test
  void toMapWhenEachKindThenRoundTripsThroughFromMap() {
    for (Span span :
        new Span[] {
          Span.chars(0, 5),
          Span.line(1, 0, 3),
          Span.row(1, 2, 4, 9),
          Span.jsonPointer("/a/0"),
          Span.page(3),
          Span.media(0, 1000),
          Span.element("/html[1]/body[1]/p[1]", 12, 40)
        }) {
      assertThat(Span.fromMap(span.toMap())).isEqualTo(span);
    }
  }

  @Test
  void fromMapWhenNumbersAreIntegersThenAccepted() {
    assertThat(Span.fromMap(Map.of("page", 2))).isEqualTo(Span.page(2));
    assertThat(Span.fromMap(Map.of("start_char", 1, "end_char", 4))).isEqualTo(Span.chars(1, 4));
  }

  @Test
  void fromMapWhenUnknownKeyOrWrongTypeOrHalfRangeThenValidationFailed() {
    Atomize.problem(() -> Span.fromMap(Map.of("offset", 1)), 400, "validation_failed");
    Atomize.problem(() -> Span.fromMap(Map.of("page", "2")), 400, "validation_failed");
    Atomize.problem(() -> Span.fromMap(Map.of("start_char", 1)), 400, "validation_failed");
  }

  @Test
  void keyWhenSpanThenCanonicalJsonWithSortedKeys() {
    assertThat(Span.row(2, 3, 10, 20).key())
        .isEqualTo("{\"end_char\":20,\"line\":3,\"row\":2,\"start_char\":10}");
    assertThat(Span.jsonPointer("/a\"b").key()).isEqualTo("{\"json_pointer\":\"/a\\\"b\"}");
  }

  @Test
  void constructorWhenEndBeforeStartOrNothingSetThenRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> Span.chars(5, 4));
    assertThatIllegalArgumentException().isThrownBy(() -> Span.media(-1, 4));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Span(null, null, null, null, null, null, null, null, null));
  }
}
