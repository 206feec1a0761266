package dev.engines.core.gdpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubjectIdentifiersTests {

  @Test
  void ofWhenEmailAndPhoneThenNormalised() {
    SubjectIdentifiers ids =
        SubjectIdentifiers.of(
            Map.of("email", "  Ana.B@Example.COM ", "phone", "+44 (20) 7946-0958"));
    assertThat(ids.get("email")).isEqualTo("ana.b@example.com");
    assertThat(ids.get("phone")).isEqualTo("+442079460958");
  }

  @Test
  void toStringWhenPrintedThenNamesKindsOnly() {
    assertThat(SubjectIdentifiers.of(Map.of("email", "ana@example.com")).toString())
        .isEqualTo("SubjectIdentifiers[email]");
  }

  @Test
  void ofWhenUnknownKindOrEmptyThenRefused() {
    assertThatThrownBy(() -> SubjectIdentifiers.of(Map.of("ssn", "1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubjectIdentifiers.of(Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubjectIdentifiers.of(Map.of("email", " ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ofWhenPhoneHoldsNoDigitThenRefused() {
    // Guards against "n/a" and "+-" becoming one shared subject.
    assertThatThrownBy(() -> SubjectIdentifiers.of(Map.of("phone", "n/a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubjectIdentifiers.of(Map.of("phone", "+-")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
