package dev.engines.nexus;

import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.scope.Scope;
import dev.engines.storage.RawStore;

/**
 * Where the Nexus services find a tenant/env's configuration: the {@code storage} and {@code nexus}
 * slots, stored per tenant/env and read fresh on every call, and the stores behind recorded
 * locations. Nothing here falls back to a deployment-wide default: an env that never configured a
 * slot cannot use the services that need it. The implementation lives in the application (it
 * combines the stored slots with the deployment's bounds and adapters); this module stays free of
 * Spring and cloud SDKs.
 */
public interface NexusSlots {

  /**
   * The storage slot of {@code scope}.
   *
   * @throws EnginesException 409 {@code config_missing} naming the {@code storage} slot when unset
   */
  StorageSlot storage(Scope scope);

  /**
   * The nexus slot of {@code scope}.
   *
   * @throws EnginesException 409 {@code config_missing} naming the {@code nexus} slot when unset
   */
  NexusSlot nexus(Scope scope);

  /**
   * The store of a location an asset was written to. Stores are shared by every scope with the same
   * location; they hold no tenant state (keys come from the scope on each call).
   *
   * @throws EnginesException 500 {@code storage_misconfigured} when the deployment no longer offers
   *     the location's backend or bucket
   */
  RawStore store(StorageLocation location);

  /** The problem for a slot that is not configured in {@code scope}. */
  static EnginesException missing(String slot, Scope scope) {
    return EnginesException.conflict(ProblemCodes.CONFIG_MISSING, "The " + slot + " config slot is not set for env " + scope.env().wire()
        + " of this tenant; an admin sets it with PUT /v1/config/" + slot + ".");
  }
}
