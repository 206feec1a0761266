package dev.engines.pii;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link PiiEngine#redact}: the redacted text, the spans found (offsets into the
 * original text, sorted by start) and the flags to store with the record.
 *
 * @param text the redacted text
 * @param spans the spans found in the original text
 * @param flags counts per type and the policy version
 */
public record Redaction(String text, List<PiiSpan> spans, PiiFlags flags) {

  public Redaction {
    Objects.requireNonNull(text, "text");
    spans = List.copyOf(spans);
    Objects.requireNonNull(flags, "flags");
  }
}
