package dev.engines.gates;

import java.util.List;

/**
 * What the gates said to a request they admitted: where its rate limits stand (the {@code
 * RateLimit} headers of the answer), and what it took, which the gate chain gives back when the
 * chain refuses the request after its admission.
 */
public final class Admission {

  private final List<RateLimitState> rateLimits;
  final TokenReservations.Taken tokens;

  /**
   * The counts it added: meter, period, amount, and whether they were written at once (else counted
   * locally).
   */
  final List<Object[]> counts;

  final boolean countedAtOnce;

  Admission(
      List<RateLimitState> rateLimits,
      TokenReservations.Taken tokens,
      List<Object[]> counts,
      boolean countedAtOnce) {
    this.rateLimits = List.copyOf(rateLimits);
    this.tokens = tokens;
    this.counts = List.copyOf(counts);
    this.countedAtOnce = countedAtOnce;
  }

  /** Where each rate limit the request took from stands. */
  public List<RateLimitState> rateLimits() {
    return rateLimits;
  }
}
