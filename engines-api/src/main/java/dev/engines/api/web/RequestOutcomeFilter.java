package dev.engines.api.web;

import dev.engines.api.ledger.RequestLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after the whole request, problems included: records the request's DatasetEvent when no
 * write transaction did, counts the request per tenant/env/route/outcome/code and its event per
 * tenant/env/surface/kind/outcome, times it, and writes one access log line (path and ids only,
 * never headers or bodies).
 */
final class RequestOutcomeFilter extends OncePerRequestFilter {

  private static final Logger access = LoggerFactory.getLogger("dev.engines.access");

  private final RequestLedger ledger;
  private final MeterRegistry meters;
  private final int maxTenantTags;
  private final Set<String> taggedTenants = ConcurrentHashMap.newKeySet();

  RequestOutcomeFilter(RequestLedger ledger, MeterRegistry meters, int maxTenantTags) {
    this.ledger = ledger;
    this.meters = meters;
    this.maxTenantTags = maxTenantTags;
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
      RequestLedger.Outcome event = ledger.finish(request, status, code);
      long nanos = System.nanoTime() - start;
      String tenant = tenantTag(MDC.get("tenant_id"));
      String env = MDC.get("env") == null ? "none" : MDC.get("env");
      record(request, tenant, env, status, code, nanos);
      if (event != null) {
        recordEvent(tenant, env, event);
      }
      access.info("{} {} -> {}{} in {} ms", request.getMethod(), request.getRequestURI(), status,
          code == null ? "" : " " + code, nanos / 1_000_000);
    }
  }

  /** {@code tenant} is the bounded tag value, {@code env} the env or {@code none}. */
  private void record(HttpServletRequest request, String tenant, String env, int status, String code, long nanos) {
    String outcome = status >= 400 ? "failure" : "success";
    String route = routeName(request);
    Counter.builder("engines.requests")
        .description("Requests by tenant, env, route, outcome and problem code")
        .tag("tenant", tenant)
        .tag("env", env)
        .tag("route", route)
        .tag("outcome", outcome)
        .tag("code", code == null ? "none" : code)
        .register(meters)
        .increment();
    Timer.builder("engines.request.latency")
        .description("Request latency by tenant, env and route")
        .publishPercentileHistogram()
        .tag("tenant", tenant)
        .tag("env", env)
        .tag("route", route)
        .register(meters)
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** DatasetEvents by tenant, env, surface, kind and outcome; events that could not be committed apart. */
  private void recordEvent(String tenant, String env, RequestLedger.Outcome event) {
    Counter.builder(event.recorded() ? "engines.events" : "engines.events.unrecorded")
        .description(event.recorded() ? "DatasetEvents committed" : "DatasetEvents that could not be committed (logged)")
        .tag("tenant", tenant)
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

  /** The first {@code maxTenantTags} tenants seen get their own tag; the rest share "other". */
  private String tenantTag(String tenant) {
    if (tenant == null) {
      return "none";
    }
    if (taggedTenants.contains(tenant)) {
      return tenant;
    }
    synchronized (taggedTenants) {
      if (taggedTenants.size() < maxTenantTags) {
        taggedTenants.add(tenant);
        return tenant;
      }
    }
    return "other";
  }
}
