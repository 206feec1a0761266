package dev.engines.api.envconfig;

import dev.engines.api.config.NexusSettings;
import dev.engines.api.config.StorageSettings;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.gates.GateSlots;
import dev.engines.session.SessionSettings;
import dev.engines.session.SessionSlot;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.ObjectKey;
import dev.engines.vector.VectorSettings;
import dev.engines.vector.VectorSlot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a tenant/env may put in its config slots, bounded by the deployment's configuration: the
 * {@code storage} slot may name only the deployment's backend and one of its buckets, a prefix that
 * obeys {@link BucketPrefix} rules (and still fits once the deployment's own prefix goes in front)
 * without the key layout's reserved segment ({@link BucketPrefix#overlapsKeyLayout}),
 * and a {@code max_object_bytes} up to the deployment cap; the {@code nexus} slot limits up to the
 * {@code engines.nexus} caps and, optionally, a subset of the deployment's atomizers; the {@code gates}
 * slot whether strategy locks need four eyes; the {@code session} slot TTLs and limits within {@code
 * engines.session} ({@link SessionSlot}); the {@code vector} slot follows the vector engine's rules
 * ({@link VectorSlot#validate}). Every field is required except {@code prefix} (absent means none)
 * and {@code atomizers}, {@code metrics} and {@code models} (absent means all); unknown fields are
 * refused, so a typo never silently leaves a default in force.
 */
public final class SlotRules {

  /** The gates slot: {@code four_eyes} (required boolean), whether a lock's author may approve it. */
  public static final String GATES = "gates";

  /** The slot names. */
  public static final Set<String> SLOTS = Set.of(StorageSlotSettings.SLOT, NexusSlotSettings.SLOT, GATES, SessionSlot.SLOT,
      VectorSlot.SLOT);

  private final StorageSettings storage;
  private final NexusSettings nexus;
  private final SessionSettings session;
  private final Set<String> atomizers;
  private final VectorSettings vector;
  private final SortedSet<String> models;

  /**
   * @param atomizers the op_types the deployment offers
   * @param models the built-in embedding models the deployment offers
   */
  public SlotRules(StorageSettings storage, NexusSettings nexus, SessionSettings session, Set<String> atomizers,
      VectorSettings vector, SortedSet<String> models) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.nexus = Objects.requireNonNull(nexus, "nexus");
    this.session = Objects.requireNonNull(session, "session");
    this.atomizers = Set.copyOf(atomizers);
    this.vector = Objects.requireNonNull(vector, "vector");
    this.models = new TreeSet<>(models);
  }

  /**
   * The storage slot's settings.
   *
   * @param bucket {@code ""} on the filesystem backend
   * @param prefix {@code ""} for none
   */
  public record StorageSlotSettings(String backend, String bucket, String prefix, long maxObjectBytes) {
    static final String SLOT = "storage";
  }

  /**
   * The nexus slot's settings.
   *
   * @param atomizers null for every atomizer of the deployment
   */
  public record NexusSlotSettings(int maxAtomsPerDerivation, int maxAtomTextChars, long maxAtomizeBytes,
      List<String> atomizers) {
    static final String SLOT = "nexus";
  }

  /**
   * Validates {@code settings} for {@code slot} and answers their canonical form (sorted keys,
   * normalised values) to store.
   *
   * @throws InvalidFieldsException naming every invalid field
   */
  public Map<String, Object> validate(String slot, Map<String, Object> settings) {
    if (slot.equals(SessionSlot.SLOT)) {
      return SessionSlot.validate(settings, session);
    }
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> in = settings == null ? Map.of() : settings;
    Map<String, Object> out = new TreeMap<>();
    switch (slot) {
      case StorageSlotSettings.SLOT -> validateStorage(in, out, errors);
      case NexusSlotSettings.SLOT -> validateNexus(in, out, errors);
      case GATES -> validateGates(in, out, errors);
      case VectorSlot.SLOT -> errors.addAll(VectorSlot.validate(in, out, vector.maxDimension(), models));
      default -> throw new IllegalArgumentException("unknown slot " + slot);
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The " + slot + " settings are invalid.", errors);
    }
    return out;
  }

  /** Reads stored vector settings (validated when written), bounded by today's deployment. */
  public VectorSlot vector(Map<String, Object> stored) {
    return VectorSlot.read(stored, vector.maxDimension(), models);
  }

  /** Reads stored storage settings (validated when written). */
  public static StorageSlotSettings storage(Map<String, Object> stored) {
    return new StorageSlotSettings((String) stored.get("backend"), (String) stored.getOrDefault("bucket", ""),
        (String) stored.getOrDefault("prefix", ""), ((Number) stored.get("max_object_bytes")).longValue());
  }

  /** Reads stored nexus settings (validated when written). */
  @SuppressWarnings("unchecked")
  public static NexusSlotSettings nexus(Map<String, Object> stored) {
    return new NexusSlotSettings(((Number) stored.get("max_atoms_per_derivation")).intValue(),
        ((Number) stored.get("max_atom_text_chars")).intValue(), ((Number) stored.get("max_atomize_bytes")).longValue(),
        stored.get("atomizers") == null ? null : List.copyOf((List<String>) stored.get("atomizers")));
  }

  /** Reads stored gates settings (validated when written). */
  public static GateSlots.GatesSlot gates(Map<String, Object> stored) {
    return new GateSlots.GatesSlot((Boolean) stored.get("four_eyes"));
  }

  private void validateStorage(Map<String, Object> in, Map<String, Object> out, List<FieldError> errors) {
    unknown(in, Set.of("backend", "bucket", "prefix", "max_object_bytes"), errors);
    String deployed = storage.backend().name().toLowerCase(Locale.ROOT);
    Object backend = in.get("backend");
    if (backend == null) {
      errors.add(new FieldError("backend", "is required; this deployment offers [" + deployed + "]"));
    } else if (!deployed.equals(backend)) {
      errors.add(new FieldError("backend", "must be one this deployment offers: [" + deployed + "]"));
    } else {
      out.put("backend", deployed);
    }
    Object bucket = in.get("bucket");
    List<String> buckets = storage.buckets();
    if (buckets.isEmpty()) {
      if (bucket != null) {
        errors.add(new FieldError("bucket", "must be absent: the " + deployed + " backend has no buckets"));
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
          errors.add(new FieldError("prefix", "must not contain the segment '" + ObjectKey.ROOT
              + "' in any case or encoding: object keys start with it"));
        } else {
          new BucketPrefix(join(storage.deploymentPrefix(), value));
          out.put("prefix", value);
        }
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("prefix", e.getMessage()));
      }
    }
    bounded(in, out, errors, "max_object_bytes", storage.maxObjectBytes());
  }

  private void validateNexus(Map<String, Object> in, Map<String, Object> out, List<FieldError> errors) {
    unknown(in, Set.of("max_atoms_per_derivation", "max_atom_text_chars", "max_atomize_bytes", "atomizers"), errors);
    bounded(in, out, errors, "max_atoms_per_derivation", nexus.maxAtomsPerDerivation());
    bounded(in, out, errors, "max_atom_text_chars", nexus.maxAtomTextChars());
    bounded(in, out, errors, "max_atomize_bytes", nexus.maxAtomizeBytes());
    Object list = in.get("atomizers");
    if (list == null) {
      return;
    }
    if (!(list instanceof List<?> items) || items.isEmpty()) {
      errors.add(new FieldError("atomizers", "must be a non-empty list of op_types (leave it out for all of them)"));
      return;
    }
    Set<String> chosen = new LinkedHashSet<>();
    boolean valid = true;
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (!(item instanceof String opType) || !atomizers.contains(opType)) {
        errors.add(new FieldError("atomizers[" + i + "]", "must be an op_type of GET /v1/atomizers"));
        valid = false;
      } else if (!chosen.add(opType)) {
        errors.add(new FieldError("atomizers[" + i + "]", "is listed twice"));
        valid = false;
      }
    }
    if (valid) {
      out.put("atomizers", chosen.stream().sorted().toList());
    }
  }

  private static void validateGates(Map<String, Object> in, Map<String, Object> out, List<FieldError> errors) {
    unknown(in, Set.of("four_eyes"), errors);
    if (in.get("four_eyes") instanceof Boolean fourEyes) {
      out.put("four_eyes", fourEyes);
    } else {
      errors.add(new FieldError("four_eyes", "is required: true or false"));
    }
  }

  /** An integer field in 1..cap. */
  private static void bounded(Map<String, Object> in, Map<String, Object> out, List<FieldError> errors, String field, long cap) {
    Object value = in.get(field);
    if (value == null) {
      errors.add(new FieldError(field, "is required (1 to " + cap + ")"));
      return;
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger || value instanceof Short)) {
      errors.add(new FieldError(field, "must be an integer (1 to " + cap + ")"));
      return;
    }
    BigInteger number = value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
    if (number.signum() < 1 || number.compareTo(BigInteger.valueOf(cap)) > 0) {
      errors.add(new FieldError(field, "must be between 1 and the deployment cap " + cap));
      return;
    }
    out.put(field, number.longValue());
  }

  private static void unknown(Map<String, Object> in, Set<String> known, List<FieldError> errors) {
    in.keySet().stream().filter(k -> !known.contains(k)).sorted()
        .forEach(k -> errors.add(new FieldError(k, "is not a field of this slot; fields are " + new TreeSet<>(known))));
  }

  /** {@code outer/inner}, leaving out empty parts. */
  public static String join(String outer, String inner) {
    if (outer.isEmpty()) {
      return inner;
    }
    return inner.isEmpty() ? outer : outer + "/" + inner;
  }
}
