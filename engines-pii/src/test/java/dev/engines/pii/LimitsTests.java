package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LimitsTests {

  private static final String SECRET = "4111 1111 1111 1111";

  @Test
  void analyzeWhenInputOverCapThenTooLargeWithoutText() {
    PiiEngine engine = new PiiEngine(PiiSettings.defaults().withMaxInputChars(32));
    assertThatThrownBy(
            () -> engine.analyze("card " + SECRET + " and more text here", PiiLists.none()))
        .isInstanceOfSatisfying(
            PiiUnavailableException.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.code()).isEqualTo("pii_input_too_large");
            })
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void analyzeWhenTimeBudgetSpentThenUnavailable() {
    PiiEngine engine = new PiiEngine(PiiSettings.defaults().withTimeBudget(Duration.ofNanos(1)));
    assertThatThrownBy(
            () ->
                engine.analyze(
                    ("call +44 20 7946 0481 " + SECRET + " ").repeat(2000), PiiLists.none()))
        .isInstanceOfSatisfying(
            PiiUnavailableException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("pii_unavailable");
            })
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void redactForLogWhenTimeBudgetSpentThenMarkerNotText() {
    PiiEngine engine = new PiiEngine(PiiSettings.defaults().withTimeBudget(Duration.ofNanos(1)));
    assertThat(engine.redactForLog(("card " + SECRET + " ").repeat(2000)))
        .isEqualTo(PiiEngine.UNAVAILABLE_MARKER);
  }

  @Test
  void redactForLogWhenOverCapThenMarker() {
    PiiEngine engine = new PiiEngine(PiiSettings.defaults().withMaxInputChars(8));
    assertThat(engine.redactForLog("card " + SECRET)).isEqualTo(PiiEngine.UNAVAILABLE_MARKER);
    assertThat(engine.redactForLog(null)).isNull();
  }

  @Test
  void redactForLogWhenPiiThenReplaced() {
    assertThat(Engines.ENGINE.redactForLog("login ok user=bob@example.com ip=10.1.2.3"))
        .isEqualTo("login ok user=<EMAIL_ADDRESS> ip=<IP_ADDRESS>");
  }

  @Test
  @Timeout(60)
  void analyzeWhenPathologicalInputsThenBoundedTimeAndNeverTextOnFailure() {
    // Each input either completes or fails closed at the default 2 s budget; none runs unbounded.
    PiiEngine engine = new PiiEngine(PiiSettings.defaults());
    int size = 1 << 20;
    String[] inputs = {
      "7".repeat(size),
      "@".repeat(size),
      "a@".repeat(size / 2),
      " -".repeat(size / 2),
      "1 ".repeat(size / 2),
      ":".repeat(size),
      "1a:".repeat(size / 3),
      "eyJ".repeat(size / 3),
      "-----BEGIN RSA PRIVATE KEY-----".repeat(size / 32),
      "AKIA".repeat(size / 4),
    };
    for (String input : inputs) {
      long start = System.nanoTime();
      try {
        engine.analyze(input, PiiLists.none());
      } catch (PiiUnavailableException e) {
        assertThat(e.code()).isEqualTo(PiiUnavailableException.UNAVAILABLE);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }
}
