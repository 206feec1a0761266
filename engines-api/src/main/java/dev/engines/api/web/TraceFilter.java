package dev.engines.api.web;

import dev.engines.api.logging.LogFields;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.CallContext;
import dev.engines.core.scope.Trace;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First filter of every request: accepts or synthesises {@code X-Request-Id} and the W3C trace
 * context from {@code traceparent}, echoes both on the response and puts them in the logging
 * context under their ECS names ({@link LogFields}). Malformed values are replaced, never trusted:
 * they end up in logs and the ledger.
 *
 * <ul>
 *   <li>{@code X-Request-Id} must match {@code [A-Za-z0-9._:-]{1,128}}; otherwise a {@code req_…}
 *       id replaces it, and the response header carries the replacement.
 *   <li>{@code traceparent} follows W3C Trace Context: {@code version-trace_id-parent_id-flags} in
 *       lowercase hex. Version {@code 00} is exactly that; a later version (not {@code ff}) is read
 *       by those four fields and may carry more after a '-' (the spec's forward compatibility). An
 *       all-zero trace id or parent id makes it invalid. A valid header's trace id and sampled flag
 *       are kept (the response's {@code traceparent} is version 00 with this service's span id); an
 *       invalid one starts a new, sampled trace.
 * </ul>
 */
public final class TraceFilter extends OncePerRequestFilter {

  private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
  private static final Pattern TRACEPARENT =
      Pattern.compile("^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$");
  private static final String ZERO_TRACE_ID = "0".repeat(32);
  private static final String ZERO_PARENT_ID = "0".repeat(16);

  /** The request's trace and whether it is sampled (W3C trace flag 01). */
  private record Incoming(Trace trace, boolean sampled) {}

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Incoming incoming = incoming(request);
    Trace trace = incoming.trace();
    request.setAttribute(RequestHeaders.TRACE_ATTRIBUTE, trace);
    // One context per request: the caller resolved later carries this same one, and the operator's
    // routes (no Caller) hand it to the services themselves.
    request.setAttribute(CallContext.ATTRIBUTE, CallContext.of(trace));
    response.setHeader(RequestHeaders.REQUEST_ID, trace.requestId());
    response.setHeader(
        RequestHeaders.TRACEPARENT,
        "00-" + trace.traceId() + "-" + trace.spanId() + (incoming.sampled() ? "-01" : "-00"));
    MDC.put(LogFields.TRANSACTION_ID, trace.requestId());
    MDC.put(LogFields.TRACE_ID, trace.traceId());
    MDC.put(LogFields.SPAN_ID, trace.spanId());
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.clear();
    }
  }

  /**
   * The request's context (trace and request ids, and what the layers serving it attach): the one
   * this filter created, or, for a request that did not pass it, a new one kept from now on.
   */
  public static CallContext context(HttpServletRequest request) {
    if (request.getAttribute(CallContext.ATTRIBUTE) instanceof CallContext context) {
      return context;
    }
    CallContext context = CallContext.of(trace(request));
    request.setAttribute(CallContext.ATTRIBUTE, context);
    return context;
  }

  static Trace trace(HttpServletRequest request) {
    Object existing = request.getAttribute(RequestHeaders.TRACE_ATTRIBUTE);
    return existing instanceof Trace trace ? trace : incoming(request).trace();
  }

  private static Incoming incoming(HttpServletRequest request) {
    String requestId = request.getHeader(RequestHeaders.REQUEST_ID);
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      requestId = Ids.random("req");
    }
    // With the OpenTelemetry agent attached, its server span already honours traceparent: use it,
    // so responses, logs, events and exported spans share one trace id and span id.
    SpanContext otel = Span.current().getSpanContext();
    if (otel.isValid()) {
      return new Incoming(
          new Trace(requestId, otel.getTraceId(), otel.getSpanId()), otel.isSampled());
    }
    String traceparent = request.getHeader(RequestHeaders.TRACEPARENT);
    var matcher = TRACEPARENT.matcher(traceparent == null ? "" : traceparent.trim());
    if (matcher.matches()
        && !matcher.group(1).equals("ff")
        && (matcher.group(5) == null || !matcher.group(1).equals("00"))
        && !matcher.group(2).equals(ZERO_TRACE_ID)
        && !matcher.group(3).equals(ZERO_PARENT_ID)) {
      boolean sampled = (Integer.parseInt(matcher.group(4), 16) & 1) == 1;
      return new Incoming(new Trace(requestId, matcher.group(2), Ids.randomHex(8)), sampled);
    }
    return new Incoming(new Trace(requestId, Ids.randomHex(16), Ids.randomHex(8)), true);
  }
}
