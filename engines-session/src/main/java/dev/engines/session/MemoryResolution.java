package dev.engines.session;

import java.util.List;

/**
 * The pointers of a session's memory as its reader resolved them, under the reader's scope, in the
 * memory's order.
 */
public record MemoryResolution(
    List<ResolvedPointer> pinnedRefs, List<ResolvedPointer> summaryRefs) {

  public MemoryResolution {
    pinnedRefs = List.copyOf(pinnedRefs);
    summaryRefs = List.copyOf(summaryRefs);
  }
}
