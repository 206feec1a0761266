package dev.engines.api.idempotency;

import dev.engines.api.web.RequestHeaders;
import dev.engines.api.web.RoutePolicies;
import dev.engines.api.web.RoutePolicy;
import dev.engines.core.idempotency.Idempotency;
import dev.engines.core.idempotency.IdempotencyKeys;
import dev.engines.core.idempotency.StoredResponse;
import dev.engines.core.scope.Caller;
import dev.engines.ledger.PendingEvent;
import dev.engines.ledger.RequestLedger;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * On a route that {@linkplain RoutePolicy#creates() creates}, once the caller is known and the
 * gates let it through: a request with an {@code Idempotency-Key} claims the key and runs, or
 * answers the response kept under it ({@code Idempotent-Replayed: true}) without running, or is
 * refused (400 malformed key, 409 in flight, 422 the key was used with another request). A replay
 * is the request's DatasetEvent, as {@code <action>.replay}.
 */
final class IdempotencyInterceptor implements HandlerInterceptor {

  /** The response header that marks a replay. */
  static final String REPLAYED = "Idempotent-Replayed";

  private final Idempotency idempotency;
  private final RequestLedger ledger;

  IdempotencyInterceptor(Idempotency idempotency, RequestLedger ledger) {
    this.idempotency = idempotency;
    this.ledger = ledger;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    RoutePolicy policy = RoutePolicies.of(method);
    IdempotentExchange exchange =
        (IdempotentExchange) request.getAttribute(IdempotentExchange.ATTRIBUTE);
    Caller caller = (Caller) request.getAttribute(RequestHeaders.CALLER_ATTRIBUTE);
    if (policy == null || !policy.creates() || exchange == null || caller == null) {
      // Other routes ignore the header, as the draft allows: a PUT or DELETE is idempotent anyway.
      return true;
    }
    List<String> sent = Collections.list(request.getHeaders(IdempotencyFilter.HEADER));
    // Two keys are no key: refused as malformed, like one that breaks the rules.
    String key = IdempotencyKeys.parse(sent.size() == 1 ? sent.get(0) : null);
    exchange.onBehalfOf(caller.onBehalfOf());
    switch (idempotency.start(caller, caller.actorType().wire() + ":" + caller.actorId(), key)) {
      case Idempotency.Claimed claimed -> {
        exchange.claimed(claimed.claim());
        // The commit hook finds the claim through the caller its transactions are opened for.
        caller.context().attachments().put(IdempotentExchange.class, exchange);
        return true;
      }
      case Idempotency.Stored stored -> {
        StoredResponse first = idempotency.replay(stored, exchange.requestHash());
        ledger.replay(
            (PendingEvent) request.getAttribute(RequestLedger.ATTRIBUTE), stored.row().eventId());
        response.setStatus(first.status());
        first.headers().forEach(response::setHeader);
        response.setHeader(REPLAYED, "true");
        response.getOutputStream().write(first.body());
        return false;
      }
    }
  }
}
