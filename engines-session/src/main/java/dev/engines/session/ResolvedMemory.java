package dev.engines.session;

import java.util.List;
import java.util.Map;

/**
 * A session's memory with every pointer resolved under the reader's scope, in the memory's order.
 *
 * @param version the memory's version (0: never written)
 */
public record ResolvedMemory(String sessionId, int version, List<ResolvedPointer> pinnedRefs,
    List<ResolvedPointer> summaryRefs, Map<String, Object> preferences) {

  public ResolvedMemory {
    pinnedRefs = List.copyOf(pinnedRefs);
    summaryRefs = List.copyOf(summaryRefs);
    preferences = Map.copyOf(preferences);
  }
}
