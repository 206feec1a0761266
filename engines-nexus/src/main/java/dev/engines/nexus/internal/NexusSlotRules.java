package dev.engines.nexus.internal;

import dev.engines.config.ConfigSlot;
import dev.engines.config.SlotBounds;
import dev.engines.config.SlotChoice;
import dev.engines.config.SlotInteger;
import dev.engines.config.SlotRecords;
import dev.engines.config.SlotSubset;
import dev.engines.nexus.NexusSettings;
import dev.engines.storage.StorageSettings;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

  private final SlotRecords<StorageSlotWrite> storageRecords;
  private final SlotRecords<NexusSlotWrite> nexusRecords;

  /**
   * @param atomizers the op_types the deployment offers
   */
  public NexusSlotRules(StorageSettings storage, NexusSettings nexus, Set<String> atomizers) {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(nexus, "nexus");
    this.storageRecords =
        new SlotRecords<>(
            STORAGE,
            StorageSlotWrite.class,
            new SlotBounds(
                Map.of("max_object_bytes", storage.maxObjectBytes()),
                Map.of(
                    "backends",
                    new TreeSet<>(Set.of(storage.backendName())),
                    "buckets",
                    new TreeSet<>(storage.buckets())),
                Map.of(StoragePrefix.DEPLOYMENT_PREFIX, storage.deploymentPrefix())));
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
   * The storage slot's settings as written, with their constraints (Bean Validation through {@link
   * SlotRecords}): the deployment's backend, one of its buckets (none on a backend without
   * buckets), a prefix by {@link StoragePrefix}'s rules (absent: none) and {@code max_object_bytes}
   * up to the deployment cap.
   */
  public record StorageSlotWrite(
      @SlotChoice(
              of = "backends",
              required = "is required; this deployment offers {choices}",
              item = "must be one this deployment offers: {choices}")
          String backend,
      @SlotChoice(
              of = "buckets",
              required = "is required; this deployment allows {choices}",
              item = "must be one this deployment allows: {choices}",
              absent = "must be absent: this deployment's backend has no buckets")
          String bucket,
      @StoragePrefix String prefix,
      @SlotInteger(bound = "max_object_bytes") Long maxObjectBytes) {

    /** No prefix is stored as {@code ""}. */
    public StorageSlotWrite {
      prefix = prefix == null ? "" : prefix;
    }
  }

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
    return ConfigSlot.of(
        STORAGE, settings -> storageRecords.canonical(storageRecords.bind(settings)));
  }

  /** The {@code nexus} slot, validated by these rules. */
  public ConfigSlot nexusSlot() {
    return ConfigSlot.of(NEXUS, settings -> nexusRecords.canonical(nexusRecords.bind(settings)));
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
}
