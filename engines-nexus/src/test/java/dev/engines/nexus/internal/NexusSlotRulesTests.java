package dev.engines.nexus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.config.ConfigSlot;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.nexus.NexusSettings;
import dev.engines.storage.StorageSettings;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The storage and nexus slot rules against an S3 deployment with two buckets and a deployment
 * prefix; no Spring, no database.
 */
class NexusSlotRulesTests {

  private static final StorageSettings S3 =
      new StorageSettings(
          StorageSettings.Backend.S3,
          1000,
          null,
          new StorageSettings.S3(
              "raw-main",
              List.of("raw-eu", "raw-main"),
              "us-east-1",
              null,
              false,
              "engines/prod",
              null,
              null,
              null,
              null,
              null,
              null),
          null);
  private static final NexusSettings CAPS = new NexusSettings(10, 20, 30);
  private static final NexusSlotRules RULES =
      new NexusSlotRules(S3, CAPS, Set.of("text.lines", "csv.rows"));
  private static final ConfigSlot STORAGE = RULES.storageSlot();
  private static final ConfigSlot NEXUS = RULES.nexusSlot();

  @Test
  void validateWhenStorageWithinBoundsThenCanonicalWithEmptyPrefix() {
    Map<String, Object> out =
        STORAGE.validate(Map.of("backend", "s3", "bucket", "raw-eu", "max_object_bytes", 1000));
    assertThat(out)
        .containsExactly(
            Map.entry("backend", "s3"),
            Map.entry("bucket", "raw-eu"),
            Map.entry("max_object_bytes", 1000L),
            Map.entry("prefix", ""));
    assertThat(S3.buckets())
        .as("configured bucket first, duplicates once")
        .containsExactly("raw-main", "raw-eu");
  }

  @Test
  void validateWhenBucketMissingThenNoDefaultBucketIsChosen() {
    assertThat(errors("storage", Map.of("backend", "s3", "max_object_bytes", 1)))
        .containsExactly("bucket");
  }

  @Test
  void validateWhenPrefixFitsAloneButNotAfterTheDeploymentPrefixThenRefused() {
    String prefix = "p".repeat(250);
    assertThat(
            errors(
                "storage",
                Map.of(
                    "backend",
                    "s3",
                    "bucket",
                    "raw-main",
                    "prefix",
                    prefix,
                    "max_object_bytes",
                    1)))
        .containsExactly("prefix");
  }

  @Test
  void validateWhenPrefixTraversesOrHasEmptySegmentsThenRefused() {
    for (String prefix : List.of("..", "a/../b", "/lead", "trail/", "a//b", "a\\b")) {
      assertThat(
              errors(
                  "storage",
                  Map.of(
                      "backend",
                      "s3",
                      "bucket",
                      "raw-main",
                      "prefix",
                      prefix,
                      "max_object_bytes",
                      1)))
          .as(prefix)
          .containsExactly("prefix");
    }
  }

  /**
   * Guards against a tenant's prefix naming another tenant's key space (tenants/<other>/<env>/raw).
   */
  @Test
  void validateWhenPrefixHasTheReservedKeyRootThenRefused() {
    for (String prefix :
        List.of("tenants", "tenants/t_other/dev/raw", "x/Tenants/t_other", "%74enants")) {
      assertThat(
              errors(
                  "storage",
                  Map.of(
                      "backend",
                      "s3",
                      "bucket",
                      "raw-main",
                      "prefix",
                      prefix,
                      "max_object_bytes",
                      1)))
          .as(prefix)
          .containsExactly("prefix");
    }
    assertThat(
            STORAGE
                .validate(
                    Map.of(
                        "backend",
                        "s3",
                        "bucket",
                        "raw-main",
                        "prefix",
                        "my-tenants/raw",
                        "max_object_bytes",
                        1))
                .get("prefix"))
        .isEqualTo("my-tenants/raw");
  }

