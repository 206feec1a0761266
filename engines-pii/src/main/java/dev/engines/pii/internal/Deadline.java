package dev.engines.pii.internal;

import dev.engines.pii.PiiUnavailableException;

/** The time budget of one analysis; scanners call {@link #check()} between bounded steps. */
public final class Deadline {

  private final long budgetNanos;
  private final long startNanos;

  private Deadline(long budgetNanos) {
    this.budgetNanos = budgetNanos;
    this.startNanos = System.nanoTime();
  }

  /** A deadline that ends {@code budgetNanos} from now. */
  public static Deadline in(long budgetNanos) {
    return new Deadline(budgetNanos);
  }

  /** Throws {@link PiiUnavailableException} (503) once the budget is spent. */
  public void check() {
    if (System.nanoTime() - startNanos > budgetNanos) {
      throw PiiUnavailableException.timedOut(budgetNanos / 1_000_000);
    }
  }
}
