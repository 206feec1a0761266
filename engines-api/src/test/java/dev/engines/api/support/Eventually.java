package dev.engines.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what another thread or instance makes true, within a bound that fails the test. */
public final class Eventually {

  /** Long enough for a loaded CI machine; a condition that never holds fails after it. */
  public static final Duration BOUND = Duration.ofSeconds(15);

  private Eventually() {}

  /** Returns once {@code condition} holds; fails naming {@code what} past {@link #BOUND}. */
  public static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
