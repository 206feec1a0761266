package dev.engines.session;

import java.time.Instant;
import java.util.Map;

/**
 * One message of a session, stored redacted.
 *
 * @param turnId keyed and content-addressed ({@link TurnIds})
 * @param seq its position: 1, 2, … in the session
 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param content the text after PII redaction
 * @param contentSha256 the SHA-256 of the stored (redacted) content
 * @param metadata a small flat map, strings redacted
 * @param piiFlags what the redaction found
 * @param trainOk false when the redaction found PII or the session withdrew {@code train_ok}
 * @param createdBy the actor id that appended it
 */
public record Turn(
    String turnId,
    String sessionId,
    int seq,
    String role,
    String content,
    String contentSha256,
    Map<String, Object> metadata,
    Map<String, Object> piiFlags,
    boolean trainOk,
    Instant createdAt,
    String createdBy) {

  public Turn {
    metadata = Map.copyOf(metadata);
    piiFlags = Map.copyOf(piiFlags);
  }
}
