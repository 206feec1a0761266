package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Presidio's test_phone_recognizer.py cases, then this engine's own phone rules. */
class PresidioPhoneTests {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      My US number is (415) 555-0132, and my international one is +1 415 555 0132 | 16 30,60 75
      My Israeli number is 09-7625400                                             | 21 31
      _: (415)555-0132                                                            | 3 16
      United States: (415)555-0132                                                | 15 28
      US: 415-555-0132                                                            | 4 16
      _: +55 11 98456 5666                                                        | 3 20
      Brazil: +55 11 98456 5666                                                   | 8 25
      BR: +55 11 98456 5666                                                       | 4 21
      """)
  void analyzeWhenPresidioPhoneThenFound(String text, String expected) {
    assertThat(Engines.found(text, PiiTypes.PHONE_NUMBER)).containsExactly(expected.split(","));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01 54 65 41 18",
        "(312) 234-2157",
        "020 7946 0010",
        "030 7278414",
        "+44 7800 363804",
        "+33 6 87 93 78 67",
        "+49 89 2498213",
        "+1-206-387-8460"
      })
  void analyzeWhenNationalOrInternationalFormatThenPhone(String number) {
    assertThat(Engines.found("call " + number + " today", PiiTypes.PHONE_NUMBER))
        .containsExactly("5 " + (5 + number.length()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ts=1728909123692", "build v2.14.20", "ref bb570232010b",
            "request d53fb03b-9b90-d339-60e1-dfe62090b927",
        "ip=192.155.208.80", "2026-03-11T10:52:00Z",
            "Invalid card number rejected: 4903-4792-4124-4061.", "order 1234"
      })
  void analyzeWhenIdsTimestampsOrCardShapesThenNoPhone(String text) {
    assertThat(Engines.found(text, PiiTypes.PHONE_NUMBER)).isEmpty();
  }

  /**
   * Guards against dotted quads that are no valid IPv4 address (an octet over 255) read as phone
   * numbers.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "host 300.12.45.1",
        "host 192.168.300.4",
        "srv 512.18.44.101 timed out",
        "connect to 300.12.45.1:8080 failed",
        "route 300.12.45.1/24",
        "range 300.1.1.1 - 300.1.1.9",
        "host 987.654.32.10",
        "call 300.12.45.1",
        "about 9.876.543.210 rows"
      })
  void analyzeWhenDottedQuadIsNoValidIpv4ThenNoPhone(String text) {
    assertThat(Engines.found(text, PiiTypes.PHONE_NUMBER)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "617.253.1212",
        "1.800.555.1212",
        "01.98.80.69.75",
        "02.123.45.67",
        "030.901.82.045"
      })
  void analyzeWhenDottedNumberIsNoQuadOrStartsWithTrunkPrefixThenPhone(String number) {
    assertThat(Engines.found("call " + number + " today", PiiTypes.PHONE_NUMBER))
        .containsExactly("5 " + (5 + number.length()));
  }

  @Test
  void settingsWhenUnknownRegionThenIllegalArgumentNamingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PiiSettings.defaults().withPhoneRegions(List.of("US", "XQ")))
        .withMessageContaining("XQ");
  }

  @Test
  void analyzeWhenRegionNotConfiguredThenNationalNumberNotFound() {
    PiiEngine usOnly = new PiiEngine(PiiSettings.defaults().withPhoneRegions(List.of("US")));
    assertThat(usOnly.analyze("tel 01 54 65 41 18", PiiLists.none())).isEmpty();
    assertThat(usOnly.analyze("tel +33 1 54 65 41 18", PiiLists.none())).hasSize(1);
  }
}
