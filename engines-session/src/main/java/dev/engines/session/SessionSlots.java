package dev.engines.session;

import dev.engines.core.scope.Caller;

/**
 * Where the session engine finds a tenant/env's {@code session} config slot, stored per tenant/env
 * and read fresh on every call. The module's auto-configuration implements it over the stored slots
 * (engines-config); nothing falls back to a default: an env that never set the slot cannot use
 * sessions.
 */
@FunctionalInterface
public interface SessionSlots {

  /**
   * The session slot of {@code caller}'s tenant/env, within the deployment's bounds.
   *
   * @throws dev.engines.core.error.EnginesException 409 {@code config_missing} naming the {@code
   *     session} slot when it was never set
   */
  SessionSlot session(Caller caller);
}
