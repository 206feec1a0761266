package dev.engines.gates;

import dev.engines.core.scope.Caller;

/**
 * Where the gates engine finds a tenant/env's {@code gates} config slot, stored per tenant/env and
 * read fresh on every call. The module's auto-configuration implements it over the stored slots
 * (engines-config); nothing falls back to a default: an env that never set the slot cannot use what
 * needs it.
 */
@FunctionalInterface
public interface GateSlots {

  /**
   * The gates slot of {@code caller}'s tenant/env.
   *
   * @throws dev.engines.core.error.EnginesException 409 {@code config_missing} naming the {@code
   *     gates} slot when it was never set
   */
  GatesSlot gates(Caller caller);

  /**
   * The settings of the gates slot.
   *
   * @param fourEyes whether a strategy lock must be approved by someone other than its author
   */
  record GatesSlot(boolean fourEyes) {}
}
