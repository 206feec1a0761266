package dev.engines.pii;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a redaction found, to travel with the record as {@code pii_flags}: the number of spans per
 * entity type (sorted by type, so serialisations are stable) and the version of the policy applied.
 *
 * @param counts spans per entity type; types without spans are absent
 * @param policyVersion the {@link RedactionPolicy#version()} applied
 */
public record PiiFlags(SortedMap<String, Integer> counts, int policyVersion) {

  public PiiFlags {
    counts =
        Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(counts, "counts")));
  }

  /**
   * Whether the record may be used for training ({@code train_ok}): only when nothing was found.
   * Any finding rules it out whatever the operator, because pseudonyms and tokens still single out
   * a person across records, and a masked value still keeps part of it.
   */
  public boolean trainOk() {
    return counts.isEmpty();
  }
}
