package dev.engines.tenant;

import dev.engines.core.scope.Env;
import dev.engines.core.scope.Role;
import java.util.Set;

/**
 * An authenticated credential, before any tenant scope is applied. {@link ScopeResolver} turns it
 * into a {@link dev.engines.core.scope.Caller} for one tenant/env.
 */
public sealed interface Principal permits Principal.Operator, Principal.Key, Principal.Oidc {

  /** A short, secret-free description for logs. */
  String describe();

  /** The platform operator: manages the tenant registry, never reads tenant data. */
  record Operator() implements Principal {
    @Override
    public String describe() {
      return "operator";
    }
  }

  /**
   * An API key, as stored at the moment of the request (revocation and deactivation apply on the
   * very next request because nothing is cached).
   *
   * @param role the service key's role, or the personal key's user's current role
   */
  record Key(
      String tenantId,
      String keyId,
      String kind,
      String userId,
      Role role,
      Set<Env> envs,
      boolean actOnBehalf,
      boolean userActive,
      boolean tenantActive)
      implements Principal {
    @Override
    public String describe() {
      return kind + "-key " + keyId;
    }
  }

  /** A verified OIDC token from a trusted issuer; membership is looked up per tenant. */
  record Oidc(String issuer, String subject) implements Principal {
    @Override
    public String describe() {
      return "oidc";
    }
  }
}
