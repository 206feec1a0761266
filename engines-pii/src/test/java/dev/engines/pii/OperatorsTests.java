package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OperatorsTests {

  private static final PiiKeys KEYS =
      DerivedPiiKeys.fromSecret("test-master-secret-of-at-least-32-bytes!");
  private static final Scope ACME = Scope.of("t_acme", "prod");
  private static final Scope OTHER = Scope.of("t_other", "prod");
  private static final String TEXT = "Mail jane.doe@example.com, card 4111 1111 1111 1111.";

  private static Redaction redact(RedactionPolicy policy, Scope scope) {
    return Engines.ENGINE.redact(TEXT, policy, PiiLists.none(), KEYS, scope);
  }

  private static RedactionPolicy all(Operator operator) {
    return new RedactionPolicy(3, operator, Map.of(), new MaskSettings('#', 4, true));
  }

  @Test
  void redactWhenDefaultPolicyThenReplaceWithTypeAndFlags() {
    Redaction r = redact(RedactionPolicy.defaults(), ACME);
    assertThat(r.text()).isEqualTo("Mail <EMAIL_ADDRESS>, card <CREDIT_CARD>.");
    assertThat(r.flags().counts())
        .containsExactly(Map.entry("CREDIT_CARD", 1), Map.entry("EMAIL_ADDRESS", 1));
    assertThat(r.flags().policyVersion()).isEqualTo(1);
    assertThat(r.flags().trainOk()).isFalse();
  }

  @Test
  void redactWhenNothingFoundThenTrainOk() {
    Redaction r =
        Engines.ENGINE.redact(
            "nothing to see", RedactionPolicy.defaults(), PiiLists.none(), KEYS, ACME);
    assertThat(r.text()).isEqualTo("nothing to see");
    assertThat(r.flags().trainOk()).isTrue();
  }

  @Test
  void redactWhenRedactThenRemoved() {
    assertThat(redact(all(Operator.REDACT), ACME).text()).isEqualTo("Mail , card .");
  }

  @Test
  void redactWhenMaskFromEndThenLastCharsMasked() {
    assertThat(redact(all(Operator.MASK), ACME).text())
        .isEqualTo("Mail jane.doe@example####, card 4111 1111 1111 ####.");
  }

  @Test
  void redactWhenPerTypeOperatorThenOverridesDefault() {
    RedactionPolicy policy =
        new RedactionPolicy(
            2, Operator.REPLACE, Map.of(PiiTypes.CREDIT_CARD, Operator.REDACT), MaskSettings.all());
    assertThat(redact(policy, ACME).text()).isEqualTo("Mail <EMAIL_ADDRESS>, card .");
  }

  @Test
  void redactWhenHmacThenStablePerKeyAndDifferentAcrossTenants() {
    String first = redact(all(Operator.HMAC), ACME).text();
    assertThat(first)
        .matches("Mail <EMAIL_ADDRESS:hmac:[0-9a-f]{16}>, card <CREDIT_CARD:hmac:[0-9a-f]{16}>\\.");
    assertThat(redact(all(Operator.HMAC), ACME).text()).isEqualTo(first);
    assertThat(redact(all(Operator.HMAC), OTHER).text()).isNotEqualTo(first);
  }

  @Test
  void redactWhenTokenThenDeterministicAndReidentifiable() {
    String first = redact(all(Operator.TOKEN), ACME).text();
    assertThat(redact(all(Operator.TOKEN), ACME).text()).isEqualTo(first);
    Matcher m = Pattern.compile("<EMAIL_ADDRESS:tok:[A-Za-z0-9_-]+>").matcher(first);
    assertThat(m.find()).isTrue();
    assertThat(Engines.ENGINE.reidentify(m.group(), KEYS, ACME)).isEqualTo("jane.doe@example.com");
  }

  @Test
  void reidentifyWhenOtherTenantThenRefused() {
    Matcher m =
        Pattern.compile("<CREDIT_CARD:tok:[A-Za-z0-9_-]+>")
            .matcher(redact(all(Operator.TOKEN), ACME).text());
    assertThat(m.find()).isTrue();
    assertThatThrownBy(() -> Engines.ENGINE.reidentify(m.group(), KEYS, OTHER))
        .isInstanceOfSatisfying(
            EnginesException.class, e -> assertThat(e.code()).isEqualTo("pii_token_invalid"))
        .hasMessageNotContaining("4111");
  }

  @Test
  void reidentifyWhenTypeAlteredThenRefused() {
    Matcher m =
        Pattern.compile("<CREDIT_CARD:tok:([A-Za-z0-9_-]+)>")
            .matcher(redact(all(Operator.TOKEN), ACME).text());
    assertThat(m.find()).isTrue();
    assertThatThrownBy(
            () -> Engines.ENGINE.reidentify("<PHONE_NUMBER:tok:" + m.group(1) + ">", KEYS, ACME))
        .isInstanceOf(EnginesException.class);
  }

  @Test
  void redactWhenRunTwiceThenSameBytes() {
    String text = "x 10.0.0.1 +44 20 7946 0481 AKIAIOSFODNN7EXAMPLE y";
    assertThat(Engines.ENGINE.redact(text, all(Operator.HMAC), PiiLists.none(), KEYS, ACME))
        .isEqualTo(Engines.ENGINE.redact(text, all(Operator.HMAC), PiiLists.none(), KEYS, ACME));
  }

  /**
   * Subject keys in a map, standing in for the database-backed ones; removing one is an erasure.
   */
  private static final class MapSubjectKeys implements PiiKeys {
    final Map<String, SubjectKey> bySubject = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public byte[] hmacKey(Scope scope) {
      return KEYS.hmacKey(scope);
    }

    @Override
    public com.google.crypto.tink.DeterministicAead tokenAead(Scope scope) {
      return KEYS.tokenAead(scope);
    }

    @Override
    public java.util.Optional<SubjectKey> subjectKey(Scope scope, String type, String value) {
      if (!type.equals(PiiTypes.EMAIL_ADDRESS)) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          bySubject.computeIfAbsent(
              value.toLowerCase(java.util.Locale.ROOT),
              v ->
                  new SubjectKey(
                      "sk_"
                          + "abcdefghijklmnopqrstuvwxyz".substring(0, 25)
                          + (char) ('a' + bySubject.size()),
                      dev.engines.pii.internal.Crypto.aesSiv(
                          dev.engines.pii.internal.Crypto.randomBytes(64)))));
    }

    @Override
    public SubjectKey subjectKeyById(Scope scope, String keyId) {
      return bySubject.values().stream()
          .filter(k -> k.keyId().equals(keyId))
          .findFirst()
          .orElseThrow(PiiTokenProblems::subjectErased);
    }
  }

  @Test
  void tokenWhenValueIdentifiesASubjectThenSubjectKeyIdInTokenAndOtherValuesUseTheTenantKey() {
    MapSubjectKeys keys = new MapSubjectKeys();
    String out =
        Engines.ENGINE.redact(TEXT, all(Operator.TOKEN), PiiLists.none(), keys, ACME).text();
    Matcher m =
        Pattern.compile(
                "Mail (<EMAIL_ADDRESS:tok:(sk_[a-z]{26}):[A-Za-z0-9_-]+>), card (<CREDIT_CARD:tok:[A-Za-z0-9_-]+>)\\.")
            .matcher(out);
    assertThat(m.matches()).as(out).isTrue();
    assertThat(Engines.ENGINE.redact(TEXT, all(Operator.TOKEN), PiiLists.none(), keys, ACME).text())
        .isEqualTo(out);
    assertThat(Engines.ENGINE.reidentify(m.group(1), keys, ACME)).isEqualTo("jane.doe@example.com");
    assertThat(Engines.ENGINE.reidentify(m.group(3), keys, ACME)).isEqualTo("4111 1111 1111 1111");
    assertThatThrownBy(() -> Engines.ENGINE.reidentify(m.group(1), KEYS, ACME))
        .as("keys without subject keys do not know the key id")
        .isInstanceOfSatisfying(
            EnginesException.class, e -> assertThat(e.code()).isEqualTo("pii_token_invalid"));

    keys.bySubject.clear();
    assertThatThrownBy(() -> Engines.ENGINE.reidentify(m.group(1), keys, ACME))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(410);
              assertThat(e.code()).isEqualTo("subject_erased");
              assertThat(e.getMessage()).doesNotContain("jane");
            });
    assertThat(Engines.ENGINE.reidentify(m.group(3), keys, ACME)).isEqualTo("4111 1111 1111 1111");
  }

  @Test
  void reidentifyWhenSubjectTokenMovedToAnotherKeyIdThenRefused() {
    MapSubjectKeys keys = new MapSubjectKeys();
    String jane =
        Engines.ENGINE
            .redact("jane.doe@example.com", all(Operator.TOKEN), PiiLists.none(), keys, ACME)
            .text();
    String ana =
        Engines.ENGINE
            .redact("ana@example.com", all(Operator.TOKEN), PiiLists.none(), keys, ACME)
            .text();
    String janeId = jane.substring(19, 48);
    String anaId = ana.substring(19, 48);
    assertThatThrownBy(() -> Engines.ENGINE.reidentify(jane.replace(janeId, anaId), keys, ACME))
        .isInstanceOfSatisfying(
            EnginesException.class, e -> assertThat(e.code()).isEqualTo("pii_token_invalid"));
  }
}
