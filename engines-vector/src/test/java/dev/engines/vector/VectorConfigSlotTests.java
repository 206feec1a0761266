package dev.engines.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.config.ConfigSlot;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.vector.embed.Embedders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code vector} config slot the module contributes, bounded by {@code engines.vector} and the
 * built-in models; no Spring, no database, no model loaded.
 */
class VectorConfigSlotTests {

  private static final VectorSettings DEPLOYMENT = new VectorSettings(1536, 100, null, null);
  private static final Embedders EMBEDDERS = Embedders.builtIn();
  private static final ConfigSlot SLOT =
      new VectorAutoConfiguration().vectorSlot(DEPLOYMENT, EMBEDDERS);

  @Test
  void validateWhenVectorWithinBoundsThenCanonicalListsSorted() {
    Map<String, Object> out =
        SLOT.validate(
            Map.of(
                "max_dimension",
                384,
                "metrics",
                List.of("l2", "cosine"),
                "models",
                List.of("caller", "all-minilm-l6-v2-q"),
                "ingest_gated",
                true));
    assertThat(out)
        .containsExactly(
            Map.entry("ingest_gated", true),
            Map.entry("max_dimension", 384L),
            Map.entry("metrics", List.of("cosine", "l2")),
            Map.entry("models", List.of("all-minilm-l6-v2-q", "caller")));
    VectorSlot slot = VectorSlot.read(out, DEPLOYMENT.maxDimension(), EMBEDDERS.ids());
    assertThat(slot.maxDimension()).isEqualTo(384);
    assertThat(slot.metrics()).containsExactlyInAnyOrder(Metric.COSINE, Metric.L2);
    assertThat(slot.ingestGated()).isTrue();
  }

  @Test
  void validateWhenVectorBreaksRulesThenEveryFieldNamed() {
    assertThat(SLOT.name()).isEqualTo("vector");
    assertThat(
            errors(
                Map.of(
                    "max_dimension",
                    4096,
                    "metrics",
                    List.of("dot"),
                    "models",
                    List.of("gpt"),
                    "ingest_gated",
                    "yes",
                    "tenant_id",
                    "t_x")))
        .containsExactlyInAnyOrder(
            "tenant_id", "max_dimension", "metrics[0]", "models[0]", "ingest_gated");
    assertThat(errors(Map.of())).containsExactlyInAnyOrder("max_dimension", "ingest_gated");
    assertThat(errors(null)).containsExactlyInAnyOrder("max_dimension", "ingest_gated");
  }

  @Test
  void readWhenDeploymentCapLoweredSinceThenSlotCappedAndAbsentListsMeanAll() {
    VectorSlot slot =
        VectorSlot.read(
            Map.of("max_dimension", 1024L, "ingest_gated", false), 256, EMBEDDERS.ids());
    assertThat(slot.maxDimension()).isEqualTo(256);
    assertThat(slot.metrics()).containsExactlyInAnyOrder(Metric.values());
    assertThat(slot.models()).containsExactlyInAnyOrder("caller", "all-minilm-l6-v2-q");
  }

  private static List<String> errors(Map<String, Object> settings) {
    try {
      SLOT.validate(settings);
    } catch (InvalidFieldsException e) {
      assertThat(e.code()).isEqualTo("validation_failed");
      return e.errors().stream().map(InvalidFieldsException.FieldError::field).toList();
    }
    throw new AssertionError("no validation failure for " + settings);
  }
}
