package dev.engines.api.web;

import dev.engines.ledger.PendingEvent;
import dev.engines.ledger.RequestLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;
import java.util.concurrent.TimeUnit;

/**
 * Runs after the whole request, problems included: records the request's DatasetEvent when no
 * write transaction did, counts the request per env/route/outcome/code and its event per
 * env/surface/kind/outcome, times it, and writes one access log line (path and ids only, never
 * headers or bodies). Metrics carry no tenant: a tenant label would grow the series with every
 * tenant and list the tenants to whoever scrapes; per-tenant counts come from the ledger
 * ({@code GET /v1/events/summary}).
 */
final class RequestOutcomeFilter extends OncePerRequestFilter {

  private static final Logger access = LoggerFactory.getLogger("dev.engines.access");

  private final RequestLedger ledger;
  private final MeterRegistry meters;

  RequestOutcomeFilter(RequestLedger ledger, MeterRegistry meters) {
    this.ledger = ledger;
    this.meters = meters;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long start = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      int status = response.getStatus();
      String code = (String) request.getAttribute(Problems.PROBLEM_CODE_ATTRIBUTE);
      RequestLedger.Outcome event = ledger.finish((PendingEvent) request.getAttribute(RequestLedger.ATTRIBUTE), status, code);
      long nanos = System.nanoTime() - start;
      String env = MDC.get("env") == null ? "none" : MDC.get("env");
      record(request, env, status, code, nanos);
      if (event != null) {
        recordEvent(env, event);
      }
      access.info("{} {} -> {}{} in {} ms", request.getMethod(), request.getRequestURI(), status,
          code == null ? "" : " " + code, nanos / 1_000_000);
    }
  }

  /** {@code env} is the request's env, or {@code none} when no scope was resolved. */
  private void record(HttpServletRequest request, String env, int status, String code, long nanos) {
    String outcome = status >= 400 ? "failure" : "success";
    String route = routeName(request);
    Counter.builder("engines.requests")
        .description("Requests by env, route, outcome and problem code")
        .tag("env", env)
        .tag("route", route)
        .tag("outcome", outcome)
        .tag("code", code == null ? "none" : code)
        .register(meters)
        .increment();
    Timer.builder("engines.request.latency")
        .description("Request latency by env and route")
        .publishPercentileHistogram()
        .tag("env", env)
        .tag("route", route)
        .register(meters)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** DatasetEvents by env, surface, kind and outcome; events that could not be committed apart. */
  private void recordEvent(String env, RequestLedger.Outcome event) {
    Counter.builder(event.recorded() ? "engines.events" : "engines.events.unrecorded")
        .description(event.recorded() ? "DatasetEvents committed" : "DatasetEvents that could not be committed (logged)")
        .tag("env", env)
        .tag("surface", event.surface())
        .tag("kind", event.kind())
        .tag("outcome", event.outcome())
        .register(meters)
        .increment();
  }

  private static String routeName(HttpServletRequest request) {
    Object pattern = request.getAttribute(org.springframework.web.servlet.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    return pattern == null ? "unmatched" : request.getMethod() + " " + pattern;
  }
}
