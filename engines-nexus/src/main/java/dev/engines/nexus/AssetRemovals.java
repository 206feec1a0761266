package dev.engines.nexus;

import dev.engines.core.scope.Scope;
import java.util.Collection;

/**
 * Told which raw assets left the scope's reads, inside the transaction that deletes them (a
 * caller's delete, a GDPR erasure, a retention or tenant purge), so that records elsewhere that
 * point at them or at their atoms go in the same commit. Implemented by the modules that keep such
 * records (vectors whose ref names an atom or an asset).
 */
@FunctionalInterface
public interface AssetRemovals {

  /**
   * Removes whatever points at {@code assetIds} or at their atoms, inside the open read-write
   * transaction bound to {@code scope}.
   */
  void removed(Scope scope, Collection<String> assetIds);
}
