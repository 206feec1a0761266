package dev.engines.api.web;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.method.HandlerMethod;

/**
 * Each handler method's {@link RoutePolicy} and whether it is framework infrastructure, looked up
 * once per method instead of once per interceptor and request: an annotation lookup walks the
 * method's merged annotations, three interceptors ask for the policy of every request, and the
 * answer never changes. Keyed by the handler's method only, so the entries are bounded by the
 * routes, whoever calls.
 */
public final class RoutePolicies {

  private record Resolved(Optional<RoutePolicy> policy, boolean infrastructure) {}

  private static final Map<Method, Resolved> RESOLVED = new ConcurrentHashMap<>();

  private RoutePolicies() {}

  /** The route's policy, or null when its handler declares none. */
  public static RoutePolicy of(HandlerMethod handler) {
    return resolved(handler).policy().orElse(null);
  }

  /**
   * Whether the handler ships with the framework and serves public documents (the OpenAPI document,
   * the error page): everything else must declare a {@link RoutePolicy}.
   */
  static boolean infrastructure(HandlerMethod handler) {
    return resolved(handler).infrastructure();
  }

  private static Resolved resolved(HandlerMethod handler) {
    Resolved resolved = RESOLVED.get(handler.getMethod());
    if (resolved == null) {
      resolved =
          new Resolved(
              Optional.ofNullable(handler.getMethodAnnotation(RoutePolicy.class)),
              AccessInterceptor.isInfrastructure(handler));
      RESOLVED.putIfAbsent(handler.getMethod(), resolved);
    }
    return resolved;
  }
}
