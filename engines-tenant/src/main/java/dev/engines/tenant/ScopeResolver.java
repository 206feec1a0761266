package dev.engines.tenant;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Caller.ActorType;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.Scope;
import java.util.Optional;

/**
 * Applies the scoping contract: given an authenticated principal, the requested tenant/env and an
 * optional {@code X-User-Id}, either returns the {@link Caller} or fails with 403. Membership and
 * role always come from the database, never from the credential's claims.
 */
public class ScopeResolver {

  private final ScopedTransactions tx;
  private final Members members;
  private final TenantDirectory tenants;

  public ScopeResolver(ScopedTransactions tx, Members members, TenantDirectory tenants) {
    this.tx = tx;
    this.members = members;
    this.tenants = tenants;
  }

  /** Resolves the caller for one request. */
  public Caller resolve(Principal principal, Scope scope, String onBehalfOf) {
    return switch (principal) {
      case Principal.Operator operator ->
          throw EnginesException.forbidden(
              ProblemCodes.FORBIDDEN_ROLE,
              "The operator credential manages tenants; it cannot act inside one.");
      case Principal.Key key -> resolveKey(key, scope, onBehalfOf);
      case Principal.Oidc oidc -> resolveOidc(oidc, scope, onBehalfOf);
    };
  }

  /**
   * Who a request refused by {@link #resolve} is recorded as in the tenant it named, so that a
   * refusal of a valid principal leaves its event there: when the principal belongs to that tenant
   * (a key of it, an OIDC identity mapped in it), whatever its status or env grants. Empty
   * otherwise, the operator included: nobody can write into a tenant's ledger by naming it, and an
   * event of a principal of another tenant (in either tenant) would copy ids it named across the
   * boundary.
   *
   * @return a caller in {@code scope} with the principal's role there
   */
  public Optional<Caller> established(Principal principal, Scope scope) {
    return switch (principal) {
      case Principal.Operator operator -> Optional.empty();
      case Principal.Key key when !key.tenantId().equals(scope.tenantId()) -> Optional.empty();
      case Principal.Key key ->
          Optional.of(
              ApiKey.PERSONAL.equals(key.kind())
                  ? new Caller(scope, ActorType.USER, key.userId(), key.keyId(), null, key.role())
                  : new Caller(
                      scope, ActorType.SERVICE, key.keyId(), key.keyId(), null, key.role()));
      case Principal.Oidc oidc ->
          tx.read(
                  lookup(scope),
                  () -> members.findByIdentity(scope.tenant(), oidc.issuer(), oidc.subject()))
              .map(
                  user ->
                      new Caller(scope, ActorType.USER, user.userId(), null, null, user.role()));
    };
  }

  private Caller resolveKey(Principal.Key key, Scope scope, String onBehalfOf) {
    if (!key.tenantId().equals(scope.tenantId())) {
      throw mismatch();
    }
    if (!key.tenantActive()) {
      throw suspended();
    }
    if (!key.userActive()) {
      throw deactivated();
    }
    if (key.envs() != null && !key.envs().contains(scope.env())) {
      throw EnginesException.forbidden(
          "env_forbidden", "This key is not granted the requested env.");
    }
    if (ApiKey.PERSONAL.equals(key.kind())) {
      if (onBehalfOf != null) {
        throw actOnBehalfForbidden();
      }
      return new Caller(scope, ActorType.USER, key.userId(), key.keyId(), null, key.role());
    }
    if (onBehalfOf == null) {
      return new Caller(scope, ActorType.SERVICE, key.keyId(), key.keyId(), null, key.role());
    }
    if (!key.actOnBehalf()) {
      throw actOnBehalfForbidden();
    }
    User user =
        tx.read(lookup(scope), () -> members.find(scope.tenant(), onBehalfOf))
            .filter(User::active)
            .orElseThrow(
                () ->
                    EnginesException.forbidden(
                        "on_behalf_user_invalid",
                        "X-User-Id must name an active member of this tenant."));
    return new Caller(
        scope,
        ActorType.SERVICE,
        key.keyId(),
        key.keyId(),
        user.userId(),
        Role.min(key.role(), user.role()));
  }

  private Caller resolveOidc(Principal.Oidc oidc, Scope scope, String onBehalfOf) {
    if (onBehalfOf != null) {
      throw actOnBehalfForbidden();
    }
    return tx.read(
        lookup(scope),
        () -> {
          Tenant tenant = tenants.findInScope(scope.tenant()).orElseThrow(ScopeResolver::mismatch);
          User user =
              members
                  .findByIdentity(scope.tenant(), oidc.issuer(), oidc.subject())
                  .orElseThrow(ScopeResolver::mismatch);
          if (!Tenant.ACTIVE.equals(tenant.status())) {
            throw suspended();
          }
          if (!user.active()) {
            throw deactivated();
          }
          return new Caller(scope, ActorType.USER, user.userId(), null, null, user.role());
        });
  }

  private static EnginesException mismatch() {
    return EnginesException.forbidden(
        ProblemCodes.TENANT_MISMATCH, "The credential is not a member of this tenant.");
  }

  private static EnginesException suspended() {
    return EnginesException.forbidden("tenant_suspended", "This tenant is suspended.");
  }

  private static EnginesException deactivated() {
    return EnginesException.forbidden("user_deactivated", "This user is deactivated.");
  }

  private static EnginesException actOnBehalfForbidden() {
    return EnginesException.forbidden(
        "act_on_behalf_forbidden",
        "Only a service key with the act-on-behalf grant may send X-User-Id.");
  }

  /**
   * The caller of the lookups that establish who is calling, before there is a caller: the platform
   * itself, reading in the requested tenant/env.
   */
  private static Caller lookup(Scope scope) {
    return Caller.system(scope, "scope.resolve");
  }
}
