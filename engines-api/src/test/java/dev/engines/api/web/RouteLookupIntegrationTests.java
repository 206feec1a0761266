package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * {@link RouteLookupHandlerMapping} finds the handler Spring MVC's own matching finds: for every
 * route's path, and that path in upper case, with a trailing slash, with an encoded character and
 * under an unknown prefix, with every method, the handler looked up is the best of the routes whose
 * every condition matches the request (none when none does).
 */
class RouteLookupIntegrationTests extends IntegrationTest {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Test
  void everyPathWhenLookedUpThenFindsTheHandlerSpringMatchingFinds() throws Exception {
    assertThat(mapping).isInstanceOf(RouteLookupHandlerMapping.class);
    Set<String> paths = new LinkedHashSet<>();
    for (Routes.Route route : Routes.all(mapping)) {
      String path = route.pattern().replaceAll("\\{[^}]*}", "x1").replace("**", "x1/x2");
      paths.add(path);
      paths.add(path.toUpperCase(Locale.ROOT));
      paths.add(path + "/");
      paths.add(encodeFirstLetter(path));
      paths.add("/unknown" + path);
    }
    Set<Method> registered = new HashSet<>();
    mapping.getHandlerMethods().values().forEach(h -> registered.add(h.getMethod()));
    List<String> checked = new ArrayList<>();
    for (String path : paths) {
      for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
        MockHttpServletRequest request = request(method, path);
        HandlerMethod expected = reference(request(method, path));
        Object found = lookup(request);
        if (expected == null) {
          // No route matches: at most Spring's own answer (the OPTIONS handler), never a route.
          assertThat(registered).as("%s %s", method, path).doesNotContain((Method) found);
        } else {
          assertThat(found).as("%s %s", method, path).isEqualTo(expected.getMethod());
        }
        checked.add(method + " " + path);
      }
    }
    assertThat(checked).hasSizeGreaterThan(500);
  }

  @Test
  void literalPrefixWhenPatternHasVariablesThenStopsAtTheFirst() {
    assertThat(RouteLookupHandlerMapping.literalPrefix("/v1/atoms/{atomId}"))
        .containsExactly("v1", "atoms");
    assertThat(RouteLookupHandlerMapping.literalPrefix("/v1/{id}/x")).containsExactly("v1");
    assertThat(RouteLookupHandlerMapping.literalPrefix("/console/**")).containsExactly("console");
    assertThat(RouteLookupHandlerMapping.literalPrefix("/v1/a*b")).containsExactly("v1");
    assertThat(RouteLookupHandlerMapping.literalPrefix("/")).isEmpty();
    assertThat(RouteLookupHandlerMapping.segments("/v1/atoms/at_1"))
        .containsExactly("v1", "atoms", "at_1");
    assertThat(RouteLookupHandlerMapping.segments("/v1/%61toms/at_1")).isNull();
    assertThat(RouteLookupHandlerMapping.segments("/v1/atoms;a=b/at_1")).isNull();
  }

  /**
   * The path with the first letter of its last segment percent-encoded, as a client may send it.
   */
  private static String encodeFirstLetter(String path) {
    int last = path.lastIndexOf('/') + 1;
    if (last >= path.length() || !Character.isLetter(path.charAt(last))) {
      return path;
    }
    return path.substring(0, last)
        + String.format("%%%02X", (int) path.charAt(last))
        + path.substring(last + 1);
  }

  private static MockHttpServletRequest request(String method, String path) {
    MockHttpServletRequest request = new MockHttpServletRequest(method, path);
    request.addHeader("Accept", "application/json");
    request.setContentType("application/json");
    ServletRequestPathUtils.parseAndCache(request);
    return request;
  }

  /** The handler method the mapping finds, null when none (or when it refuses the request). */
  private Object lookup(MockHttpServletRequest request) {
    try {
      HandlerExecutionChain chain = mapping.getHandler(request);
      return chain != null && chain.getHandler() instanceof HandlerMethod method
          ? method.getMethod()
          : null;
    } catch (Exception refused) {
      return null;
    }
  }

  /** Spring MVC's matching over every route, without any first test: the best full match. */
  private HandlerMethod reference(MockHttpServletRequest request) {
    RequestMappingInfo best = null;
    HandlerMethod handler = null;
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
      RequestMappingInfo match = e.getKey().getMatchingCondition(request);
      if (match != null && (best == null || match.compareTo(best, request) < 0)) {
        best = match;
        handler = e.getValue();
      }
    }
    return handler;
  }
}
