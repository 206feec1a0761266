package dev.engines.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A session's memory: pointers and preferences, never content.
 *
 * @param pinnedRefs pointers the session keeps at hand
 * @param summaryRefs pointers to summaries made elsewhere
 * @param preferences a small flat map, strings redacted
 * @param piiFlags what the redaction of the preferences found
 * @param version 0 while the memory was never written, else its ETag
 * @param updatedAt null while never written
 * @param updatedBy null while never written
 * @param resolution the pointers resolved under the reader's scope, when the reader asked for it
 *     ({@code ?resolve=true}); else null
 */
public record SessionMemory(
    String sessionId,
    List<Pointer> pinnedRefs,
    List<Pointer> summaryRefs,
    Map<String, Object> preferences,
    Map<String, Object> piiFlags,
    int version,
    Instant updatedAt,
    String updatedBy,
    MemoryResolution resolution) {

  /** The memory of a session that never wrote one. */
  static SessionMemory empty(String sessionId) {
    return new SessionMemory(
        sessionId, List.of(), List.of(), Map.of(), Map.of(), 0, null, null, null);
  }

  /** This memory with {@code resolution}. */
  SessionMemory resolved(MemoryResolution resolution) {
    return new SessionMemory(
        sessionId,
        pinnedRefs,
        summaryRefs,
        preferences,
        piiFlags,
        version,
        updatedAt,
        updatedBy,
        resolution);
  }

  public SessionMemory {
    pinnedRefs = List.copyOf(pinnedRefs);
    summaryRefs = List.copyOf(summaryRefs);
    preferences = Map.copyOf(preferences);
    piiFlags = Map.copyOf(piiFlags);
  }
}
