package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Presidio's test_us_ssn_recognizer.py cases, then this engine's own SSN rules. */
class PresidioUsSsnTests {

  @ParameterizedTest
  @ValueSource(strings = {"078-05-1123", "078.05.1123", "078 05 1123"})
  void analyzeWhenDelimitedSsnThenUsSsn(String text) {
    assertThat(Engines.found(text, PiiTypes.US_SSN)).containsExactly("0 11");
  }

  @Test
  void analyzeWhenNineBareDigitsWithoutContextThenNoUsSsn() {
    // Presidio flags "078051121" weakly; a lone nine-digit number is more often an id, so it needs
    // context here.
    assertThat(Engines.found("078051121", PiiTypes.US_SSN)).isEmpty();
    assertThat(Engines.found("SSN 078051121", PiiTypes.US_SSN)).containsExactly("4 13");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0780511201",
        "078051120",
        "000000000",
        "666000000",
        "078-05-0000",
        "078 00 1123",
        "693-09.4444"
      })
  void analyzeWhenInvalidSsnThenNoUsSsn(String text) {
    assertThat(Engines.found("ssn " + text, PiiTypes.US_SSN)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "999-12-3456",
        "123-00-4567",
        "123-45-0000",
        "111-11-1111",
        "123-45-6789"
      })
  void analyzeWhenSsaRulesBrokenThenNoUsSsn(String ssn) {
    // Area 900-999 is also rejected here (Presidio accepts it): the SSA never issues it, ITINs live
    // there.
    assertThat(Engines.found("SSN: " + ssn, PiiTypes.US_SSN)).isEmpty();
  }

  @Test
  void analyzeWhenSsnContextThenScoreRaised() {
    assertThat(Engines.ENGINE.analyze("Employee SSN: 025-58-2090.", PiiLists.none()))
        .containsExactly(new PiiSpan(PiiTypes.US_SSN, 14, 25, 0.95));
  }

  @Test
  void analyzeWhenSsnShapeInsideLongerNumberThenNoUsSsn() {
    assertThat(Engines.found("078-05-1123-44 and 1-078-05-1123", PiiTypes.US_SSN)).isEmpty();
  }
}
