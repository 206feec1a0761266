package dev.engines.api.envconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.api.config.NexusSettings;
import dev.engines.api.config.StorageSettings;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.session.SessionSettings;
import dev.engines.vector.Metric;
import dev.engines.vector.VectorSettings;
import dev.engines.vector.VectorSlot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The slot rules against an S3 deployment with two buckets and a deployment prefix; no Spring, no database. */
class SlotRulesTests {

  private static final StorageSettings S3 = new StorageSettings(StorageSettings.Backend.S3, 1000, null,
      new StorageSettings.S3("raw-main", List.of("raw-eu", "raw-main"), "us-east-1", null, false, "engines/prod", null, null,
          null, null, null, null),
      null);
  private static final NexusSettings CAPS = new NexusSettings(10, 20, 30);
  private static final SlotRules RULES = new SlotRules(S3, CAPS, SessionSettings.defaults(), Set.of("text.lines", "csv.rows"),
      new VectorSettings(1536, 100, null), new TreeSet<>(Set.of("all-minilm-l6-v2-q")));

  @Test
  void validateWhenVectorWithinBoundsThenCanonicalListsSorted() {
    Map<String, Object> out = RULES.validate("vector", Map.of("max_dimension", 384, "metrics", List.of("l2", "cosine"),
        "models", List.of("caller", "all-minilm-l6-v2-q"), "ingest_gated", true));
    assertThat(out).containsExactly(Map.entry("ingest_gated", true), Map.entry("max_dimension", 384L),
        Map.entry("metrics", List.of("cosine", "l2")), Map.entry("models", List.of("all-minilm-l6-v2-q", "caller")));
    VectorSlot slot = RULES.vector(out);
    assertThat(slot.maxDimension()).isEqualTo(384);
    assertThat(slot.metrics()).containsExactlyInAnyOrder(Metric.COSINE, Metric.L2);
    assertThat(slot.ingestGated()).isTrue();
  }

  @Test
  void validateWhenVectorBreaksRulesThenEveryFieldNamed() {
    assertThat(errors("vector", Map.of("max_dimension", 4096, "metrics", List.of("dot"), "models", List.of("gpt"),
        "ingest_gated", "yes", "tenant_id", "t_x")))
        .containsExactlyInAnyOrder("tenant_id", "max_dimension", "metrics[0]", "models[0]", "ingest_gated");
    assertThat(errors("vector", Map.of())).containsExactlyInAnyOrder("max_dimension", "ingest_gated");
  }

  @Test
  void readWhenDeploymentCapLoweredSinceThenSlotCappedAndAbsentListsMeanAll() {
    VectorSlot slot = new SlotRules(S3, CAPS, SessionSettings.defaults(), Set.of(), new VectorSettings(256, 10, null), new TreeSet<>(Set.of("all-minilm-l6-v2-q")))
        .vector(Map.of("max_dimension", 1024L, "ingest_gated", false));
    assertThat(slot.maxDimension()).isEqualTo(256);
    assertThat(slot.metrics()).containsExactlyInAnyOrder(Metric.values());
    assertThat(slot.models()).containsExactlyInAnyOrder("caller", "all-minilm-l6-v2-q");
  }

  @Test
  void validateWhenStorageWithinBoundsThenCanonicalWithEmptyPrefix() {
    Map<String, Object> out = RULES.validate("storage", Map.of("backend", "s3", "bucket", "raw-eu", "max_object_bytes", 1000));
    assertThat(out).containsExactly(Map.entry("backend", "s3"), Map.entry("bucket", "raw-eu"),
        Map.entry("max_object_bytes", 1000L), Map.entry("prefix", ""));
    assertThat(S3.buckets()).as("configured bucket first, duplicates once").containsExactly("raw-main", "raw-eu");
  }

  @Test
  void validateWhenBucketMissingThenNoDefaultBucketIsChosen() {
    assertThat(errors("storage", Map.of("backend", "s3", "max_object_bytes", 1))).containsExactly("bucket");
  }

  @Test
  void validateWhenPrefixFitsAloneButNotAfterTheDeploymentPrefixThenRefused() {
    String prefix = "p".repeat(250);
    assertThat(errors("storage", Map.of("backend", "s3", "bucket", "raw-main", "prefix", prefix, "max_object_bytes", 1)))
        .containsExactly("prefix");
  }

