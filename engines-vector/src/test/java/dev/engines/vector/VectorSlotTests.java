package dev.engines.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The vector slot's rules against a deployment of 1,536 dimensions with one built-in model. No Spring. */
class VectorSlotTests {

  private static final SortedSet<String> MODELS = new TreeSet<>(List.of("all-minilm-l6-v2-q"));

  private static List<String> errors(Map<String, Object> in) {
    return VectorSlot.validate(in, new TreeMap<>(), 1536, MODELS).stream().map(FieldError::field).toList();
  }

  @Test
  void validateWhenListsRepeatOrAreEmptyThenNamedByIndex() {
    assertThat(errors(Map.of("max_dimension", 10, "metrics", List.of("l2", "l2"), "models", List.of(), "ingest_gated", false)))
        .containsExactlyInAnyOrder("metrics[1]", "models");
    assertThat(errors(Map.of("max_dimension", 0, "ingest_gated", true))).containsExactly("max_dimension");
    assertThat(errors(Map.of("max_dimension", 1.5, "ingest_gated", true))).containsExactly("max_dimension");
  }

  @Test
  void readWhenModelNoLongerOfferedThenLeftOutAndOnlyTheListedMetricsRemain() {
    VectorSlot slot = VectorSlot.read(Map.of("max_dimension", 384L, "metrics", List.of("cosine"),
        "models", List.of("caller", "retired-model"), "ingest_gated", false), 1536, MODELS);
    assertThat(slot.models()).containsExactly("caller");
    assertThat(slot.metrics()).containsExactly(Metric.COSINE);
    assertThat(slot.maxDimension()).isEqualTo(384);
  }
}
