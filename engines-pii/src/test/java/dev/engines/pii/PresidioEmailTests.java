package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Presidio's test_email_recognizer.py cases, then this engine's own e-mail rules. */
class PresidioEmailTests {

  @Test
  void analyzeWhenBareAddressThenEmail() {
    assertThat(Engines.found("info@presidio.site", PiiTypes.EMAIL_ADDRESS)).containsExactly("0 18");
  }

  @Test
  void analyzeWhenAddressInSentenceThenEmailAtOffset() {
    assertThat(Engines.found("my email address is info@presidio.site", PiiTypes.EMAIL_ADDRESS))
        .containsExactly("20 38");
  }

  @Test
  void analyzeWhenTwoAddressesThenBoth() {
    assertThat(
            Engines.found(
                "try one of these emails: info@presidio.site or anotherinfo@presidio.site",
                PiiTypes.EMAIL_ADDRESS))
        .containsExactly("25 43", "47 72");
  }

  @Test
  void analyzeWhenNoTopLevelDomainThenNoEmail() {
    assertThat(Engines.found("my email is info@presidio.", PiiTypes.EMAIL_ADDRESS)).isEmpty();
  }

  @Test
  void analyzeWhenKeyValuePairThenEmailExcludesKey() {
    assertThat(Engines.found("user=igarcia@post.example.de ip", PiiTypes.EMAIL_ADDRESS))
        .containsExactly("5 28");
  }

  @Test
  void analyzeWhenPlusTagAndTrailingDotThenEmailWithoutDot() {
    assertThat(Engines.found("Write to Kenji+billing@mail.example.org.", PiiTypes.EMAIL_ADDRESS))
        .containsExactly("9 39");
  }

  @Test
  void analyzeWhenAtSignWithoutDomainThenNoEmail() {
    assertThat(Engines.found("@channel ping a@b and @@ and x@localhost")).isEmpty();
  }
}