  @Test
  void validateWhenPrefixTraversesOrHasEmptySegmentsThenRefused() {
    for (String prefix : List.of("..", "a/../b", "/lead", "trail/", "a//b", "a\\b")) {
      assertThat(errors("storage", Map.of("backend", "s3", "bucket", "raw-main", "prefix", prefix, "max_object_bytes", 1)))
          .as(prefix).containsExactly("prefix");
    }
  }

  /** Guards against a tenant's prefix naming another tenant's key space (tenants/<other>/<env>/raw). */
  @Test
  void validateWhenPrefixHasTheReservedKeyRootThenRefused() {
    for (String prefix : List.of("tenants", "tenants/t_other/dev/raw", "x/Tenants/t_other", "%74enants")) {
      assertThat(errors("storage", Map.of("backend", "s3", "bucket", "raw-main", "prefix", prefix, "max_object_bytes", 1)))
          .as(prefix).containsExactly("prefix");
    }
    assertThat(RULES.validate("storage", Map.of("backend", "s3", "bucket", "raw-main", "prefix", "my-tenants/raw", "max_object_bytes", 1))
        .get("prefix")).isEqualTo("my-tenants/raw");
  }

  @Test
  void validateWhenGatesSlotThenFourEyesRequiredAsABooleanAndNothingElse() {
    assertThat(SlotRules.gates(RULES.validate("gates", Map.of("four_eyes", true))).fourEyes()).isTrue();
    assertThat(SlotRules.gates(RULES.validate("gates", Map.of("four_eyes", false))).fourEyes()).isFalse();
    assertThat(errors("gates", Map.of())).as("no default: absent is refused").containsExactly("four_eyes");
    assertThat(errors("gates", Map.of("four_eyes", "yes"))).containsExactly("four_eyes");
    assertThat(errors("gates", Map.of("four_eyes", true, "four_ayes", false))).containsExactly("four_ayes");
  }

  @Test
  void validateWhenNexusAtCapsAndAtomizersListedThenSortedCanonical() {
    Map<String, Object> in = new LinkedHashMap<>(Map.of("max_atoms_per_derivation", 10, "max_atom_text_chars", 20,
        "max_atomize_bytes", 30));
    in.put("atomizers", List.of("text.lines", "csv.rows"));
    assertThat(RULES.validate("nexus", in).get("atomizers")).isEqualTo(List.of("csv.rows", "text.lines"));
    assertThat(SlotRules.nexus(RULES.validate("nexus", in)).maxAtomizeBytes()).isEqualTo(30);
  }

  @Test
  void validateWhenNumbersNegativeHugeOrNotIntegersThenEachNamed() {
    Map<String, Object> in = Map.of("max_atoms_per_derivation", -1, "max_atom_text_chars", new java.math.BigInteger("99999999999999999999"),
        "max_atomize_bytes", 2.0);
    assertThat(errors("nexus", in)).containsExactlyInAnyOrder("max_atoms_per_derivation", "max_atom_text_chars", "max_atomize_bytes");
  }

  private static List<String> errors(String slot, Map<String, Object> settings) {
    try {
      RULES.validate(slot, settings);
    } catch (InvalidFieldsException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("validation_failed");
      return e.errors().stream().map(InvalidFieldsException.FieldError::field).toList();
    }
    throw new AssertionError("no validation failure for " + settings);
  }

  @Test
  void validateWhenNoSettingsThenEveryRequiredFieldNamed() {
    assertThatThrownBy(() -> RULES.validate("nexus", null)).isInstanceOf(InvalidFieldsException.class);
    assertThat(errors("storage", Map.of())).containsExactly("backend", "bucket", "max_object_bytes");
  }

  @Test
  void validateWhenSessionSlotThenBoundedByEnginesSessionAndEveryFieldRequired() {
    assertThat(SlotRules.SLOTS).contains("session");
    assertThat(errors("session", Map.of("max_ttl_seconds", 31L * 24 * 3600, "max_turns", 1)))
        .containsExactlyInAnyOrder("max_ttl_seconds", "default_ttl_seconds", "max_turn_chars", "blackboard_max_bytes",
            "blackboard_max_keys");
    Map<String, Object> valid = Map.of("default_ttl_seconds", 600, "max_ttl_seconds", 3600, "max_turns", 100,
        "max_turn_chars", 2000, "blackboard_max_bytes", 1024, "blackboard_max_keys", 10);
    assertThat(RULES.validate("session", valid)).containsEntry("max_turns", 100L).hasSize(6);
  }
}
