package dev.engines.core.gdpr;

import dev.engines.core.scope.Scope;
import java.util.Collection;
import java.util.Set;

/**
 * Which records an erasure removed, for modules that keep ids of other modules' records as pointers
 * (session memory): a pointer to an erased record answers {@code erased}, not merely gone.
 * Implemented by the module that keeps the erasure tombstones ({@code Gdpr}, engines-pii).
 */
@FunctionalInterface
public interface ErasedRecords {

  /**
   * Of {@code ids} of {@code recordType} (as in {@link ErasureHook#recordType()}), those an erasure
   * removed in {@code scope}'s tenant and env. Runs inside a transaction bound to {@code scope}.
   */
  Set<String> erased(Scope scope, String recordType, Collection<String> ids);
}
