package dev.engines.api.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's clock in the integration tests: the system clock, moved forward by what a test
 * asks for ({@link #advance}), so TTLs and retention periods pass without waiting. Every test that
 * moves it puts it back ({@link #reset}) before it ends; the suite's classes run one after another.
 */
public final class TestClock extends Clock {

  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  /** Moves the clock forward by {@code by}. */
  public void advance(Duration by) {
    offset.updateAndGet(o -> o.plus(by));
  }

  /** Back to the system clock. */
  public void reset() {
    offset.set(Duration.ZERO);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the application's clock is UTC");
  }
}
