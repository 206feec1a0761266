package dev.engines.api.web;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route the running application registered, read from the handler mapping (so new routes join
 * automatically).
 */
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
    return all(mapping).stream()
        .filter(r -> r.policy() != null && r.policy().audience() == audience)
        .toList();
  }

  private static List<Route> routes(RequestMappingInfo info, HandlerMethod handler) {
    RoutePolicy policy = handler.getMethodAnnotation(RoutePolicy.class);
    var methods =
        info.getMethodsCondition().getMethods().isEmpty()
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

  /**
   * A JSON body for the route whose first reachable string (in a field, a list, a map or untyped
   * JSON, depth first in declaration order) holds NUL, with the wire path of that string; empty
   * when the route reads no JSON body or its body holds no string.
   */
  static Optional<NulBody> nulBody(Route route) {
    for (MethodParameter parameter : route.handler().getMethodParameters()) {
      if (parameter.hasParameterAnnotation(RequestBody.class)) {
        return Optional.ofNullable(nul(ResolvableType.forMethodParameter(parameter), 0));
      }
    }
    return Optional.empty();
  }

  /** A body and the field its NUL is in ({@code items[0].ref_id}). */
  record NulBody(String json, String field) {}

  private static NulBody nul(ResolvableType type, int depth) {
    Class<?> raw = type.resolve(Object.class);
    if (raw == String.class || raw == Object.class) {
      return new NulBody("\"nul\\u0000\"", "");
    }
    if (depth > 5) {
      return null;
    }
    if (Collection.class.isAssignableFrom(raw)) {
      NulBody element = nul(type.asCollection().getGeneric(0), depth + 1);
      return element == null
          ? null
          : new NulBody("[" + element.json() + "]", "[0]" + dotted(element.field()));
    }
    if (Map.class.isAssignableFrom(raw)) {
      NulBody value = nul(type.asMap().getGeneric(1), depth + 1);
      return value == null
          ? null
          : new NulBody("{\"probe\":" + value.json() + "}", "probe" + dotted(value.field()));
    }
    if (raw.isRecord()) {
      for (RecordComponent component : raw.getRecordComponents()) {
        NulBody inner = nul(ResolvableType.forType(component.getGenericType()), depth + 1);
        if (inner != null) {
          // The wire is snake_case (spring.jackson.property-naming-strategy).
          String name =
              component
                  .getName()
                  .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                  .toLowerCase(java.util.Locale.ROOT);
          return new NulBody(
              "{\"" + name + "\":" + inner.json() + "}", name + dotted(inner.field()));
        }
      }
    }
    return null;
  }

  private static String dotted(String field) {
    return field.isEmpty() || field.startsWith("[") ? field : "." + field;
  }

  /** The query parameters a route's handler declares. */
  static List<String> queryParameters(Route route) {
    List<String> names = new ArrayList<>();
    for (MethodParameter p : route.handler().getMethodParameters()) {
      RequestParam param = p.getParameterAnnotation(RequestParam.class);
      if (param != null) {
        String name = param.name().isEmpty() ? param.value() : param.name();
        names.add(name.isEmpty() ? p.getParameterName() : name);
      }
    }
    return names;
  }

  static List<String> variables(String pattern) {
    return java.util.regex.Pattern.compile("\\{([^}/]+)}")
        .matcher(pattern)
        .results()
        .map(m -> m.group(1))
        .toList();
  }

  private Routes() {}
}
