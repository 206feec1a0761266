package dev.engines.pii.gdpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.scope.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataSubjectsTests {

  private final DataSubjects subjects =
      new DataSubjects("s".repeat(32).getBytes(StandardCharsets.UTF_8));

  @Test
  void pseudonymWhenSameIdentifierAndTenantThenStableAndOpaque() {
    String one = subjects.pseudonym(TenantId.of("t_a"), "email", "ana@example.com");
    assertThat(subjects.pseudonym(TenantId.of("t_a"), "email", "ana@example.com")).isEqualTo(one);
    assertThat(one).matches("ds_[0-9a-f]{32}").doesNotContain("ana");
  }

  @Test
  void pseudonymWhenOtherTenantOrKindThenUnrelated() {
    String one = subjects.pseudonym(TenantId.of("t_a"), "email", "ana@example.com");
    assertThat(subjects.pseudonym(TenantId.of("t_b"), "email", "ana@example.com"))
        .isNotEqualTo(one);
    assertThat(subjects.pseudonym(TenantId.of("t_a"), "phone", "ana@example.com"))
        .isNotEqualTo(one);
  }

  @Test
  void pseudonymsWhenIdentifiersNormaliseAlikeThenSame() {
    assertThat(
            subjects.pseudonyms(
                TenantId.of("t_a"), SubjectIdentifiers.of(Map.of("email", "Ana@Example.com "))))
        .isEqualTo(
            subjects.pseudonyms(
                TenantId.of("t_a"), SubjectIdentifiers.of(Map.of("email", "ana@example.com"))));
  }

  @Test
  void constructorWhenSecretShortThenRefused() {
    assertThatThrownBy(() -> new DataSubjects(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void subjectOfWhenEmailOrPhoneThenTheGdprPseudonymOfThatIdentifier() {
    TenantId t = TenantId.of("t_a");
    assertThat(subjects.subjectOf(t, "EMAIL_ADDRESS", "Ana@Example.com"))
        .contains(
            subjects
                .pseudonyms(t, SubjectIdentifiers.of(Map.of("email", "ana@example.com")))
                .get(0));
    assertThat(subjects.subjectOf(t, "PHONE_NUMBER", "+1 (415) 555-0132"))
        .contains(
            subjects.pseudonyms(t, SubjectIdentifiers.of(Map.of("phone", "+14155550132"))).get(0));
  }

  @Test
  void subjectOfWhenTypeIdentifiesNoSubjectOrValueIsNoIdentifierThenEmpty() {
    TenantId t = TenantId.of("t_a");
    assertThat(subjects.subjectOf(t, "CREDIT_CARD", "4111 1111 1111 1111")).isEmpty();
    assertThat(subjects.subjectOf(t, "DENY_LIST", "Project Zephyr")).isEmpty();
    assertThat(subjects.subjectOf(t, "EMAIL_ADDRESS", "a".repeat(321) + "@x.example")).isEmpty();
  }
}