  @Test
  void validateWhenNexusAtCapsAndAtomizersListedThenSortedCanonical() {
    Map<String, Object> in =
        new LinkedHashMap<>(
            Map.of(
                "max_atoms_per_derivation",
                10,
                "max_atom_text_chars",
                20,
                "max_atomize_bytes",
                30));
    in.put("atomizers", List.of("text.lines", "csv.rows"));
    assertThat(NEXUS.validate(in).get("atomizers")).isEqualTo(List.of("csv.rows", "text.lines"));
    assertThat(NexusSlotRules.nexus(NEXUS.validate(in)).maxAtomizeBytes()).isEqualTo(30);
  }

  @Test
  void validateWhenNumbersNegativeHugeOrNotIntegersThenEachNamed() {
    Map<String, Object> in =
        Map.of(
            "max_atoms_per_derivation",
            -1,
            "max_atom_text_chars",
            new BigInteger("99999999999999999999"),
            "max_atomize_bytes",
            2.0);
    assertThat(errors("nexus", in))
        .containsExactlyInAnyOrder(
            "max_atoms_per_derivation", "max_atom_text_chars", "max_atomize_bytes");
  }

  private static List<String> errors(String slot, Map<String, Object> settings) {
    try {
      (slot.equals(NexusSlotRules.STORAGE) ? STORAGE : NEXUS).validate(settings);
    } catch (InvalidFieldsException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("validation_failed");
      return e.errors().stream().map(InvalidFieldsException.FieldError::field).toList();
    }
    throw new AssertionError("no validation failure for " + settings);
  }

  @Test
  void slotsWhenNamedThenStorageAndNexus() {
    assertThat(STORAGE.name()).isEqualTo("storage");
    assertThat(NEXUS.name()).isEqualTo("nexus");
  }

  @Test
  void validateWhenNoSettingsThenEveryRequiredFieldNamed() {
    assertThatThrownBy(() -> NEXUS.validate(null)).isInstanceOf(InvalidFieldsException.class);
    assertThat(errors("storage", Map.of()))
        .containsExactly("backend", "bucket", "max_object_bytes");
  }

  @Test
  void validateWhenNexusSlotInvalidThenPathsAndMessagesAsTheApiAnswers() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("max_atoms_per_derivation", 11);
    in.put("max_atom_text_chars", "20");
    in.put("atomizers", List.of("csv.rows", "pdf.pages", 7, "csv.rows"));
    in.put("typo", true);
    assertThatThrownBy(() -> NEXUS.validate(in))
        .isInstanceOf(InvalidFieldsException.class)
        .satisfies(
            e ->
                assertThat(((InvalidFieldsException) e).errors())
                    .containsExactly(
                        new InvalidFieldsException.FieldError(
                            "typo",
                            "is not a field of this slot; fields are [atomizers,"
                                + " max_atom_text_chars, max_atomize_bytes, max_atoms_per_derivation]"),
                        new InvalidFieldsException.FieldError(
                            "max_atoms_per_derivation",
                            "must be between 1 and the deployment cap 10"),
                        new InvalidFieldsException.FieldError(
                            "max_atom_text_chars", "must be an integer (1 to 20)"),
                        new InvalidFieldsException.FieldError(
                            "max_atomize_bytes", "is required (1 to 30)"),
                        new InvalidFieldsException.FieldError(
                            "atomizers[1]", "must be an op_type of GET /v1/atomizers"),
                        new InvalidFieldsException.FieldError(
                            "atomizers[2]", "must be an op_type of GET /v1/atomizers"),
                        new InvalidFieldsException.FieldError("atomizers[3]", "is listed twice")));
  }

  @Test
  void validateWhenAtomizersEmptyOrNotAListThenTheListItselfNamed() {
    Map<String, Object> in =
        new LinkedHashMap<>(
            Map.of(
                "max_atoms_per_derivation", 1, "max_atom_text_chars", 1, "max_atomize_bytes", 1));
    for (Object atomizers : List.of(List.of(), "csv.rows")) {
      in.put("atomizers", atomizers);
      assertThatThrownBy(() -> NEXUS.validate(in))
          .isInstanceOf(InvalidFieldsException.class)
          .satisfies(
              e ->
                  assertThat(((InvalidFieldsException) e).errors())
                      .containsExactly(
                          new InvalidFieldsException.FieldError(
                              "atomizers",
                              "must be a non-empty list of op_types (leave it out for all of them)")));
    }
  }
}
