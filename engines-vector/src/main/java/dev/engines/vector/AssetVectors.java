package dev.engines.vector;

import dev.engines.core.scope.Scope;
import dev.engines.nexus.AssetRemovals;
import java.util.Collection;

/**
 * When Nexus assets leave the reads (deleted by a caller, erased for a data subject, purged), the
 * vectors whose ref names one of them or one of their atoms go in the same transaction: a search
 * never returns a pointer to something deleted. Each leaves a tombstone naming the asset, so a
 * pointer to it reads as deleted or erased, as the asset was.
 */
final class AssetVectors implements AssetRemovals {

  private final VectorTombstones tombstones;

  AssetVectors(VectorTombstones tombstones) {
    this.tombstones = tombstones;
  }

  @Override
  public void removed(Scope scope, Collection<String> assetIds) {
    tombstones.removeWithAssets(scope, assetIds);
  }
}
