package dev.engines.core.scope;

import java.util.Locale;
import java.util.Objects;

/**
 * Who is calling, resolved once per request after authentication and scope checks. Services take it
 * as a parameter instead of reading ambient state.
 *
 * @param scope the tenant/env the request works in
 * @param actorType a human user, a service key, or the platform operator
 * @param actorId the user id (humans and personal keys) or key id (service keys)
 * @param keyId the API key used, or null for a JWT
 * @param onBehalfOf the user a service acts for ({@code X-User-Id}), or null
 * @param role the effective role; for a service acting on behalf of a user, the lower of both
 * @param context the trace and request ids of the work ({@link CallContext}); null only while the
 *     web layer has resolved the caller but not yet attached its request's context
 */
public record Caller(
    Scope scope,
    ActorType actorType,
    String actorId,
    String keyId,
    String onBehalfOf,
    Role role,
    CallContext context) {

  public Caller {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(actorType, "actorType");
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(role, "role");
  }

  /** A caller whose context the web layer attaches with {@link #in}. */
  public Caller(
      Scope scope,
      ActorType actorType,
      String actorId,
      String keyId,
      String onBehalfOf,
      Role role) {
    this(scope, actorType, actorId, keyId, onBehalfOf, role, null);
  }

  /**
   * The platform itself doing work outside any request in a tenant/env (the retention purge, a
   * sweep), under a fresh context that names the job. It is never an HTTP caller: no route resolves
   * to it.
   *
   * @param job the job's name, recorded as the actor id of its events and audit entries
   */
  public static Caller system(TenantId tenant, Env env, String job) {
    return new Caller(
        new Scope(tenant, env),
        ActorType.SYSTEM,
        job,
        null,
        null,
        Role.OWNER,
        CallContext.system(job));
  }

  /** {@link #system(TenantId, Env, String)} in {@code scope}. */
  public static Caller system(Scope scope, String job) {
    return system(scope.tenant(), scope.env(), job);
  }

  /**
   * This caller, in the same context, working in another env of its tenant: for work that spans the
   * tenant's envs (a tenant purge), each env bound on its own.
   */
  public Caller inEnv(Env env) {
    return new Caller(
        new Scope(scope.tenant(), Objects.requireNonNull(env, "env")),
        actorType,
        actorId,
        keyId,
        onBehalfOf,
        role,
        context);
  }

  /** This caller within {@code context}. */
  public Caller in(CallContext context) {
    return new Caller(
        scope,
        actorType,
        actorId,
        keyId,
        onBehalfOf,
        role,
        Objects.requireNonNull(context, "context"));
  }

  /**
   * The user whose user-scoped data (sessions, memory) this request may touch, or null for a bare
   * service.
   */
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
    OPERATOR,
    /** The platform's own jobs ({@link Caller#system}). */
    SYSTEM;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
