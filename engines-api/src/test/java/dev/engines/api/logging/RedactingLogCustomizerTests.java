package dev.engines.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonWriter;

class RedactingLogCustomizerTests {

  private final RedactingLogCustomizer customizer = new RedactingLogCustomizer();

  @Test
  void redactWhenApiKeyOrOperatorTokenThenReplacedWhole() {
    assertThat(customizer.redact("key eng_abcdefghijklmnop_abcdefghijklmnopqrstuvwxyz234567 used"))
        .isEqualTo("key <ENGINES_API_KEY> used");
    assertThat(customizer.redact("op eop_test_operator_token")).isEqualTo("op <ENGINES_OPERATOR_TOKEN>");
    assertThat(customizer.redact("Authorization: Bearer eng_abcdefghijklmnop_abcdefghijklmnopqrstuvwxyz234567"))
        .isEqualTo("Authorization: Bearer <ENGINES_API_KEY>");
  }

  @Test
  void redactWhenShortOperatorTokenThenCaughtByTheLastPattern() {
    assertThat(customizer.redact("op eop_abc12345")).isEqualTo("op <ENGINES_CREDENTIAL>");
  }

  @Test
  void redactWhenPiiThenTypedPlaceholders() {
    assertThat(customizer.redact("mail a.b@example.com card 4111 1111 1111 1111"))
        .isEqualTo("mail <EMAIL_ADDRESS> card <CREDIT_CARD>");
  }

  @Test
  void redactWhenPlainOrNullThenUnchanged() {
    assertThat(customizer.redact("GET /v1/users/u_abc -> 200 in 3 ms")).isEqualTo("GET /v1/users/u_abc -> 200 in 3 ms");
    assertThat(customizer.redact(null)).isNull();
  }

  @Test
  void customizeWhenLineHoldsArraysThenWrittenWithTextMembersRedacted() {
    // Array elements have paths without a name; a line with one (ECS writes markers as "tags")
    // must still be written, and strings in an array under a text member are redacted too.
    JsonWriter<Object> writer = JsonWriter.of(members -> {
      members.add("tags", List.of("AUDIT", "SECURITY"));
      members.add("message", "mail a.b@example.com");
      members.add("stack_trace", List.of("at call +44 20 7946 0481"));
      customizer.customize(members);
    });
    assertThat(writer.writeToString(Map.of())).isEqualTo("{\"tags\":[\"AUDIT\",\"SECURITY\"],"
        + "\"message\":\"mail <EMAIL_ADDRESS>\",\"stack_trace\":[\"at call <PHONE_NUMBER>\"]}");
  }
}
