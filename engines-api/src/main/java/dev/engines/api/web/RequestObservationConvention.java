package dev.engines.api.web;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Spring's {@code http.server.requests} observation (counts and latency histograms of every
 * request) with two more low-cardinality tags: {@code env} ({@code none} before a scope is
 * resolved) and {@code code}, the request's problem code ({@code none} on success). Both come from
 * closed sets, as do Spring's own tags (method, route template as {@code uri}, status, outcome,
 * exception). The tenant is deliberately no tag: series would grow with every tenant and the scrape
 * would list them; per-tenant counts come from the ledger ({@code GET /v1/events/summary}).
 */
final class RequestObservationConvention extends DefaultServerRequestObservationConvention {

  @Override
  public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
    Object code = context.getCarrier().getAttribute(Problems.PROBLEM_CODE_ATTRIBUTE);
    return super.getLowCardinalityKeyValues(context)
        .and(
            KeyValue.of("env", RequestOutcomeFilter.env(context.getCarrier())),
            KeyValue.of("code", code instanceof String problem ? problem : "none"));
  }
}
