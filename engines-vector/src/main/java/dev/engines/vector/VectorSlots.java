package dev.engines.vector;

import dev.engines.core.scope.Caller;

/**
 * Where the vector engine finds a tenant/env's {@code vector} config slot, stored per tenant/env
 * and read fresh on every call. The module's auto-configuration implements it over the stored slots
 * (engines-config); nothing falls back to a default: an env that never set the slot cannot use
 * vector spaces.
 */
@FunctionalInterface
public interface VectorSlots {

  /**
   * The vector slot of {@code caller}'s tenant/env, bounded by the deployment's settings.
   *
   * @throws dev.engines.core.error.EnginesException 409 {@code config_missing} naming the {@code
   *     vector} slot when it was never set
   */
  VectorSlot vector(Caller caller);
}
