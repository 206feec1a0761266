package dev.engines.api.gates;

import dev.engines.api.web.RequestHeaders;
import dev.engines.api.web.RoutePolicy;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.scope.Caller;
import dev.engines.gates.GateChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The first gate of every tenant route, after the access checks ({@code AccessInterceptor}) and
 * before the handler: the route's action name ({@link RoutePolicy#gate()}) against the env's kill
 * switch, 403 {@code kill_switch_blocked} when it is disabled. The request's DatasetEvent has begun
 * by then, so a refusal is recorded with that code. A tenant route without an action name is
 * refused, like a route without a policy.
 */
final class GateInterceptor implements HandlerInterceptor {

  private final GateChain gates;

  GateInterceptor(GateChain gates) {
    this.gates = gates;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    RoutePolicy policy = method.getMethodAnnotation(RoutePolicy.class);
    if (policy == null || policy.audience() != RoutePolicy.Audience.TENANT) {
      return true;
    }
    if (policy.gate().isEmpty()) {
      throw EnginesException.forbidden(ProblemCodes.FORBIDDEN_ROLE, "This route declares no action name for the gates.");
    }
    gates.admit((Caller) request.getAttribute(RequestHeaders.CALLER_ATTRIBUTE), policy.gate());
    return true;
  }
}
