package dev.engines.api.web;

import dev.engines.api.logging.LogFields;
import dev.engines.core.config.EnvSettings;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.RouteAction;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.ledger.PendingEvent;
import dev.engines.ledger.RefType;
import dev.engines.ledger.RequestLedger;
import dev.engines.tenant.Principal;
import dev.engines.tenant.ScopeResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Runs once the route is known, after authentication: tenant scope from the headers, then the
 * route's {@link RoutePolicy}. Order: 401 (no principal) → 400 (missing/malformed headers) → 403
 * (membership, env grant, act-on-behalf, role). The resolved {@link Caller} is set once per
 * request.
 */
final class AccessInterceptor implements HandlerInterceptor {

  private static final Pattern USER_ID = Pattern.compile("^u_[a-z2-7]{26}$");

  private static final Pattern AGENT_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

  private final ScopeResolver scopes;
  private final EnvSettings envs;
  private final RequestLedger ledger;

  AccessInterceptor(ScopeResolver scopes, EnvSettings envs, RequestLedger ledger) {
    this.scopes = scopes;
    this.envs = envs;
    this.ledger = ledger;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    RoutePolicy policy = RoutePolicies.of(method);
    if (policy == null && RoutePolicies.infrastructure(method)) {
      return true;
    }
    if (policy == null) {
      // Fail closed: a route that forgot its policy is unreachable, and the inventory test fails.
      throw EnginesException.forbidden(
          ProblemCodes.FORBIDDEN_ROLE, "This route declares no access policy.");
    }
    if (policy.audience() == RoutePolicy.Audience.PUBLIC) {
      return true;
    }
    Principal principal = (Principal) request.getAttribute(RequestHeaders.PRINCIPAL_ATTRIBUTE);
    if (principal == null) {
      throw EnginesException.unauthorized(
          ProblemCodes.UNAUTHENTICATED,
          "Send Authorization: Bearer <API key or JWT>, or X-Api-Key.");
    }
    if (policy.audience() == RoutePolicy.Audience.OPERATOR) {
      if (!(principal instanceof Principal.Operator)) {
        throw EnginesException.forbidden(
            ProblemCodes.FORBIDDEN_ROLE, "This route needs the operator credential.");
      }
      return true;
    }
    Scope scope = scope(request);
    String onBehalfOf = request.getHeader(RequestHeaders.USER);
    String agentId = request.getHeader(RequestHeaders.AGENT);
    boolean agentValid = agentId == null || AGENT_ID.matcher(agentId).matches();
    Caller caller;
    try {
      if (onBehalfOf != null && !USER_ID.matcher(onBehalfOf).matches()) {
        throw EnginesException.badRequest("user_invalid", "X-User-Id must be a user id (u_…).");
      }
      // The services find the request's trace and request ids in the caller, never in the logging
      // context.
      caller = scopes.resolve(principal, scope, onBehalfOf).in(TraceFilter.context(request));
    } catch (EnginesException refused) {
      if (refused.status() < 500) {
        refusal(request, principal, scope, policy, agentValid ? agentId : null, onBehalfOf);
      }
      throw refused;
    }
    // From here on the request has a trustworthy tenant/env: it gets a DatasetEvent, failures
    // included.
    begin(request, caller, policy, agentValid ? agentId : null);
    if (!agentValid) {
      throw EnginesException.badRequest(
          "agent_invalid", "X-Agent-Id must match ^[A-Za-z0-9._:-]{1,128}$.");
    }
    if (!caller.role().atLeast(policy.role())) {
      throw EnginesException.forbidden(
          ProblemCodes.FORBIDDEN_ROLE, "This route needs the " + policy.role().wire() + " role.");
    }
    request.setAttribute(RequestHeaders.CALLER_ATTRIBUTE, caller);
    return true;
  }

  /** Starts the request's event as {@code caller} and puts the caller into the logging context. */
  private void begin(
      HttpServletRequest request, Caller caller, RoutePolicy policy, String agentId) {
    MDC.put(LogFields.TENANT_ID, caller.scope().tenantId());
    MDC.put(LogFields.ENV, caller.scope().env().wire());
    MDC.put(LogFields.ACTOR, caller.actorId());
    if (caller.onBehalfOf() != null) {
      MDC.put(LogFields.ON_BEHALF_OF, caller.onBehalfOf());
    }
    // The env is a bounded metric dimension (RequestObservationConvention); the tenant never is.
    request.setAttribute(RequestHeaders.ENV_ATTRIBUTE, caller.scope().env().wire());
    @SuppressWarnings("unchecked")
    Map<String, String> pathVariables =
        (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    PendingEvent pending =
        ledger.begin(
            caller,
            action(policy),
            TraceFilter.trace(request),
            agentId,
            pathVariables == null ? Map.of() : pathVariables);
    if (pending != null) {
      request.setAttribute(RequestLedger.ATTRIBUTE, pending);
    }
  }

  /** What the ledger records of the route: its surface, action and kind. */
  static RouteAction action(RoutePolicy policy) {
    return new RouteAction(
        policy.surface(),
        policy.action(),
        policy.kind() == RoutePolicy.Kind.READ ? RouteAction.Kind.READ : RouteAction.Kind.WRITE);
  }

  /**
   * A valid principal refused in the tenant/env it named still gets its failure event there when
   * {@link ScopeResolver#established} says it belongs to it; a well-formed refused X-User-Id is an
   * input ref.
   */
  private void refusal(
      HttpServletRequest request,
      Principal principal,
      Scope scope,
      RoutePolicy policy,
      String agentId,
      String onBehalfOf) {
    scopes
        .established(principal, scope)
        .ifPresent(
            established -> {
              Caller actor = established.in(TraceFilter.context(request));
              begin(request, actor, policy, agentId);
              if (onBehalfOf != null && USER_ID.matcher(onBehalfOf).matches()) {
                ledger.input(actor, RefType.USER, onBehalfOf);
              }
            });
  }

  /**
   * Handlers that ship with the framework and serve public documents (the OpenAPI document, the
   * error page). Everything else must declare a {@link RoutePolicy}.
   */
  static boolean isInfrastructure(HandlerMethod method) {
    String type = method.getBeanType().getName();
    return INFRASTRUCTURE_PACKAGES.stream().anyMatch(type::startsWith);
  }

  static final List<String> INFRASTRUCTURE_PACKAGES =
      List.of("org.springdoc.", "org.springframework.boot.");

  private Scope scope(HttpServletRequest request) {
    String tenant = request.getHeader(RequestHeaders.TENANT);
    String env = request.getHeader(RequestHeaders.ENV);
    if (tenant == null || tenant.isBlank()) {
      throw EnginesException.badRequest(
          ProblemCodes.TENANT_REQUIRED, "X-Tenant-Id is required on this route.");
    }
    if (env == null || env.isBlank()) {
      throw EnginesException.badRequest(
          ProblemCodes.ENV_REQUIRED, "X-Env is required on this route.");
    }
    Scope scope = new Scope(TenantId.of(tenant.trim()), Env.parse(env));
    if (!envs.served().contains(scope.env())) {
      throw EnginesException.forbidden(
          "env_not_served", "This deployment does not serve the requested env.");
    }
    return scope;
  }
}
