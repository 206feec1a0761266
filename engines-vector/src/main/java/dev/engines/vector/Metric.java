package dev.engines.vector;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The distance a vector space measures, as pgvector computes it. Search results carry these raw
 * distances, smallest first: cosine distance (1 − cosine similarity), Euclidean distance, and the
 * negative inner product (pgvector's {@code <#>}, so that smaller is nearer for every metric).
 */
public enum Metric {
  COSINE("<=>"),
  L2("<->"),
  INNER_PRODUCT("<#>");

  private final String operator;

  Metric(String operator) {
    this.operator = operator;
  }

  /**
   * The name on the wire and in the database: {@code cosine}, {@code l2}, {@code inner_product}.
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** pgvector's distance operator for this metric. */
  String operator() {
    return operator;
  }

  /** The metric named {@code wire}, if any. */
  public static Optional<Metric> parse(String wire) {
    return Arrays.stream(values()).filter(m -> m.wire().equals(wire)).findFirst();
  }
}
