package dev.engines.nexus;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Caller;
import dev.engines.storage.RawStore;
import java.util.Map;

/**
 * Where the Nexus services find a tenant/env's configuration: the {@code storage} and {@code nexus}
 * slots, stored per tenant/env and read fresh on every call, and the stores behind recorded
 * locations. Nothing here falls back to a deployment-wide default: an env that never configured a
 * slot cannot use the services that need it. The module's implementation combines the slots stored
 * in engines-config with the deployment's bounds and the stores engines-storage builds, so the
 * services see neither Spring configuration nor a cloud SDK.
 */
public interface NexusSlots {

  /**
   * The storage slot of {@code scope}.
   *
   * @throws EnginesException 409 {@code config_missing} naming the {@code storage} slot when unset
   */
  StorageSlot storage(Caller caller);

  /**
   * The nexus slot of {@code scope}.
   *
   * @throws EnginesException 409 {@code config_missing} naming the {@code nexus} slot when unset
   */
  NexusSlot nexus(Caller caller);

  /**
   * The nexus slot of {@code caller}'s tenant/env from settings already read in the caller's
   * statement (null when the slot is unset). By default they are read again.
   *
   * @throws EnginesException 409 {@code config_missing} naming the {@code nexus} slot when unset
   */
  default NexusSlot nexus(Caller caller, Map<String, Object> settings) {
    return nexus(caller);
  }

  /**
   * The store of a location an asset was written to. Stores are shared by every scope with the same
   * location; they hold no tenant state (keys come from the scope on each call).
   *
   * @throws EnginesException 500 {@code storage_misconfigured} when the deployment no longer offers
   *     the location's backend or bucket
   */
  RawStore store(StorageLocation location);
}
