package dev.engines.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's handler lookup, with a cheap first test per route. A path with a variable ({@code
 * /v1/atoms/at_…}) is no direct match, so Spring MVC tests every route of the API against the
 * request, method, parameter, header and media type conditions first and the path last, through
 * every request wrapper of the filter chain: about a tenth of a read's CPU. Here a route whose
 * patterns all begin with literal segments the path does not have (say {@code /v1/users/…} for
 * {@code /v1/atoms/at_…}) is no candidate before any of that; every other route goes through
 * Spring's own matching unchanged, so which route wins, and every 404, 405, 406 and 415, is what it
 * was.
 *
 * <p>A literal segment of a pattern matches a decoded segment of the path. A path holding {@code %}
 * (an encoded character) or {@code ;} (matrix parameters) has no literal segments to compare before
 * decoding, so it is matched by Spring MVC alone.
 */
final class RouteLookupHandlerMapping extends RequestMappingHandlerMapping {

  /** The segments of the path being looked up on this thread, null when it is not compared. */
  private static final ThreadLocal<String[]> LOOKUP = new ThreadLocal<>();

  private static final String[][] ANY = new String[0][];

  /**
   * Per route registered at startup (by identity: the lookup asks about the registry's own
   * instances, and a route's hash code is computed anew on every call), the leading literal
   * segments of each of its patterns; {@link #ANY} when one of them has none (it may match any
   * path). A route missing here (registered later) is matched by Spring alone.
   */
  private volatile Map<RequestMappingInfo, String[][]> prefixes = Map.of();

  private boolean caseSensitive = true;

  @Override
  public void afterPropertiesSet() {
    super.afterPropertiesSet();
    caseSensitive = getPatternParser() == null || getPatternParser().isCaseSensitive();
    Map<RequestMappingInfo, String[][]> byRoute = new IdentityHashMap<>();
    getHandlerMethods().keySet().forEach(info -> byRoute.put(info, prefixes(info)));
    prefixes = byRoute;
  }

  @Override
  protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request)
      throws Exception {
    String[] previous = LOOKUP.get();
    LOOKUP.set(segments(lookupPath));
    try {
      return super.lookupHandlerMethod(lookupPath, request);
    } finally {
      if (previous == null) {
        LOOKUP.remove();
      } else {
        LOOKUP.set(previous);
      }
    }
  }

  @Override
  protected RequestMappingInfo getMatchingMapping(
      RequestMappingInfo info, HttpServletRequest request) {
    String[] path = LOOKUP.get();
    if (path != null && !candidate(prefixes.get(info), path)) {
      return null;
    }
    return super.getMatchingMapping(info, request);
  }

  private boolean candidate(String[][] patterns, String[] path) {
    if (patterns == null || patterns == ANY) {
      return true;
    }
    for (String[] literal : patterns) {
      if (startsWith(path, literal, caseSensitive)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(String[] path, String[] literal, boolean caseSensitive) {
    if (path.length < literal.length) {
      return false;
    }
    // Last segment first: the first ones ("v1") are shared by most routes.
    for (int i = literal.length - 1; i >= 0; i--) {
      if (caseSensitive ? !literal[i].equals(path[i]) : !literal[i].equalsIgnoreCase(path[i])) {
        return false;
      }
    }
    return true;
  }

  private static String[][] prefixes(RequestMappingInfo info) {
    PathPatternsRequestCondition condition = info.getPathPatternsCondition();
    if (condition == null || condition.getPatterns().isEmpty()) {
      return ANY;
    }
    List<String[]> literals = new ArrayList<>();
    for (PathPattern pattern : condition.getPatterns()) {
      String[] literal = literalPrefix(pattern.getPatternString());
      if (literal.length == 0) {
        return ANY;
      }
      literals.add(literal);
    }
    return literals.toArray(String[][]::new);
  }

  /** The pattern's segments up to the first that holds a variable or a wildcard. */
  static String[] literalPrefix(String pattern) {
    List<String> literal = new ArrayList<>();
    for (String segment : split(pattern)) {
      if (segment.isEmpty() || segment.matches(".*[{}*?\\\\].*")) {
        break;
      }
      literal.add(segment);
    }
    return literal.toArray(String[]::new);
  }

  /** The path's segments, or null when they cannot be compared before decoding. */
  static String[] segments(String lookupPath) {
    if (lookupPath.indexOf('%') >= 0 || lookupPath.indexOf(';') >= 0) {
      return null;
    }
    return split(lookupPath);
  }

  private static String[] split(String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    return relative.isEmpty() ? new String[0] : relative.split("/", -1);
  }
}
