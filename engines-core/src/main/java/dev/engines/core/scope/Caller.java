package dev.engines.core.scope;

import java.util.Objects;
import java.util.Locale;

/**
 * Who is calling, resolved once per request after authentication and scope checks. Services take
 * it as a parameter instead of reading ambient state.
 *
 * @param scope the tenant/env the request works in
 * @param actorType a human user, a service key, or the platform operator
 * @param actorId the user id (humans and personal keys) or key id (service keys)
 * @param keyId the API key used, or null for a JWT
 * @param onBehalfOf the user a service acts for ({@code X-User-Id}), or null
 * @param role the effective role; for a service acting on behalf of a user, the lower of both
 */
public record Caller(Scope scope, ActorType actorType, String actorId, String keyId, String onBehalfOf, Role role) {

  public Caller {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(actorType, "actorType");
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(role, "role");
  }

  /** The user whose user-scoped data (sessions, memory) this request may touch, or null for a bare service. */
  public String effectiveUserId() {
    if (onBehalfOf != null) {
      return onBehalfOf;
    }
    return actorType == ActorType.USER ? actorId : null;
  }

  /** The kinds of actor. */
  public enum ActorType {
    USER,
    SERVICE,
    OPERATOR;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
