package dev.engines.session;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a session's blackboard: shared JSON state between the session's threads.
 *
 * @param key {@code ^[a-z0-9][a-z0-9_.:-]{0,127}$}
 * @param value any JSON value, strings redacted
 * @param sizeBytes the size of the value's JSON as written, before redaction
 * @param piiFlags what the redaction of its strings found
 * @param trainOk false when the redaction found PII or the session withdrew {@code train_ok}
 * @param version the entry's ETag; versions never repeat within a session, so a deleted and
 *     re-created entry never matches an old tag
 */
public record BlackboardEntry(
    String key,
    Object value,
    int sizeBytes,
    Map<String, Object> piiFlags,
    boolean trainOk,
    long version,
    Instant updatedAt,
    String updatedBy) {

  public BlackboardEntry {
    piiFlags = Map.copyOf(piiFlags);
  }
}
