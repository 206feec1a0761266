package dev.engines.kpi;

import dev.engines.core.error.EnginesException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A snapshot's window: the {@code days} days (of 24 hours) that end at {@code end} ({@code as_of}),
 * {@code start ≤ observed_at < end}. Times are at microsecond precision, as PostgreSQL stores them.
 *
 * <p>The sums come from places that split the window exactly: the whole UTC days inside it ({@link
 * #daysStart()} to {@link #daysEnd()}) from the daily rollups, the whole UTC hours around them
 * ({@link #hoursStart()} to {@code daysStart}, {@code daysEnd} to {@link #hoursEnd()}) from the
 * hourly rollups, and the parts of an hour at either end from the observations themselves. A window
 * is at least a day long, so {@code start ≤ hoursStart ≤ daysStart ≤ daysEnd ≤ hoursEnd ≤ end}.
 */
public record Window(Instant start, Instant end, int days) {

  public static final int DEFAULT_DAYS = 7;
  public static final int MAX_DAYS = 90;

  /**
   * The window of {@code days} days ending at {@code asOf}; 400 {@code validation_failed} outside
   * 1..90.
   */
  public static Window of(Instant asOf, int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw EnginesException.validation(
          "window_days must be an integer from 1 to " + MAX_DAYS + ".");
    }
    Instant end = asOf.truncatedTo(ChronoUnit.MICROS);
    return new Window(end.minus(Duration.ofDays(days)), end, days);
  }

  /** Whether an observation at {@code observedAt} counts. */
  public boolean contains(Instant observedAt) {
    return !observedAt.isBefore(start) && observedAt.isBefore(end);
  }

  /** The first whole UTC hour inside the window: {@code start} rounded up to the hour. */
  public Instant hoursStart() {
    Instant floor = start.truncatedTo(ChronoUnit.HOURS);
    return floor.equals(start) ? start : floor.plus(Duration.ofHours(1));
  }

  /** The end of the last whole UTC hour inside the window: {@code end} rounded down to the hour. */
  public Instant hoursEnd() {
    return end.truncatedTo(ChronoUnit.HOURS);
  }

  /** The first whole UTC day inside the window: {@code start} rounded up to midnight. */
  public Instant daysStart() {
    Instant floor = start.truncatedTo(ChronoUnit.DAYS);
    return floor.equals(start) ? start : floor.plus(Duration.ofDays(1));
  }

  /** The end of the last whole UTC day inside the window: {@code end} rounded down to midnight. */
  public Instant daysEnd() {
    return end.truncatedTo(ChronoUnit.DAYS);
  }
}
