package dev.engines.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionSettingsTests {

  @Test
  void defaultsWhenNothingSetThenDocumentedValues() {
    SessionSettings settings = SessionSettings.defaults();
    assertThat(settings.maxTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(settings.maxTurns()).isEqualTo(10_000);
    assertThat(settings.sweepCron()).isEqualTo("0 */5 * * * *");
    assertThat(settings.sweepEnabled()).isTrue();
    assertThat(settings.isSweepCronValid()).isTrue();
    assertThat(settings.isMaxTtlValid()).isTrue();
  }

  @Test
  void validationWhenCronMalformedOrTtlOutOfRangeThenInvalid() {
    assertThat(new SessionSettings(null, 0, 0, 0, "every minute", 0, null).isSweepCronValid())
        .isFalse();
    assertThat(new SessionSettings(null, 0, 0, 0, "-", 0, null).sweepEnabled()).isFalse();
    assertThat(new SessionSettings(Duration.ofSeconds(59), 0, 0, 0, null, 0, null).isMaxTtlValid())
        .isFalse();
    assertThat(
            new SessionSettings(null, 0, 0, 0, null, 0, Duration.ofMinutes(5))
                .isTombstoneRetentionValid())
        .isFalse();
  }
}
