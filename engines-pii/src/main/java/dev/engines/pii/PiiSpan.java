package dev.engines.pii;

import java.util.Objects;

/**
 * One detected entity: its type, the half-open range {@code [start, end)} of {@code char} offsets
 * into the analysed Java {@code String}, and a confidence score in {@code [0, 1]}. A span carries
 * no text, so logging one never leaks the value.
 */
public record PiiSpan(String type, int start, int end, double score) {

  public PiiSpan {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("span range must satisfy 0 <= start < end");
    }
    if (!(score >= 0.0 && score <= 1.0)) {
      throw new IllegalArgumentException("span score must be within [0, 1]");
    }
  }

  /** The number of chars covered. */
  public int length() {
    return end - start;
  }

  /** Whether the two spans share at least one char. */
  public boolean overlaps(PiiSpan other) {
    return start < other.end && other.start < end;
  }
}
