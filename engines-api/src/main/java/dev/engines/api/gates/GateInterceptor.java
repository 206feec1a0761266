package dev.engines.api.gates;

import dev.engines.api.web.RequestHeaders;
import dev.engines.api.web.RoutePolicies;
import dev.engines.api.web.RoutePolicy;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.scope.Caller;
import dev.engines.gates.Admission;
import dev.engines.gates.GateChain;
import dev.engines.gates.GateRefusal;
import dev.engines.gates.RateLimitState;
import dev.engines.gates.RouteClass;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Admits every tenant route after the access checks ({@code AccessInterceptor}) and before the
 * handler, through {@link GateChain#admit}: the route's action name ({@link RoutePolicy#gate()})
 * against the env's kill switch (403 {@code kill_switch_blocked}), then its rate limits, budgets
 * and quotas (429 {@code rate_limited}, 402 {@code budget_exceeded}, 429 {@code quota_exceeded},
 * with {@code Retry-After}). Its rate-limit class is {@code heavy} when the route says so, else its
 * kind. Every answer, refusals included, carries the IETF {@code RateLimit-Policy} and {@code
 * RateLimit} headers (draft-ietf-httpapi-ratelimit-headers) of the limits the request took from.
 * The request's DatasetEvent has begun by then, so a refusal is recorded with its code and the
 * limit that fired. A tenant route without an action name is refused, like a route without a
 * policy.
 */
final class GateInterceptor implements HandlerInterceptor {

  /** The IETF header naming each limit: {@code "env";q=3000;w=60}. */
  static final String POLICY_HEADER = "RateLimit-Policy";

  /** The IETF header saying where each limit stands: {@code "env";r=2999;t=1}. */
  static final String STATE_HEADER = "RateLimit";

  private final GateChain gates;

  GateInterceptor(GateChain gates) {
    this.gates = gates;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    RoutePolicy policy = RoutePolicies.of(method);
    if (policy == null || policy.audience() != RoutePolicy.Audience.TENANT) {
      return true;
    }
    if (policy.gate().isEmpty()) {
      throw EnginesException.forbidden(
          ProblemCodes.FORBIDDEN_ROLE, "This route declares no action name for the gates.");
    }
    RouteClass routeClass =
        policy.heavy()
            ? RouteClass.HEAVY
            : policy.kind() == RoutePolicy.Kind.READ ? RouteClass.READ : RouteClass.WRITE;
    try {
      Admission admission =
          gates.admit(
              (Caller) request.getAttribute(RequestHeaders.CALLER_ATTRIBUTE),
              policy.gate(),
              routeClass);
      headers(response, admission.rateLimits());
    } catch (GateRefusal refusal) {
      headers(response, refusal.rateLimits());
      throw refusal;
    }
    return true;
  }

  /** The request is answered: the chain no longer keeps its admission for a refund. */
  @Override
  public void afterCompletion(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    if (request.getAttribute(RequestHeaders.CALLER_ATTRIBUTE) instanceof Caller caller) {
      gates.completed(caller);
    }
  }

  private static void headers(HttpServletResponse response, List<RateLimitState> limits) {
    if (limits.isEmpty()) {
      return;
    }
    StringBuilder policy = new StringBuilder(32 * limits.size());
    StringBuilder state = new StringBuilder(32 * limits.size());
    for (RateLimitState l : limits) {
      if (!policy.isEmpty()) {
        policy.append(", ");
        state.append(", ");
      }
      policy.append('"').append(l.name()).append("\";q=").append(l.limit()).append(";w=60");
      state
          .append('"')
          .append(l.name())
          .append("\";r=")
          .append(l.remaining())
          .append(";t=")
          .append(l.resetSeconds());
    }
    response.setHeader(POLICY_HEADER, policy.toString());
    response.setHeader(STATE_HEADER, state.toString());
  }
}
