package dev.engines.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The vector slot's rules against a deployment of 1,536 dimensions with one built-in model. No
 * Spring.
 */
class VectorSlotTests {

  private static final SortedSet<String> MODELS = new TreeSet<>(List.of("all-minilm-l6-v2-q"));

  private static List<String> errors(Map<String, Object> in) {
    return VectorSlot.validate(in, new TreeMap<>(), 1536, MODELS).stream()
        .map(FieldError::field)
        .toList();
  }

  @Test
  void validateWhenListsRepeatOrAreEmptyThenNamedByIndex() {
    assertThat(
            errors(
                Map.of(
                    "max_dimension",
                    10,
                    "metrics",
                    List.of("l2", "l2"),
                    "models",
                    List.of(),
                    "ingest_gated",
                    false)))
        .containsExactlyInAnyOrder("metrics[1]", "models");
    assertThat(errors(Map.of("max_dimension", 0, "ingest_gated", true)))
        .containsExactly("max_dimension");
    assertThat(errors(Map.of("max_dimension", 1.5, "ingest_gated", true)))
        .containsExactly("max_dimension");
  }

  @Test
  void readWhenModelNoLongerOfferedThenLeftOutAndOnlyTheListedMetricsRemain() {
    VectorSlot slot =
        VectorSlot.read(
            Map.of(
                "max_dimension",
                384L,
                "metrics",
                List.of("cosine"),
                "models",
                List.of("caller", "retired-model"),
                "ingest_gated",
                false),
            1536,
            MODELS);
    assertThat(slot.models()).containsExactly("caller");
    assertThat(slot.metrics()).containsExactly(Metric.COSINE);
    assertThat(slot.maxDimension()).isEqualTo(384);
  }

  @Test
  void validateWhenInvalidThenPathsAndMessagesAsTheApiAnswers() {
    List<FieldError> errors =
        VectorSlot.validate(
            Map.of(
                "max_dimension",
                "384",
                "metrics",
                List.of("l2", "hamming", "l2"),
                "models",
                "caller",
                "ingest_gated",
                "no"),
            new TreeMap<>(),
            1536,
            MODELS);
    assertThat(errors)
        .containsExactly(
            new FieldError(
                "max_dimension", "is required: an integer from 1 to the deployment cap 1536"),
            new FieldError("metrics[1]", "must be one of [cosine, inner_product, l2]"),
            new FieldError("metrics[2]", "is listed twice"),
            new FieldError(
                "models",
                "must be a non-empty list of [all-minilm-l6-v2-q, caller] (leave it out for all of them)"),
            new FieldError("ingest_gated", "is required: true or false"));
    assertThat(VectorSlot.validate(Map.of(), new TreeMap<>(), 1536, MODELS))
        .extracting(FieldError::message)
        .containsExactly(
            "is required: an integer from 1 to the deployment cap 1536",
            "is required: true or false");
  }

  @Test
  void validateWhenValidThenListsSortedAndNumbersLong() {
    Map<String, Object> out = new TreeMap<>();
    assertThat(
            VectorSlot.validate(
                Map.of(
                    "max_dimension",
                    384,
                    "models",
                    List.of("caller", "all-minilm-l6-v2-q"),
                    "ingest_gated",
                    true),
                out,
                1536,
                MODELS))
        .isEmpty();
    assertThat(out)
        .containsExactly(
            Map.entry("ingest_gated", true),
            Map.entry("max_dimension", 384L),
            Map.entry("models", List.of("all-minilm-l6-v2-q", "caller")));
  }
}
