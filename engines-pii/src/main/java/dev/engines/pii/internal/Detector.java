package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import java.util.List;

/**
 * One deterministic detector. Implementations are stateless and thread-safe, run in time linear in
 * the text, and add every candidate they validate to {@code out}; overlaps are resolved later.
 */
interface Detector {

  void detect(String text, char[] chars, Deadline deadline, List<PiiSpan> out);
}
