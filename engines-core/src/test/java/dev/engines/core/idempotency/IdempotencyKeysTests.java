package dev.engines.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTests {

  private static final IdempotencyKeys KEYS =
      IdempotencyKeys.fromSecret("a-test-secret-of-at-least-thirty-two-bytes");
  private static final Scope DEV = Scope.of("t_acme", "dev");

  @Test
  void parseWhenBareOrQuotedThenTheSameKey() {
    assertThat(IdempotencyKeys.parse("8e03978e-40d5-43e8-bc93-6894a57f9324"))
        .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
    assertThat(IdempotencyKeys.parse("\"8e03978e-40d5-43e8-bc93-6894a57f9324\""))
        .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
    assertThat(IdempotencyKeys.parse("\"say \\\"hi\\\" \\\\ bye\"")).isEqualTo("say \"hi\" \\ bye");
    assertThat(IdempotencyKeys.parse("k".repeat(255))).hasSize(255);
    assertThat(IdempotencyKeys.parse(" ~")).isEqualTo(" ~");
  }

  @Test
  void parseWhenMalformedThen400() {
    for (String bad :
        new String[] {
          null,
          "",
          "\"\"",
          "k".repeat(256),
          "tab\t",
          "caf\u00e9",
          "\u0000",
          "\"open",
          "\"a\"b\"",
          "\"a\\b\"",
          "\"a\\\"",
          "\"" + "k".repeat(256) + "\""
        }) {
      assertThatThrownBy(() -> IdempotencyKeys.parse(bad))
          .as("%s", bad)
          .isInstanceOf(EnginesException.class)
          .satisfies(
              e -> {
                assertThat(((EnginesException) e).status()).isEqualTo(400);
                assertThat(((EnginesException) e).code()).isEqualTo(IdempotencyKeys.INVALID);
              });
    }
  }

  @Test
  void materialWhenPrincipalScopeOrKeyDiffersThenAnotherRow() {
    String hash = KEYS.material(DEV, "user:u_a", "k").hash();
    assertThat(hash)
        .matches("^[0-9a-f]{64}$")
        .isEqualTo(KEYS.material(DEV, "user:u_a", "k").hash());
    assertThat(KEYS.material(DEV, "user:u_b", "k").hash()).isNotEqualTo(hash);
    assertThat(KEYS.material(Scope.of("t_acme", "prod"), "user:u_a", "k").hash())
        .isNotEqualTo(hash);
    assertThat(KEYS.material(Scope.of("t_other", "dev"), "user:u_a", "k").hash())
        .isNotEqualTo(hash);
    assertThat(KEYS.material(DEV, "user:u_a", "k2").hash()).isNotEqualTo(hash);
    assertThat(
            IdempotencyKeys.fromSecret("another-test-secret-of-thirty-two-bytes!")
                .material(DEV, "user:u_a", "k")
                .hash())
        .isNotEqualTo(hash);
  }

  @Test
  void sealWhenOpenedUnderTheSameMaterialThenTheSameBytesAndUnderAnotherNever() {
    IdempotencyKeys.Material material = KEYS.material(DEV, "user:u_a", "k");
    StoredResponse response =
        new StoredResponse(
            201,
            Map.of("Location", "/v1/users/u_x", "Content-Type", "application/json"),
            "{\"token\":\"eng_secret\"}".getBytes(StandardCharsets.UTF_8));
    byte[] sealed = KEYS.seal(material, response.encode());
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
        .doesNotContain("eng_secret", "/v1/users");
    assertThat(StoredResponse.decode(201, KEYS.open(material, sealed))).isEqualTo(response);
    assertThat(KEYS.seal(material, response.encode()))
        .as("a fresh nonce each time")
        .isNotEqualTo(sealed);
    assertThatThrownBy(() -> KEYS.open(KEYS.material(DEV, "user:u_b", "k"), sealed))
        .isInstanceOf(IllegalStateException.class);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> KEYS.open(material, sealed)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void settingsWhenOutOfBoundsThenStartupFails() {
    assertThat(IdempotencySettings.defaults().retryWait()).hasSeconds(10);
    assertThat(IdempotencySettings.defaults().lease()).hasMinutes(5);
    assertThatThrownBy(() -> new IdempotencySettings(java.time.Duration.ofSeconds(61), null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdempotencySettings(null, java.time.Duration.ofSeconds(30), null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
