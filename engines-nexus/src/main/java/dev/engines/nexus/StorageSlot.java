package dev.engines.nexus;

import dev.engines.storage.RawStore;
import java.util.Objects;

/**
 * The storage slot in force for one tenant/env, resolved to a store.
 *
 * @param location where new objects go
 * @param store the store for {@code location}; keys are still built from the request's scope
 * @param maxObjectBytes the largest raw object accepted by upload or presign in this tenant/env
 */
public record StorageSlot(StorageLocation location, RawStore store, long maxObjectBytes) {

  public StorageSlot {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(store, "store");
    if (maxObjectBytes < 1) {
      throw new IllegalArgumentException("maxObjectBytes must be positive");
    }
  }
}
