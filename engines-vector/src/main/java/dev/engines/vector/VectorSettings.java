package dev.engines.vector;

import dev.engines.core.config.RequiredSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.vector} deployment settings: the outer bounds every tenant/env's {@code
 * vector} slot chooses within, and how searches use the HNSW indexes. Required.
 *
 * @param maxDimension the largest dimension a vector space may declare (a tenant/env's slot may
 *     lower it); spaces of a dimension without an HNSW index are searched exactly
 * @param maxTopK the largest {@code k} a search may ask for
 * @param search index tuning (optional; {@link Search#DEFAULTS})
 * @param tombstoneRetention how long a removed vector or space is remembered, so that a pointer to
 *     it reads as deleted or erased (optional, 30 days; 1 hour to 3,650 days); after that it reads
 *     as not found
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.vector")
public record VectorSettings(
    @Positive @Max(4096) int maxDimension,
    @Positive @Max(100) int maxTopK,
    @Valid Search search,
    Duration tombstoneRetention) {

  public VectorSettings {
    search = search == null ? Search.DEFAULTS : search;
    tombstoneRetention = tombstoneRetention == null ? Duration.ofDays(30) : tombstoneRetention;
  }

  @AssertTrue(message = "tombstone-retention must be between 1 hour and 3650 days")
  public boolean isTombstoneRetentionValid() {
    return tombstoneRetention.compareTo(Duration.ofHours(1)) >= 0
        && tombstoneRetention.compareTo(Duration.ofDays(3650)) <= 0;
  }

  /**
   * How a search uses the indexes.
   *
   * @param efSearch {@code hnsw.ef_search}: the candidate list an approximate search keeps; higher
   *     means better recall and slower searches (recall@10 0.98–0.99 at 200 and 0.99 at 250 on the
   *     benchmark data, depending on the index build, docs/benchmarks.md); from about 500 on, the
   *     planner may prefer an exact scan of a large space, which is slower still
   * @param maxScanTuples {@code hnsw.max_scan_tuples}: how many index tuples an iterative scan
   *     visits at most before it gives up (the search then falls back to an exact one)
   * @param exactBelow a space, or the vectors of a space matching a filter, with at most this many
   *     vectors is searched exactly (every candidate's distance): as fast as the index there, and
   *     never approximate
   */
  public record Search(
      @Min(10) @Max(1000) int efSearch,
      @Min(1000) @Max(1_000_000) int maxScanTuples,
      @Min(0) @Max(100_000) int exactBelow) {

    /** Measured on the benchmark data (docs/benchmarks.md). */
    public static final Search DEFAULTS = new Search(250, 20_000, 5_000);
  }
}
