package dev.engines.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.Scope;
import dev.engines.tenant.internal.Validation;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of engines-tenant that need no database: the one rank rule for managing principals, the
 * input checks of members, and the API key token format. Their use through HTTP is covered by the
 * engines-api integration tests. No Spring, no database.
 */
class TenancyRulesTests {

  private static final Scope SCOPE = Scope.of("t_acme", "dev");

  @ParameterizedTest
  @EnumSource(Role.class)
  void rankRuleWhenOwnerManagesThenEveryRankIsAllowed(Role target) {
    assertThatCode(() -> Members.requireManages(caller(Role.OWNER), target))
        .doesNotThrowAnyException();
  }

  @Test
  void rankRuleWhenAdminManagesThenOnlyTheRanksBelowAdmin() {
    assertThatCode(() -> Members.requireManages(caller(Role.ADMIN), Role.MEMBER))
        .doesNotThrowAnyException();
    assertThatCode(() -> Members.requireManages(caller(Role.ADMIN), Role.VIEWER))
        .doesNotThrowAnyException();
    assertForbidden(Role.ADMIN, Role.ADMIN);
    assertForbidden(Role.ADMIN, Role.OWNER);
  }

  @ParameterizedTest
  @EnumSource(
      value = Role.class,
      names = {"MEMBER", "VIEWER"})
  void rankRuleWhenMemberOrViewerManagesThenNobody(Role callerRole) {
    for (Role target : Role.values()) {
      assertForbidden(callerRole, target);
    }
  }

  @Test
  void emailWhenWellFormedThenAcceptedElseValidationFailed() {
    assertThat(Validation.email("ada@example.org")).isEqualTo("ada@example.org");
    for (String bad :
        new String[] {
          null,
          "",
          "ada",
          "ada@example",
          "a da@example.org",
          "a@b@example.org",
          "x".repeat(65) + "@example.org"
        }) {
      assertThatThrownBy(() -> Validation.email(bad))
          .as("%s", bad)
          .isInstanceOfSatisfying(
              EnginesException.class, e -> assertThat(e.code()).isEqualTo("validation_failed"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "line\nbreak", "tab\there"})
  void textWhenBlankOrWithControlCharactersThenValidationFailed(String value) {
    assertThatThrownBy(() -> Validation.text("display_name", value, 200))
        .isInstanceOf(EnginesException.class);
  }

  @Test
  void textWhenLongerThanTheMaximumThenValidationFailed() {
    assertThat(Validation.text("display_name", "x".repeat(200), 200)).hasSize(200);
    assertThatThrownBy(() -> Validation.text("display_name", "x".repeat(201), 200))
        .isInstanceOf(EnginesException.class);
  }

  @Test
  void idpWhenIssuerAndSubjectNotTogetherThenValidationFailed() {
    assertThatCode(() -> Validation.idp(null, null)).doesNotThrowAnyException();
    assertThatCode(() -> Validation.idp("https://idp.example", "sub-1")).doesNotThrowAnyException();
    assertThatThrownBy(() -> Validation.idp("https://idp.example", null))
        .isInstanceOf(EnginesException.class);
    assertThatThrownBy(() -> Validation.idp(null, "sub-1")).isInstanceOf(EnginesException.class);
  }

  @Test
  void tokenWhenBuiltThenPrefixPublicIdAndSecretAndOnlyTheSecretIsHashed() {
    String token = ApiKeys.token("ak_0123456789abcdef", "s".repeat(32));
    assertThat(token).isEqualTo("eng_0123456789abcdef_" + "s".repeat(32));
    // SHA-256 of the secret alone: the stored hash never depends on the public key id.
    assertThat(HexFormat.of().formatHex(ApiKeys.hash("abc")))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  private static void assertForbidden(Role callerRole, Role target) {
    assertThatThrownBy(() -> Members.requireManages(caller(callerRole), target))
        .as("%s manages %s", callerRole, target)
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code()).isEqualTo("forbidden_role");
            });
  }

  private static Caller caller(Role role) {
    return new Caller(SCOPE, Caller.ActorType.USER, "u_caller", null, null, role);
  }
}
