package dev.engines.api.web;

import dev.engines.core.ids.Ids;
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
 * First filter of every request: accepts or synthesises {@code X-Request-Id} and the W3C trace id
 * from {@code traceparent}, echoes both on the response and puts them in the logging context.
 * Malformed values are replaced, never trusted: they end up in logs and the ledger.
 */
public final class TraceFilter extends OncePerRequestFilter {

  private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
  private static final Pattern TRACEPARENT = Pattern.compile("^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Trace trace = trace(request);
    request.setAttribute(RequestHeaders.TRACE_ATTRIBUTE, trace);
    response.setHeader(RequestHeaders.REQUEST_ID, trace.requestId());
    response.setHeader(RequestHeaders.TRACEPARENT, "00-" + trace.traceId() + "-" + trace.spanId() + "-01");
    MDC.put("request_id", trace.requestId());
    MDC.put("trace_id", trace.traceId());
    MDC.put("span_id", trace.spanId());
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.clear();
    }
  }

  static Trace trace(HttpServletRequest request) {
    Object existing = request.getAttribute(RequestHeaders.TRACE_ATTRIBUTE);
    if (existing instanceof Trace trace) {
      return trace;
    }
    String requestId = request.getHeader(RequestHeaders.REQUEST_ID);
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      requestId = Ids.random("req");
    }
    // With the OpenTelemetry agent attached, its server span already honours traceparent: use it,
    // so responses, logs, events and exported spans share one trace id and span id.
    SpanContext otel = Span.current().getSpanContext();
    if (otel.isValid()) {
      return new Trace(requestId, otel.getTraceId(), otel.getSpanId());
    }
    String traceId = null;
    String traceparent = request.getHeader(RequestHeaders.TRACEPARENT);
    if (traceparent != null) {
      var matcher = TRACEPARENT.matcher(traceparent.trim());
      if (matcher.matches() && !matcher.group(1).equals("0".repeat(32))) {
        traceId = matcher.group(1);
      }
    }
    if (traceId == null) {
      traceId = Ids.randomHex(16);
    }
    return new Trace(requestId, traceId, Ids.randomHex(8));
  }
}
