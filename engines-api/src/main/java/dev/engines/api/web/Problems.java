package dev.engines.api.web;

import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.scope.Trace;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders RFC 9457 problem details, for controller advice and filters alike (advice never sees
 * filter errors). Every problem has a stable {@code code}, the request id and the trace id.
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
  public Map<String, Object> body(HttpServletRequest request, EnginesException e, List<Map<String, String>> errors) {
    if (errors == null && e instanceof InvalidFieldsException invalid) {
      errors = invalid.errors().stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList();
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
  public ResponseEntity<Object> entity(HttpServletRequest request, EnginesException e, List<Map<String, String>> errors) {
    request.setAttribute(PROBLEM_CODE_ATTRIBUTE, e.code());
    return ResponseEntity.status(e.status())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(body(request, e, errors));
  }

  /** Writes a problem directly to the response, for filters and security handlers. */
  public void write(HttpServletRequest request, HttpServletResponse response, EnginesException e) throws IOException {
    request.setAttribute(PROBLEM_CODE_ATTRIBUTE, e.code());
    response.setStatus(e.status());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), body(request, e, null));
  }

  /** Request attribute holding the problem code a request ended with, for metrics and the ledger. */
  public static final String PROBLEM_CODE_ATTRIBUTE = "engines.problem_code";
}
