package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.engines.core.scope.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeterminismAndSettingsTests {

  /** Every detector kind, look-alikes that must not be flagged, and text around them. */
  private static final List<String> CORPUS =
      List.of(
          "Mail jane.doe@example.com or call +1 (212) 555-0143 about card 4111 1111 1111 1111.",
          "IBAN DE89 3704 0044 0532 0130 00, SSN 078-05-1120, host 192.168.10.7 and 2001:db8::8a2e:370:7334.",
          "Key AKIAIOSFODNN7EXAMPLE and https://admin:hunter2@db.example.org/x leaked; order 1234-5678 is no card.",
          "Nothing personal here, only 3.14 and version 10.0.0.1-beta.",
          "Ünïcödé name Zoë <zoe@bücher.example> wrote on 2026-01-02 from +44 20 7946 0958.");

  private static final String SECRET = "determinism-master-secret-of-at-least-32-bytes";
  private static final Scope SCOPE = Scope.of("t_determinism", "prod");

  @Test
  void redactWhenSameInputAndConfigurationInTwoFreshEnginesThenSameBytesSpansAndFlags() {
    for (Operator operator : Operator.values()) {
      RedactionPolicy policy =
          new RedactionPolicy(
              4,
              operator,
              Map.of(PiiTypes.CREDIT_CARD, Operator.TOKEN),
              new MaskSettings('*', 6, false));
      List<Redaction> first = run(policy);
      List<Redaction> second = run(policy);
      assertThat(second).as("operator %s", operator).isEqualTo(first);
      for (int i = 0; i < first.size(); i++) {
        assertThat(second.get(i).text().getBytes(StandardCharsets.UTF_8))
            .as("operator %s, text %d", operator, i)
            .isEqualTo(first.get(i).text().getBytes(StandardCharsets.UTF_8));
      }
      // Not vacuous: the corpus has PII and the policy changed it.
      assertThat(first.getFirst().flags().counts())
          .containsKeys(PiiTypes.CREDIT_CARD, PiiTypes.EMAIL_ADDRESS);
      assertThat(first.getFirst().text())
          .doesNotContain("jane.doe@example.com")
          .doesNotContain("4111 1111 1111 1111");
    }
  }

  /** Redacts the corpus with an engine and keys built from scratch, as a fresh process would. */
  private static List<Redaction> run(RedactionPolicy policy) {
    PiiEngine engine = new PiiEngine(PiiSettings.defaults().withTimeBudget(Duration.ofSeconds(20)));
    PiiKeys keys = DerivedPiiKeys.fromSecret(SECRET);
    PiiLists lists = PiiLists.of(Set.of("Zoë"), Set.of("Zoë Example"));
    List<Redaction> out = new ArrayList<>();
    for (String text : CORPUS) {
      out.add(engine.redact(text, policy, lists, keys, SCOPE));
    }
    return out;
  }

  @Test
  void settingsWhenNonPositiveCapOrBudgetThenIllegalArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PiiSettings.defaults().withMaxInputChars(0));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PiiSettings.defaults().withTimeBudget(Duration.ZERO));
  }

  @Test
  void listsWhenDenyTypeNotUpperSnakeThenIllegalArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PiiLists(Set.of(), Set.of("x"), "deny:list"));
    assertThatIllegalArgumentException().isThrownBy(() -> PiiLists.of(Set.of(""), Set.of()));
  }

  @Test
  void policyWhenVersionBelowOneThenIllegalArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RedactionPolicy(0, Operator.REPLACE, Map.of(), MaskSettings.all()));
  }
}
