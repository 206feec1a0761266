package dev.engines.api.web;

import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The input boundary for headers and query parameters, before authentication: what no header or
 * parameter of this API may hold is refused here as a 400 problem naming it, instead of failing
 * wherever it is first read (the security firewall throws on a control character in a header,
 * Tomcat on a query it cannot decode, PostgreSQL on NUL).
 *
 * <ul>
 *   <li>Header values: no control characters (C0 but tab, DEL, C1). Tomcat reads header bytes as
 *       ISO-8859-1, so a UTF-8 zero-width character (U+200B is E2 80 8B) arrives holding C1
 *       controls and is refused too. The scoping headers answer their own codes; {@code
 *       X-Request-Id} and {@code traceparent} are replaced when malformed, never refused.
 *   <li>Query parameters: percent-encoded UTF-8 (a malformed escape, an invalid or overlong
 *       sequence or an encoded surrogate is refused) and, decoded, no control characters.
 * </ul>
 *
 * JSON bodies have their own check ({@link JsonTextModule}).
 */
final class RequestInputFilter extends OncePerRequestFilter {

  private static final Map<String, String> HEADER_CODES =
      Map.of(
          RequestHeaders.TENANT.toLowerCase(Locale.ROOT), "tenant_invalid",
          RequestHeaders.ENV.toLowerCase(Locale.ROOT), "env_invalid",
          RequestHeaders.USER.toLowerCase(Locale.ROOT), "user_invalid",
          RequestHeaders.AGENT.toLowerCase(Locale.ROOT), "agent_invalid");

  /**
   * Headers whose malformed values are replaced, never refused ({@link TraceFilter}, which reads
   * them first).
   */
  private static final List<String> REPLACED_HEADERS =
      List.of(RequestHeaders.REQUEST_ID, RequestHeaders.TRACEPARENT);

  private final Problems problems;

  RequestInputFilter(Problems problems) {
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    EnginesException problem = headerProblem(request);
    if (problem == null) {
      problem = queryProblem(request.getQueryString());
    }
    if (problem != null) {
      problems.write(request, response, problem);
      return;
    }
    chain.doFilter(request, response);
  }

  private static EnginesException headerProblem(HttpServletRequest request) {
    // Every request passes here: plain loops over the container's enumerations, no copies.
    Enumeration<String> names = request.getHeaderNames();
    while (names.hasMoreElements()) {
      String name = names.nextElement();
      if (replaced(name)) {
        continue;
      }
      Enumeration<String> values = request.getHeaders(name);
      while (values.hasMoreElements()) {
        if (holdsControl(values.nextElement())) {
          String code = HEADER_CODES.getOrDefault(name.toLowerCase(Locale.ROOT), "header_invalid");
          // The value is never echoed: it may be a credential.
          return EnginesException.badRequest(
              code, "The " + name + " header holds a control character.");
        }
      }
    }
    return null;
  }

  private static boolean replaced(String name) {
    for (String header : REPLACED_HEADERS) {
      if (header.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a header value holds a control character other than tab. */
  private static boolean holdsControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && isControl(c)) {
        return true;
      }
    }
    return false;
  }

  /** The problem of a raw query string, or null when every parameter decodes to acceptable text. */
  static EnginesException queryProblem(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    List<InvalidFieldsException.FieldError> errors = new ArrayList<>();
    for (String parameter : query.split("&")) {
      if (parameter.isEmpty()) {
        continue;
      }
      int equals = parameter.indexOf('=');
      String rawName = equals < 0 ? parameter : parameter.substring(0, equals);
      String name = decode(rawName);
      String value = equals < 0 ? "" : decode(parameter.substring(equals + 1));
      String field = name == null ? rawName : name;
      if (name == null || value == null) {
        errors.add(
            new InvalidFieldsException.FieldError(field, "is not valid percent-encoded UTF-8"));
      } else if (name.chars().anyMatch(RequestInputFilter::isControl)
          || value.chars().anyMatch(RequestInputFilter::isControl)) {
        errors.add(
            new InvalidFieldsException.FieldError(
                field, "must not contain control characters (such as NUL)"));
      }
    }
    return errors.isEmpty()
        ? null
        : new InvalidFieldsException("A query parameter is invalid.", errors);
  }

  /** Strict {@code application/x-www-form-urlencoded} decoding as UTF-8; null when malformed. */
  private static String decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = high < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
        if (low < 0) {
          return null;
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        // Tomcat refuses raw non-ASCII in a request line; anything else here is not a query it
        // parsed.
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** C0 controls (NUL included), DEL and C1 controls. */
  static boolean isControl(int c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  }
}
