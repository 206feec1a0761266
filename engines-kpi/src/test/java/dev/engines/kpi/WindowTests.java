package dev.engines.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The snapshot window {@code as_of − window_days ≤ observed_at < as_of}, and its split into whole
 * UTC days and hours (read from the rollups) and the partial hours at either end (read from the
 * observations), which must cover the window exactly once.
 */
class WindowTests {

  private static final Instant AS_OF = Instant.parse("2026-03-10T12:34:56.789012Z");
  private static final Duration MICRO = Duration.of(1, ChronoUnit.MICROS);

  @Test
  void containsWhenExactlyAtStartThenIncludedAndAtAsOfThenExcluded() {
    Window w = Window.of(AS_OF, 7);
    assertThat(w.start()).isEqualTo(Instant.parse("2026-03-03T12:34:56.789012Z"));
    assertThat(w.end()).isEqualTo(AS_OF);
    assertThat(w.contains(w.start())).as("as_of − window_days is inside").isTrue();
    assertThat(w.contains(w.start().minus(MICRO))).isFalse();
    assertThat(w.contains(AS_OF)).as("as_of itself is outside").isFalse();
    assertThat(w.contains(AS_OF.minus(MICRO))).isTrue();
  }

  @Test
  void ofWhenOneAndNinetyDaysThenAcceptedAsWholeDaysOfTwentyFourHours() {
    assertThat(Window.of(AS_OF, 1).start()).isEqualTo(Instant.parse("2026-03-09T12:34:56.789012Z"));
    // 90 × 24 h back, across the March DST change of many zones: UTC has none.
    assertThat(Window.of(AS_OF, 90).start())
        .isEqualTo(Instant.parse("2025-12-10T12:34:56.789012Z"));
    assertThat(Window.of(AS_OF, 90).days()).isEqualTo(90);
  }

  @Test
  void ofWhenOutsideOneToNinetyDaysThen400() {
    for (int days : new int[] {0, -1, 91}) {
      assertThatThrownBy(() -> Window.of(AS_OF, days))
          .isInstanceOf(EnginesException.class)
          .satisfies(e -> assertThat(((EnginesException) e).code()).isEqualTo("validation_failed"));
    }
  }

  @Test
  void ofWhenAsOfHasNanosecondsThenTruncatedToMicrosecondsAsPostgresqlStoresThem() {
    Window w = Window.of(Instant.parse("2026-03-10T12:00:00.123456789Z"), 1);
    assertThat(w.end()).isEqualTo(Instant.parse("2026-03-10T12:00:00.123456Z"));
  }

  @Test
  void hoursAndDaysWhenAsOfOffTheHourThenWholeDaysInsideWholeHoursAroundThemAndPartialEdges() {
    Window w = Window.of(AS_OF, 7);
    assertThat(w.hoursStart()).isEqualTo(Instant.parse("2026-03-03T13:00:00Z"));
    assertThat(w.daysStart()).isEqualTo(Instant.parse("2026-03-04T00:00:00Z"));
    assertThat(w.daysEnd()).isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
    assertThat(w.hoursEnd()).isEqualTo(Instant.parse("2026-03-10T12:00:00Z"));
    Window day = Window.of(AS_OF, 1);
    assertThat(day.daysStart())
        .as("one day off midnight: no whole day inside")
        .isEqualTo(day.daysEnd());
  }

  @Test
  void hoursAndDaysWhenAsOfAtMidnightThenNoPartialHourOrDayAtAll() {
    Window w = Window.of(Instant.parse("2026-03-10T00:00:00Z"), 1);
    assertThat(w.hoursStart()).isEqualTo(w.start());
    assertThat(w.daysStart()).isEqualTo(w.start());
    assertThat(w.daysEnd()).isEqualTo(w.end());
    assertThat(w.hoursEnd()).isEqualTo(w.end());
  }

  @Test
  void splitWhenAnyInstantNearTheEdgesThenCountedExactlyWhenTheWindowContainsIt() {
    Random random = new Random(42);
    for (Instant asOf :
        new Instant[] {
          AS_OF,
          Instant.parse("2026-03-10T12:00:00Z"),
          Instant.parse("2026-03-10T12:59:59.999999Z"),
          Instant.parse("2026-03-10T00:00:00Z"),
          Instant.parse("2026-03-10T00:00:00.000001Z")
        }) {
      for (int days : new int[] {1, 7, 90}) {
        Window w = Window.of(asOf, days);
        for (Instant edge :
            new Instant[] {
              w.start(), w.end(), w.hoursStart(), w.hoursEnd(), w.daysStart(), w.daysEnd()
            }) {
          for (int i = 0; i < 500; i++) {
            Instant t =
                edge.plus(
                    Duration.of(
                        random.nextLong(-90_000_000_000L, 90_000_000_000L), ChronoUnit.MICROS));
            assertThat(countedBySplit(w, t)).as("%s in %s", t, w).isEqualTo(w.contains(t) ? 1 : 0);
          }
          assertThat(countedBySplit(w, edge)).isEqualTo(w.contains(edge) ? 1 : 0);
          assertThat(countedBySplit(w, edge.minus(MICRO)))
              .isEqualTo(w.contains(edge.minus(MICRO)) ? 1 : 0);
        }
      }
    }
  }

  /**
   * How often the snapshot query counts an observation at {@code t}: via its day's rollup, its
   * hour's rollup, or as an edge row (the five branches of {@code Observations.sums}).
   */
  private static int countedBySplit(Window w, Instant t) {
    Instant day = t.truncatedTo(ChronoUnit.DAYS);
    Instant hour = t.truncatedTo(ChronoUnit.HOURS);
    int count = 0;
    count += within(day, w.daysStart(), w.daysEnd());
    count += within(hour, w.hoursStart(), w.daysStart());
    count += within(hour, w.daysEnd(), w.hoursEnd());
    count += within(t, w.start(), w.hoursStart());
    count += within(t, w.hoursEnd(), w.end());
    return count;
  }

  private static int within(Instant t, Instant from, Instant to) {
    return !t.isBefore(from) && t.isBefore(to) ? 1 : 0;
  }
}
