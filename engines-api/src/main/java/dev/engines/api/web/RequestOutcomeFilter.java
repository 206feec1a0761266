package dev.engines.api.web;

import dev.engines.api.logging.LogFields;
import dev.engines.api.logging.LogRedactor;
import dev.engines.ledger.PendingEvent;
import dev.engines.ledger.RequestLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Runs after the whole request, problems included: records the request's DatasetEvent when no write
 * transaction did, counts that event per env/surface/kind/outcome and writes the request's one
 * access event. Request counts and latency are Spring's {@code http.server.requests} observation
 * ({@link RequestObservationConvention}), not measured here a second time.
 *
 * <p>The access event carries ECS fields ({@link LogFields}): method, path without the query
 * string, status, problem code and duration; the logging context adds the trace, request, tenant
 * and env. Never headers, query strings or bodies: they may carry credentials and PII. The path is
 * redacted like the message that repeats it.
 *
 * <p>Metrics carry no tenant: a tenant label would grow the series with every tenant and list the
 * tenants to whoever scrapes; per-tenant counts come from the ledger ({@code GET
 * /v1/events/summary}).
 */
final class RequestOutcomeFilter extends OncePerRequestFilter {

  private static final Logger access = LoggerFactory.getLogger("dev.engines.access");

  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  private final RequestLedger ledger;
  private final MeterRegistry meters;

  RequestOutcomeFilter(RequestLedger ledger, MeterRegistry meters) {
    this.ledger = ledger;
    this.meters = meters;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long start = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      int status = response.getStatus();
      String code = (String) request.getAttribute(Problems.PROBLEM_CODE_ATTRIBUTE);
      RequestLedger.Outcome event =
          ledger.finish((PendingEvent) request.getAttribute(RequestLedger.ATTRIBUTE), status, code);
      long nanos = System.nanoTime() - start;
      if (event != null) {
        recordEvent(env(request), event);
      }
      accessEvent(request, status, code, nanos);
    }
  }

  /** The request's env, or {@code none} when no scope was resolved. */
  static String env(HttpServletRequest request) {
    Object env = request.getAttribute(RequestHeaders.ENV_ATTRIBUTE);
    return env instanceof String wire ? wire : "none";
  }

  private static void accessEvent(HttpServletRequest request, int status, String code, long nanos) {
    if (!access.isInfoEnabled()) {
      return;
    }
    String method = loggedMethod(request.getMethod());
    String path = decoded(request.getRequestURI());
    // The message repeats the fields for a reader of the raw line (plain-text console included).
    // It is redacted here, once, as the formatter would redact it (a path may carry an email or a
    // key), and logged as the one argument of "{}", which the formatter then writes as it is.
    // url.path is the same redacted path, cut from the message: the line never shows a value in
    // one field that it hides in the other. Only if the redaction reached into the method or the
    // closed values around the path (a hostile method, a match across the boundary) is the path
    // redacted on its own instead.
    String head = method + " ";
    String tail =
        " -> " + status + (code == null ? "" : " " + code) + " in " + nanos / 1_000_000 + " ms";
    LogRedactor.Redacted message = LogRedactor.shared().redacted(head + path + tail);
    String text = message.toString();
    String loggedPath =
        text.length() >= head.length() + tail.length()
                && text.startsWith(head)
                && text.endsWith(tail)
            ? text.substring(head.length(), text.length() - tail.length())
            : LogRedactor.shared().redact(path);
    LoggingEventBuilder line =
        access
            .atInfo()
            .addKeyValue(LogFields.HTTP_METHOD, method)
            .addKeyValue(LogFields.URL_PATH, loggedPath)
            .addKeyValue(LogFields.HTTP_STATUS, status)
            .addKeyValue(LogFields.EVENT_DURATION, nanos);
    if (code != null) {
      line = line.addKeyValue(LogFields.ERROR_CODE, code);
    }
    line.log("{}", message);
  }

  /**
   * The path as the redaction must see it: percent-decoded ({@code alice%40mail.example} is an
   * address too), or as sent when it does not decode.
   */
  static String decoded(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    try {
      return UriUtils.decode(path, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return path;
    }
  }

  /**
   * The request's method as the access line names it: the standard methods as they are, any other
   * token as {@code _OTHER} (OpenTelemetry's convention). A method is whatever token the client
   * sent, a credential included, and is refused by the firewall only after this line is due.
   */
  static String loggedMethod(String method) {
    return STANDARD_METHODS.contains(method) ? method : "_OTHER";
  }

  /** DatasetEvents by env, surface, kind and outcome; events that could not be committed apart. */
  private void recordEvent(String env, RequestLedger.Outcome event) {
    Counter.builder(event.recorded() ? "engines.events" : "engines.events.unrecorded")
        .description(
            event.recorded()
                ? "DatasetEvents committed"
                : "DatasetEvents that could not be committed (logged)")
        .tag("env", env)
        .tag("surface", event.surface())
        .tag("kind", event.kind())
        .tag("outcome", event.outcome())
        .register(meters)
        .increment();
  }
}
