package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Presidio's test_credit_card_recognizer.py cases, then this engine's own card rules. */
class PresidioCreditCardTests {

  @Test
  void analyzeWhenCompactDashedAndSpacedCardsThenAllThree() {
    assertThat(
            Engines.found(
                "4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881", PiiTypes.CREDIT_CARD))
        .containsExactly("0 16", "17 36", "37 56");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "122000000000003", "371449635398431", "5555555555554444", "5019717010103742",
            "30569309025904",
        "6011000400000000", "3528000700000000", "6759649826438453", "4111111111111111",
            "4917300800000000",
        "4484070000000000"
      })
  void analyzeWhenValidIssuerNumberThenCreditCardWithMaxScore(String number) {
    List<PiiSpan> spans = Engines.ENGINE.analyze(number, PiiLists.none());
    assertThat(spans).containsExactly(new PiiSpan(PiiTypes.CREDIT_CARD, 0, number.length(), 1.0));
  }

  @Test
  void analyzeWhenCardAfterContextThenFoundAtOffset() {
    assertThat(Engines.found("my credit card: 122000000000003", PiiTypes.CREDIT_CARD))
        .containsExactly("16 31");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4012-8888-8888-1882",
        "my credit card number is 4012-8888-8888-1882",
        "36168002586008",
        "my credit card number is 36168002586008"
      })
  void analyzeWhenLuhnFailsThenNoCreditCard(String text) {
    assertThat(Engines.found(text, PiiTypes.CREDIT_CARD)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2221000000000009", "2720992720992729", "2223 0031 2200 3222"})
  void analyzeWhenMastercardTwoSeriesThenCreditCard(String number) {
    assertThat(Engines.found(number, PiiTypes.CREDIT_CARD)).hasSize(1);
  }

  @Test
  void analyzeWhenMillisecondTimestampThenNoCreditCard() {
    // 13 digits starting with 1 pass Luhn one time in ten; no issuer issues 13-digit cards there.
    assertThat(Engines.found("ts=1728909123692 and 1728909123698")).isEmpty();
  }

  @Test
  void analyzeWhenSeparatorsMixedThenNoCreditCard() {
    assertThat(Engines.found("4012-8888 8888-1881", PiiTypes.CREDIT_CARD)).isEmpty();
  }

  @Test
  void analyzeWhenCardInsideLongerDigitSequenceThenNoCreditCard() {
    assertThat(Engines.found("4012 8888 8888 1881 1234", PiiTypes.CREDIT_CARD)).isEmpty();
    assertThat(Engines.found("x4012888888881881", PiiTypes.CREDIT_CARD)).isEmpty();
    assertThat(Engines.found("0.4012888888881881", PiiTypes.CREDIT_CARD)).isEmpty();
  }

  @Test
  void analyzeWhenAmexGroupedFourSixFiveThenCreditCard() {
    assertThat(Engines.found("amex 3782 822463 10005.", PiiTypes.CREDIT_CARD))
        .containsExactly("5 22");
  }
}
