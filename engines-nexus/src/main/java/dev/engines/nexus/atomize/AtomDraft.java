package dev.engines.nexus.atomize;

import dev.engines.core.ids.Ids;
import java.util.Objects;

/**
 * One atom as an atomizer produced it, before PII redaction and storage.
 *
 * @param ordinal 0-based position among the atoms of one atomize run; stable for the same bytes and
 *     derivation
 * @param text the atom text (empty for media slices)
 * @param span where the atom came from
 */
public record AtomDraft(long ordinal, String text, Span span) {

  /** Rejects a negative ordinal and missing text or span. */
  public AtomDraft {
    if (ordinal < 0) {
      throw new IllegalArgumentException("ordinal must be >= 0");
    }
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(span, "span");
  }

  /** Hex SHA-256 of {@link #text()} in UTF-8. */
  public String textSha256() {
    return Ids.sha256Hex(text);
  }
}
