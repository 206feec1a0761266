package dev.engines.api.web;

import dev.engines.core.error.InvalidFieldsException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses query parameters a route does not declare with 400 {@code validation_failed} naming each
 * one, so a misspelt or unsupported filter is never silently ignored. A route's parameters are its
 * handler's {@code @RequestParam}s. Runs after {@link AccessInterceptor}: a tenant request refused
 * here has its caller and its failure event.
 *
 * <p>Names come from the raw query string only, never from {@code getParameterNames()}, which would
 * read (and consume) a form body.
 */
final class QueryParameterInterceptor implements HandlerInterceptor {

  /**
   * Per handler method, its declared names; empty when it takes any (a {@code @RequestParam Map}).
   */
  private final Map<Method, Optional<Set<String>>> declared = new ConcurrentHashMap<>();

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    String query = request.getQueryString();
    // Only the client's own request: an error dispatch carries its query string along.
    if (!(handler instanceof HandlerMethod method)
        || RoutePolicies.infrastructure(method)
        || query == null
        || request.getDispatcherType() != DispatcherType.REQUEST) {
      return true;
    }
    Optional<Set<String>> names =
        declared.computeIfAbsent(method.getMethod(), m -> declaredNames(method));
    if (names.isEmpty()) {
      return true;
    }
    Set<String> unknown = new LinkedHashSet<>();
    for (String pair : query.split("&")) {
      String name = decode(pair.split("=", 2)[0]);
      if (!name.isEmpty() && !names.get().contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidFieldsException(
          "Unknown query parameter"
              + (unknown.size() > 1 ? "s " : " ")
              + unknown
              + "; this route takes "
              + (names.get().isEmpty() ? "none" : names.get())
              + ".",
          unknown.stream()
              .map(
                  n ->
                      new InvalidFieldsException.FieldError(
                          n, "is not a query parameter of this route"))
              .toList());
    }
    return true;
  }

  private static Optional<Set<String>> declaredNames(HandlerMethod method) {
    Set<String> names = new TreeSet<>();
    for (MethodParameter parameter : method.getMethodParameters()) {
      RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
      if (param == null) {
        continue;
      }
      if (Map.class.isAssignableFrom(parameter.getParameterType())) {
        return Optional.empty();
      }
      String name = !param.name().isEmpty() ? param.name() : param.value();
      names.add(name.isEmpty() ? parameter.getParameterName() : name);
    }
    return Optional.of(Collections.unmodifiableSet(names));
  }

  /**
   * A name as the servlet container decodes it; a name that does not decode is refused as written.
   */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
