package dev.engines.vector;

import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code vector} config slot in force for one tenant/env: what its vector spaces may declare and
 * whether ingesting passes the strategy lock. Stored as {@code {max_dimension, metrics?, models?,
 * ingest_gated}}: {@code metrics} and {@code models} absent mean every metric and every model the
 * deployment has ({@code caller} and the built-in ones).
 *
 * @param maxDimension the largest dimension of a new space (at most the deployment's)
 * @param metrics the metrics new spaces may use
 * @param models the models new spaces may use: {@value #CALLER} and built-in model ids
 * @param ingestGated whether {@code vector:ingest} (upserts and the index route) needs an approved
 *     strategy lock listing it
 */
public record VectorSlot(int maxDimension, Set<Metric> metrics, Set<String> models, boolean ingestGated) {

  /** The slot's name. */
  public static final String SLOT = "vector";

  /** The model of a space whose embeddings come with each request. */
  public static final String CALLER = "caller";

  private static final Set<String> FIELDS = Set.of("max_dimension", "metrics", "models", "ingest_gated");

  public VectorSlot {
    metrics = Set.copyOf(metrics);
    models = Set.copyOf(models);
  }

  /**
   * Validates a slot body against the deployment ({@code maxDimension}, the built-in {@code models})
   * and puts its canonical form (sorted lists, longs) into {@code out}; answers every invalid field.
   */
  public static List<FieldError> validate(Map<String, Object> in, Map<String, Object> out, int maxDimension,
      SortedSet<String> builtInModels) {
    List<FieldError> errors = new ArrayList<>();
    in.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted()
        .forEach(k -> errors.add(new FieldError(k, "is not a field of this slot; fields are " + new TreeSet<>(FIELDS))));
    Object dimension = in.get("max_dimension");
    if (!(dimension instanceof Integer || dimension instanceof Long || dimension instanceof BigInteger)) {
      errors.add(new FieldError("max_dimension", "is required: an integer from 1 to the deployment cap " + maxDimension));
    } else {
      BigInteger value = dimension instanceof BigInteger big ? big : BigInteger.valueOf(((Number) dimension).longValue());
      if (value.signum() < 1 || value.compareTo(BigInteger.valueOf(maxDimension)) > 0) {
        errors.add(new FieldError("max_dimension", "must be between 1 and the deployment cap " + maxDimension));
      } else {
        out.put("max_dimension", value.longValue());
      }
    }
    List<String> metricNames = Arrays.stream(Metric.values()).map(Metric::wire).toList();
    subset(in, out, errors, "metrics", new TreeSet<>(metricNames));
    SortedSet<String> models = new TreeSet<>(builtInModels);
    models.add(CALLER);
    subset(in, out, errors, "models", models);
    if (in.get("ingest_gated") instanceof Boolean gated) {
      out.put("ingest_gated", gated);
    } else {
      errors.add(new FieldError("ingest_gated", "is required: true or false"));
    }
    return errors;
  }

  /**
   * Reads stored settings (validated when written), bounded by today's deployment: a cap above
   * {@code maxDimension} is lowered to it, and models the deployment no longer has are left out.
   */
  @SuppressWarnings("unchecked")
  public static VectorSlot read(Map<String, Object> stored, int maxDimension, SortedSet<String> builtInModels) {
    Set<Metric> metrics = stored.get("metrics") == null
        ? EnumSet.allOf(Metric.class)
        : ((List<String>) stored.get("metrics")).stream().map(m -> Metric.parse(m).orElseThrow())
            .collect(() -> EnumSet.noneOf(Metric.class), Set::add, Set::addAll);
    Set<String> offered = new TreeSet<>(builtInModels);
    offered.add(CALLER);
    Set<String> models = stored.get("models") == null
        ? offered
        : ((List<String>) stored.get("models")).stream().filter(offered::contains).collect(Collectors.toSet());
    return new VectorSlot((int) Math.min(((Number) stored.get("max_dimension")).longValue(), maxDimension), metrics, models,
        (Boolean) stored.get("ingest_gated"));
  }

  private static void subset(Map<String, Object> in, Map<String, Object> out, List<FieldError> errors, String field,
      SortedSet<String> allowed) {
    Object list = in.get(field);
    if (list == null) {
      return;
    }
    if (!(list instanceof List<?> items) || items.isEmpty()) {
      errors.add(new FieldError(field, "must be a non-empty list of " + allowed + " (leave it out for all of them)"));
      return;
    }
    Set<String> chosen = new LinkedHashSet<>();
    boolean valid = true;
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof String name) || !allowed.contains(name)) {
        errors.add(new FieldError(field + "[" + i + "]", "must be one of " + allowed));
        valid = false;
      } else if (!chosen.add(name)) {
        errors.add(new FieldError(field + "[" + i + "]", "is listed twice"));
        valid = false;
      }
    }
    if (valid) {
      out.put(field, chosen.stream().sorted().toList());
    }
  }
}
