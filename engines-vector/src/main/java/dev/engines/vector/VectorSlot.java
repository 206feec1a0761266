package dev.engines.vector;

import dev.engines.config.SlotBounds;
import dev.engines.config.SlotInteger;
import dev.engines.config.SlotRecords;
import dev.engines.config.SlotSubset;
import dev.engines.config.SlotType;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import jakarta.validation.constraints.NotNull;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code vector} config slot in force for one tenant/env: what its vector spaces may declare
 * and whether ingesting passes the strategy lock. Stored as {@code {max_dimension, metrics?,
 * models?, ingest_gated}}: {@code metrics} and {@code models} absent mean every metric and every
 * model the deployment has ({@code caller} and the built-in ones).
 *
 * @param maxDimension the largest dimension of a new space (at most the deployment's)
 * @param metrics the metrics new spaces may use
 * @param models the models new spaces may use: {@value #CALLER} and built-in model ids
 * @param ingestGated whether {@code vector:ingest} (upserts and the index route) needs an approved
 *     strategy lock listing it
 */
public record VectorSlot(
    int maxDimension, Set<Metric> metrics, Set<String> models, boolean ingestGated) {

  /** The slot's name. */
  public static final String SLOT = "vector";

  /** The model of a space whose embeddings come with each request. */
  public static final String CALLER = "caller";

  private static final Set<String> FIELDS =
      Set.of("max_dimension", "metrics", "models", "ingest_gated");

  public VectorSlot {
    metrics = Set.copyOf(metrics);
    models = Set.copyOf(models);
  }

  private static final String DIMENSION =
      "is required: an integer from 1 to the deployment cap {max}";
  private static final String GATED = "is required: true or false";

  /**
   * The slot's settings as written, with their constraints (Bean Validation through {@link
   * SlotRecords}): {@code max_dimension} up to the deployment's, {@code metrics} and {@code models}
   * (absent: all) subsets of what the deployment has, {@code ingest_gated} required.
   */
  public record Settings(
      @SlotInteger(bound = "max_dimension", required = DIMENSION, type = DIMENSION)
          Long maxDimension,
      @SlotSubset(of = "metrics") List<String> metrics,
      @SlotSubset(of = "models") List<String> models,
      @NotNull(message = GATED) @SlotType(GATED) Boolean ingestGated) {}

  /** The write rules of a deployment: build once, validate every write with them. */
  public static SlotRecords<Settings> records(int maxDimension, SortedSet<String> builtInModels) {
    SortedSet<String> models = new TreeSet<>(builtInModels);
    models.add(CALLER);
    return new SlotRecords<>(
        SLOT,
        Settings.class,
        new SlotBounds(
            Map.of("max_dimension", (long) maxDimension),
            Map.of(
                "metrics",
                Arrays.stream(Metric.values())
                    .map(Metric::wire)
                    .collect(Collectors.toCollection(TreeSet::new)),
                "models",
                models)));
  }

  /**
   * Validates a slot body against the deployment ({@code maxDimension}, the built-in {@code
   * models}) and puts its canonical form (sorted lists, longs) into {@code out}; answers every
   * invalid field.
   */
  public static List<FieldError> validate(
      Map<String, Object> in,
      Map<String, Object> out,
      int maxDimension,
      SortedSet<String> builtInModels) {
    return validate(in, out, records(maxDimension, builtInModels));
  }

  /** As {@link #validate(Map, Map, int, SortedSet)}, with rules built once by {@link #records}. */
  public static List<FieldError> validate(
      Map<String, Object> in, Map<String, Object> out, SlotRecords<Settings> records) {
    try {
      out.putAll(records.canonical(records.bind(in)));
      return List.of();
    } catch (InvalidFieldsException e) {
      return e.errors();
    }
  }

  /**
   * Reads stored settings (validated when written), bounded by today's deployment: a cap above
   * {@code maxDimension} is lowered to it, and models the deployment no longer has are left out.
   */
  @SuppressWarnings("unchecked")
  public static VectorSlot read(
      Map<String, Object> stored, int maxDimension, SortedSet<String> builtInModels) {
    Set<Metric> metrics =
        stored.get("metrics") == null
            ? EnumSet.allOf(Metric.class)
            : ((List<String>) stored.get("metrics"))
                .stream()
                    .map(m -> Metric.parse(m).orElseThrow())
                    .collect(() -> EnumSet.noneOf(Metric.class), Set::add, Set::addAll);
    Set<String> offered = new TreeSet<>(builtInModels);
    offered.add(CALLER);
    Set<String> models =
        stored.get("models") == null
            ? offered
            : ((List<String>) stored.get("models"))
                .stream().filter(offered::contains).collect(Collectors.toSet());
    return new VectorSlot(
        (int) Math.min(((Number) stored.get("max_dimension")).longValue(), maxDimension),
        metrics,
        models,
        (Boolean) stored.get("ingest_gated"));
  }
}
