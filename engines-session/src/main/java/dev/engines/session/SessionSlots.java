package dev.engines.session;

import dev.engines.core.scope.Scope;

/**
 * Where the session engine finds a tenant/env's {@code session} config slot, stored per tenant/env
 * and read fresh on every call. The application implements it over its config slots; nothing falls
 * back to a default: an env that never set the slot cannot use sessions.
 */
@FunctionalInterface
public interface SessionSlots {

  /**
   * The session slot of {@code scope}, within the deployment's bounds.
   *
   * @throws dev.engines.core.error.EnginesException 409 {@code config_missing} naming the {@code
   *     session} slot when it was never set
   */
  SessionSlot session(Scope scope);
}
