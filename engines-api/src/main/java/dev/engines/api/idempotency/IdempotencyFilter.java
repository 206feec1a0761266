package dev.engines.api.idempotency;

import dev.engines.core.idempotency.Idempotency;
import dev.engines.core.idempotency.StoredResponse;
import dev.engines.ledger.PendingEvent;
import dev.engines.ledger.RequestLedger;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Around every {@code POST} that sends an {@code Idempotency-Key}: the body is digested as it is
 * read, the response is held until the request has answered, and then, if the request held the key
 * ({@link IdempotencyInterceptor}), its outcome is settled ({@link Idempotency#finish}) before a
 * byte goes out. Runs after the trace and input filters and before authentication, so that every
 * answer, refusals included, passes through it; requests without the header pass untouched.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

  /** The request header, as the IETF draft names it. */
  static final String HEADER = "Idempotency-Key";

  /**
   * The response headers kept and sent again with a replay: what identifies and describes the
   * result.
   */
  private static final List<String> KEPT_HEADERS = List.of("Location", "ETag", "Content-Type");

  private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

  private final Idempotency idempotency;
  private final RequestLedger ledger;

  IdempotencyFilter(Idempotency idempotency, RequestLedger ledger) {
    this.idempotency = idempotency;
    this.ledger = ledger;
  }

  /**
   * Requests without the header (every read among them) pass straight on, without the once per
   * request bookkeeping around the filter.
   */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    IdempotentExchange exchange = new IdempotentExchange(request);
    request.setAttribute(IdempotentExchange.ATTRIBUTE, exchange);
    ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
    boolean failed = true;
    try {
      chain.doFilter(exchange.request(), held);
      failed = false;
    } finally {
      exchange.close();
      try {
        settle(request, exchange, held, failed);
      } finally {
        held.copyBodyToResponse();
      }
    }
  }

  /** Keeps or gives up the key the request held; a failure here never changes the answer. */
  private void settle(
      HttpServletRequest request,
      IdempotentExchange exchange,
      ContentCachingResponseWrapper held,
      boolean failed) {
    Idempotency.Claim claim = exchange.claim();
    if (claim == null) {
      return;
    }
    // An exception that escaped the chain answers 500 on its way out, whatever status was set so
    // far.
    int status = failed ? 500 : held.getStatus();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : KEPT_HEADERS) {
      String value = name.equals("Content-Type") ? held.getContentType() : held.getHeader(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    try {
      idempotency.finish(
          claim,
          status,
          new StoredResponse(status, headers, held.getContentAsByteArray()),
          exchange::requestHash,
          ledger.eventId((PendingEvent) request.getAttribute(RequestLedger.ATTRIBUTE)));
    } catch (RuntimeException e) {
      // The change is done and the client gets its answer; a retry then finds the key without a
      // response (409 idempotency_outcome_unknown) or, if nothing committed, claims it after the
      // lease.
      // The logging context names the request.
      log.error("idempotency: could not settle the request's key", e);
    }
  }
}
