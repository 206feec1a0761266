package dev.engines.gates;

import dev.engines.core.error.EnginesException;
import java.util.List;

/**
 * A request a limit refused: 429 {@value #RATE_LIMITED} or {@value #QUOTA_EXCEEDED}, 402 {@value
 * #BUDGET_EXCEEDED}, with the seconds after which the same request may pass ({@code Retry-After})
 * and where the rate limits stand (the {@code RateLimit} headers).
 */
public final class GateRefusal extends EnginesException {

  /** Problem code: a rate limit has no token left. */
  public static final String RATE_LIMITED = "rate_limited";

  /** Problem code: a quota of the env would be exceeded. */
  public static final String QUOTA_EXCEEDED = "quota_exceeded";

  /** Problem code: the env's budget of cost units would be exceeded. */
  public static final String BUDGET_EXCEEDED = "budget_exceeded";

  private final String gate;
  private final long limit;
  private final int retryAfter;
  private final transient List<RateLimitState> rateLimits;

  GateRefusal(
      int status,
      String code,
      String detail,
      String gate,
      long limit,
      int retryAfter,
      List<RateLimitState> rateLimits) {
    super(status, code, detail);
    this.gate = gate;
    this.limit = limit;
    this.retryAfter = retryAfter;
    this.rateLimits = List.copyOf(rateLimits);
  }

  /**
   * The limit that fired: {@code rate_limit/<name>}, {@code quota/<name>}, {@code budget/<name>}.
   */
  public String gate() {
    return gate;
  }

  /** Its value. */
  public long limit() {
    return limit;
  }

  @Override
  public int retryAfterSeconds() {
    return retryAfter;
  }

  /** Where the request's rate limits stand. */
  public List<RateLimitState> rateLimits() {
    return rateLimits;
  }
}
