package dev.engines.session;

import java.time.Instant;
import java.util.Map;

/**
 * A session of one user in one tenant/env. It holds pointers and small redacted texts, never copies
 * of content that lives elsewhere.
 *
 * @param sessionId the caller's id, or {@code se_…} when the caller gave none
 * @param userId the owning user
 * @param title redacted by the PII pipeline; null when none was given
 * @param metadata a small flat map, strings redacted
 * @param piiFlags what the redaction of the title and metadata found
 * @param trainOk false when the caller withdrew it: the session's turns and blackboard entries are
 *     then {@code train_ok=false} too
 * @param ttlSeconds how long the session lives after its last write
 * @param expiresAt the last write plus {@code ttlSeconds}; from then on it answers 410
 * @param turnCount turns so far; the next turn's {@code seq} is this plus one
 * @param lastTurnId the id of the latest turn, or null
 * @param version bumped by every write to the session (turns, memory, blackboard included): the
 *     ETag
 */
public record Session(
    String sessionId,
    String userId,
    String title,
    Map<String, Object> metadata,
    Map<String, Object> piiFlags,
    boolean trainOk,
    int ttlSeconds,
    Instant expiresAt,
    int turnCount,
    String lastTurnId,
    int version,
    Instant createdAt,
    Instant updatedAt) {

  public Session {
    metadata = Map.copyOf(metadata);
    piiFlags = Map.copyOf(piiFlags);
  }
}
