package dev.engines.api.web;

import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.scope.Trace;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders RFC 9457 problem details, for controller advice and filters alike (advice never sees
 * filter errors). Every problem has a stable {@code code}, the request id and the trace id, and a
 * {@code Retry-After} when the exception names one.
 */
@Component
public final class Problems {

  /** Base of the problem type URIs; the code is appended. */
  public static final String TYPE_BASE = "https://engines.dev/problems/";

  private final JsonMapper json;

  public Problems(JsonMapper json) {
    this.json = json;
  }

  /**
   * The problem body for an exception; {@code errors} (field errors) default to those of an {@link
   * InvalidFieldsException}, so filters and controller advice answer it alike.
   */
  public Map<String, Object> body(
      HttpServletRequest request, EnginesException e, List<Map<String, String>> errors) {
    if (errors == null && e instanceof InvalidFieldsException invalid) {
      errors =
          invalid.errors().stream()
              .map(f -> Map.of("field", f.field(), "message", f.message()))
              .toList();
    }
    HttpStatus status = HttpStatus.resolve(e.status());
    Trace trace = TraceFilter.trace(request);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + e.code());
    body.put("title", status == null ? "Error" : status.getReasonPhrase());
    body.put("status", e.status());
    body.put("detail", e.getMessage());
    body.put("instance", request.getRequestURI());
    body.put("code", e.code());
    body.put("request_id", trace.requestId());
    body.put("trace_id", trace.traceId());
    if (errors != null && !errors.isEmpty()) {
      body.put("errors", errors);
    }
    return body;
  }

  /** A problem response for controller advice. */
  public ResponseEntity<Object> entity(
      HttpServletRequest request, EnginesException e, List<Map<String, String>> errors) {
    remember(request, e);
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (e.status() == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, challenge(e));
    }
    if (e.retryAfterSeconds() > 0) {
      response.header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
    }
    return response.body(body(request, e, errors));
  }

  /** Writes a problem directly to the response, for filters and security handlers. */
  public void write(HttpServletRequest request, HttpServletResponse response, EnginesException e)
      throws IOException {
    remember(request, e);
    response.setStatus(e.status());
    if (e.status() == 401) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge(e));
    }
    if (e.retryAfterSeconds() > 0) {
      response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
    }
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), body(request, e, null));
  }

  /**
   * The RFC 6750 challenge of a 401: API keys and JWTs are both bearer tokens. A request without a
   * credential learns the scheme only (§3.1: no error code); one whose credential was refused also
   * gets {@code invalid_token}.
   */
  static String challenge(EnginesException e) {
    return ProblemCodes.UNAUTHENTICATED.equals(e.code())
        ? "Bearer realm=\"" + REALM + "\""
        : "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"";
  }

  private static final String REALM = "engines";

  /**
   * Records the problem a request ends with: its code for metrics and the ledger, and the problem
   * itself for the error page, which renders it again when the container discards the body (it does
   * after a failed read of the request body).
   */
  private static void remember(HttpServletRequest request, EnginesException e) {
    request.setAttribute(PROBLEM_CODE_ATTRIBUTE, e.code());
    request.setAttribute(PROBLEM_ATTRIBUTE, e);
  }

  /**
   * The problem for a status the servlet container or the firewall chose, with a fixed detail:
   * their own messages may quote the rejected input.
   */
  static EnginesException forStatus(int status) {
    return switch (status) {
      case 400 ->
          new EnginesException(
              400, "bad_request", "The HTTP server refused the request as malformed.");
      case 404 -> new EnginesException(404, ProblemCodes.NOT_FOUND, "No such route.");
      case 405 ->
          new EnginesException(
              405, "method_not_allowed", "This route does not accept that method.");
      case 408 ->
          new EnginesException(408, "request_timeout", "The request did not arrive in time.");
      case 413 -> new EnginesException(413, "payload_too_large", "The request is too large.");
      case 414 -> new EnginesException(414, "uri_too_long", "The request target is too long.");
      case 415 ->
          new EnginesException(
              415, "unsupported_media_type", "This route does not accept that content type.");
      case 431 ->
          new EnginesException(431, "headers_too_large", "The request headers are too large.");
      case 501 ->
          new EnginesException(501, "not_implemented", "The HTTP server does not implement that.");
      case 505 -> new EnginesException(505, "http_version_not_supported", "Send HTTP/1.1.");
      default ->
          status < 500
              ? new EnginesException(
                  status, REQUEST_REJECTED, "The HTTP server refused the request.")
              : new EnginesException(
                  status, ProblemCodes.INTERNAL, "An unexpected error occurred.");
    };
  }

  /** The problem of a request the security firewall refused (its path or a header). */
  static EnginesException rejected() {
    return EnginesException.badRequest(
        REQUEST_REJECTED,
        "The request path or a header holds characters or segments this API refuses (such as ';', '//', '/./', '/../' or an encoded '%').");
  }

  private static final String REQUEST_REJECTED = "request_rejected";

  /**
   * Request attribute holding the problem code a request ended with, for metrics and the ledger.
   */
  public static final String PROBLEM_CODE_ATTRIBUTE = "engines.problem_code";

  /** Request attribute holding the {@link EnginesException} a request ended with. */
  static final String PROBLEM_ATTRIBUTE = "engines.problem";
}
