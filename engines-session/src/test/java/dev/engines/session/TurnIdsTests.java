package dev.engines.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.ids.IdKeys;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import org.junit.jupiter.api.Test;

class TurnIdsTests {

  private static final IdKeys KEYS = IdKeys.fromSecret("turn-ids-test-secret-0123456789abcdef");
  private static final Scope SCOPE = Scope.of("t_acme", "dev");
  private static final String USER = "u_aaaaaaaaaaaaaaaaaaaaaaaaaa";

  @Test
  void turnIdWhenSameTurnThenSameIdOfTheDocumentedShape() {
    String sha = Ids.sha256Hex("Call me at +1 415 555 0100");
    String id = TurnIds.turnId(KEYS, SCOPE, USER, "s1", 1, "user", sha);
    assertThat(id)
        .matches(TurnIds.PATTERN)
        .isEqualTo(TurnIds.turnId(KEYS, SCOPE, USER, "s1", 1, "user", sha));
  }

  @Test
  void turnIdWhenAnyPartDiffersThenAnotherId() {
    String sha = Ids.sha256Hex("hello");
    String id = TurnIds.turnId(KEYS, SCOPE, USER, "s1", 1, "user", sha);
    assertThat(TurnIds.turnId(KEYS, SCOPE, USER, "s1", 2, "user", sha)).isNotEqualTo(id);
    assertThat(TurnIds.turnId(KEYS, SCOPE, USER, "s2", 1, "user", sha)).isNotEqualTo(id);
    assertThat(TurnIds.turnId(KEYS, SCOPE, USER, "s1", 1, "assistant", sha)).isNotEqualTo(id);
    assertThat(TurnIds.turnId(KEYS, SCOPE, "u_bbbbbbbbbbbbbbbbbbbbbbbbbb", "s1", 1, "user", sha))
        .isNotEqualTo(id);
    assertThat(TurnIds.turnId(KEYS, Scope.of("t_acme", "prod"), USER, "s1", 1, "user", sha))
        .isNotEqualTo(id);
    assertThat(TurnIds.turnId(KEYS, SCOPE, USER, "s1", 1, "user", Ids.sha256Hex("hello!")))
        .isNotEqualTo(id);
  }

  @Test
  void turnIdWhenTextGuessedWithoutTheKeyThenTheUnkeyedAddressDoesNotMatch() {
    // Regression guard: an id that were the plain content address would confirm a guess of the
    // redacted text.
    String sha = Ids.sha256Hex("my SSN is 078-05-1120");
    String id = TurnIds.turnId(KEYS, SCOPE, USER, "s1", 1, "user", sha);
    String unkeyed = Ids.contentAddressed("tu", "t_acme", "dev", USER, "s1", "1", "user", sha);
    assertThat(id).isNotEqualTo(unkeyed);
    assertThat(
            TurnIds.turnId(
                IdKeys.fromSecret("another-secret-of-the-same-length-012345"),
                SCOPE,
                USER,
                "s1",
                1,
                "user",
                sha))
        .as("another key, another id")
        .isNotEqualTo(id);
  }
}
