package dev.engines.gates;

import java.util.List;

/**
 * What the gates said to a request they admitted: where its rate limits stand (the {@code
 * RateLimit} headers of the answer).
 */
public record Admission(List<RateLimitState> rateLimits) {

  public Admission {
    rateLimits = List.copyOf(rateLimits);
  }
}
