package dev.engines.nexus.internal;

import dev.engines.config.ConfigSlot;
import dev.engines.config.SlotBounds;
import dev.engines.config.SlotFields;
import dev.engines.config.SlotInteger;
import dev.engines.config.SlotRecords;
import dev.engines.config.SlotSubset;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.nexus.NexusSettings;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.StorageSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a tenant/env may put in the two config slots Nexus reads, bounded by the deployment's
 * configuration: the {@code storage} slot may name only the deployment's backend and one of its
 * buckets, a prefix that obeys {@link BucketPrefix} rules (and still fits once the deployment's own
 * prefix goes in front) without the key layout's reserved segment ({@link
 * BucketPrefix#overlapsKeyLayout}), and a {@code max_object_bytes} up to the deployment cap; the
 * {@code nexus} slot limits up to the {@code engines.nexus} caps and, optionally, a subset of the
 * deployment's atomizers. Every field is required except {@code prefix} (absent means none) and
 * {@code atomizers} (absent means all); unknown fields are refused, so a typo never silently leaves
 * a default in force.
 */
public final class NexusSlotRules {

  /** The storage slot's name. */
  public static final String STORAGE = "storage";

  /** The nexus slot's name. */
  public static final String NEXUS = "nexus";

  private final StorageSettings storage;
  private final SlotRecords<NexusSlotWrite> nexusRecords;

  /**
   * @param atomizers the op_types the deployment offers
   */
  public NexusSlotRules(StorageSettings storage, NexusSettings nexus, Set<String> atomizers) {
    this.storage = Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(nexus, "nexus");
    this.nexusRecords =
        new SlotRecords<>(
            NEXUS,
            NexusSlotWrite.class,
            new SlotBounds(
                Map.of(
                    "max_atoms_per_derivation",
                    (long) nexus.maxAtomsPerDerivation(),
                    "max_atom_text_chars",
                    (long) nexus.maxAtomTextChars(),
                    "max_atomize_bytes",
                    nexus.maxAtomizeBytes()),
                Map.of("atomizers", new TreeSet<>(atomizers))));
  }

  /**
   * The nexus slot's settings as written, with their constraints (Bean Validation through {@link
   * SlotRecords}): the limits up to the {@code engines.nexus} caps, {@code atomizers} (absent: all)
   * a subset of the deployment's op_types.
   */
  public record NexusSlotWrite(
      @SlotInteger(bound = "max_atoms_per_derivation") Long maxAtomsPerDerivation,
      @SlotInteger(bound = "max_atom_text_chars") Long maxAtomTextChars,
      @SlotInteger(bound = "max_atomize_bytes") Long maxAtomizeBytes,
      @SlotSubset(
              of = "atomizers",
              list = "must be a non-empty list of op_types (leave it out for all of them)",
              item = "must be an op_type of GET /v1/atomizers")
          List<String> atomizers) {}

  /**
   * The storage slot's settings.
   *
   * @param bucket {@code ""} on the filesystem backend
   * @param prefix {@code ""} for none
   */
  public record StorageSlotSettings(
      String backend, String bucket, String prefix, long maxObjectBytes) {}

  /**
   * The nexus slot's settings.
   *
   * @param atomizers null for every atomizer of the deployment
   */
  public record NexusSlotSettings(
      int maxAtomsPerDerivation,
      int maxAtomTextChars,
      long maxAtomizeBytes,
      List<String> atomizers) {}

  /** The {@code storage} slot, validated by these rules. */
  public ConfigSlot storageSlot() {
    return ConfigSlot.of(STORAGE, settings -> validate(STORAGE, settings, this::validateStorage));
  }

  /** The {@code nexus} slot, validated by these rules. */
  public ConfigSlot nexusSlot() {
    return ConfigSlot.of(NEXUS, settings -> nexusRecords.canonical(nexusRecords.bind(settings)));
  }

  private static Map<String, Object> validate(
      String slot, Map<String, Object> settings, Fields fields) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> out = new TreeMap<>();
    fields.check(settings == null ? Map.of() : settings, out, errors);
    SlotFields.requireValid(slot, errors);
    return out;
  }

  /**
   * The field rules of one slot: canonical values go to {@code out}, problems to {@code errors}.
   */
  @FunctionalInterface
  private interface Fields {
    void check(Map<String, Object> in, Map<String, Object> out, List<FieldError> errors);
  }

  /** Reads stored storage settings (validated when written). */
  public static StorageSlotSettings storage(Map<String, Object> stored) {
    return new StorageSlotSettings(
        (String) stored.get("backend"),
        (String) stored.getOrDefault("bucket", ""),
        (String) stored.getOrDefault("prefix", ""),
        ((Number) stored.get("max_object_bytes")).longValue());
  }

  /** Reads stored nexus settings (validated when written). */
  @SuppressWarnings("unchecked")
  public static NexusSlotSettings nexus(Map<String, Object> stored) {
    return new NexusSlotSettings(
        ((Number) stored.get("max_atoms_per_derivation")).intValue(),
        ((Number) stored.get("max_atom_text_chars")).intValue(),
        ((Number) stored.get("max_atomize_bytes")).longValue(),
        stored.get("atomizers") == null
            ? null
            : List.copyOf((List<String>) stored.get("atomizers")));
  }

  private void validateStorage(
      Map<String, Object> in, Map<String, Object> out, List<FieldError> errors) {
    SlotFields.unknown(in, Set.of("backend", "bucket", "prefix", "max_object_bytes"), errors);
    String deployed = storage.backendName();
    Object backend = in.get("backend");
    if (backend == null) {
      errors.add(
          new FieldError("backend", "is required; this deployment offers [" + deployed + "]"));
    } else if (!deployed.equals(backend)) {
      errors.add(
          new FieldError("backend", "must be one this deployment offers: [" + deployed + "]"));
    } else {
      out.put("backend", deployed);
    }
    Object bucket = in.get("bucket");
    List<String> buckets = storage.buckets();
    if (buckets.isEmpty()) {
      if (bucket != null) {
        errors.add(
            new FieldError(
                "bucket", "must be absent: the " + deployed + " backend has no buckets"));
      }
    } else if (bucket == null) {
      errors.add(new FieldError("bucket", "is required; this deployment allows " + buckets));
    } else if (!(bucket instanceof String name) || !buckets.contains(name)) {
      errors.add(new FieldError("bucket", "must be one this deployment allows: " + buckets));
    } else {
      out.put("bucket", name);
    }
    Object prefix = in.get("prefix");
    if (prefix == null) {
      out.put("prefix", "");
    } else if (!(prefix instanceof String value)) {
      errors.add(new FieldError("prefix", "must be a string"));
    } else {
      try {
        if (new BucketPrefix(value).overlapsKeyLayout()) {
          // Else this tenant's keys could lie where another tenant's keys (and its reconcile) are.
          errors.add(
              new FieldError(
                  "prefix",
                  "must not contain the segment '"
                      + ObjectKey.ROOT
                      + "' in any case or encoding: object keys start with it"));
        } else {
          new BucketPrefix(BucketPrefix.join(storage.deploymentPrefix(), value));
          out.put("prefix", value);
        }
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("prefix", e.getMessage()));
      }
    }
    SlotFields.bounded(in, out, errors, "max_object_bytes", storage.maxObjectBytes());
  }
}
