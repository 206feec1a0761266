package dev.engines.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterJobSettingsTests {

  @Test
  void settingsWhenNothingSetThenThirtySecondsAtLeastAndAnHourAtMost() {
    assertThat(ClusterJobSettings.defaults())
        .isEqualTo(new ClusterJobSettings(Duration.ofSeconds(30), Duration.ofHours(1)));
  }

  @Test
  void settingsWhenAtLeastNegativeOrAboveAnHourThenRefusedNamingTheProperty() {
    assertThatThrownBy(() -> new ClusterJobSettings(Duration.ofSeconds(-1), null))
        .hasMessageContaining("lock-at-least-for");
    assertThatThrownBy(() -> new ClusterJobSettings(Duration.ofMinutes(61), Duration.ofHours(2)))
        .hasMessageContaining("lock-at-least-for");
  }

  @Test
  void settingsWhenAtMostNotAboveAtLeastOrAboveADayThenRefusedNamingTheProperty() {
    assertThatThrownBy(() -> new ClusterJobSettings(Duration.ofMinutes(5), Duration.ofMinutes(5)))
        .hasMessageContaining("lock-at-most-for");
    assertThatThrownBy(() -> new ClusterJobSettings(null, Duration.ofDays(2)))
        .hasMessageContaining("lock-at-most-for");
  }
}
