package dev.engines.api.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every route the running application registered, read from the handler mapping (so new routes join automatically). */
final class Routes {

  /** One method + path pattern with its handler and policy (null when undeclared). */
  record Route(String method, String pattern, HandlerMethod handler, RoutePolicy policy) {
    @Override
    public String toString() {
      return method + " " + pattern;
    }

    boolean infrastructure() {
      return AccessInterceptor.isInfrastructure(handler);
    }
  }

  static List<Route> all(RequestMappingHandlerMapping mapping) {
    return mapping.getHandlerMethods().entrySet().stream()
        .flatMap(e -> routes(e.getKey(), e.getValue()).stream())
        .sorted(Comparator.comparing(Route::pattern).thenComparing(Route::method))
        .toList();
  }

  static List<Route> audience(RequestMappingHandlerMapping mapping, RoutePolicy.Audience audience) {
    return all(mapping).stream().filter(r -> r.policy() != null && r.policy().audience() == audience).toList();
  }

  private static List<Route> routes(RequestMappingInfo info, HandlerMethod handler) {
    RoutePolicy policy = handler.getMethodAnnotation(RoutePolicy.class);
    var methods = info.getMethodsCondition().getMethods().isEmpty()
        ? List.of(RequestMethod.GET)
        : List.copyOf(info.getMethodsCondition().getMethods());
    return info.getPatternValues().stream()
        .flatMap(p -> methods.stream().map(m -> new Route(m.name(), p, handler, policy)))
        .toList();
  }

  /** Fills {@code {name}} placeholders. */
  static String expand(String pattern, Map<String, String> values) {
    String path = pattern;
    for (var e : values.entrySet()) {
      path = path.replace("{" + e.getKey() + "}", e.getValue());
    }
    return path;
  }

  static List<String> variables(String pattern) {
    return java.util.regex.Pattern.compile("\\{([^}/]+)}").matcher(pattern).results().map(m -> m.group(1)).toList();
  }

  private Routes() {}
}
