package dev.engines.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonWriter;

class RedactingLogCustomizerTests {

  private final RedactingLogCustomizer customizer = new RedactingLogCustomizer();

  @Test
  void customizeWhenLineHoldsArraysThenWrittenWithTextMembersRedacted() {
    // Array elements have paths without a name; a line with one (ECS writes markers as "tags")
    // must still be written, and strings in an array under a text member are redacted too.
    JsonWriter<Object> writer =
        JsonWriter.of(
            members -> {
              members.add("tags", List.of("AUDIT", "SECURITY"));
              members.add("message", "mail a.b@example.com");
              members.add("stack_trace", List.of("at call +44 20 7946 0481"));
              customizer.customize(members);
            });
    assertThat(writer.writeToString(Map.of()))
        .isEqualTo(
            "{\"tags\":[\"AUDIT\",\"SECURITY\"],"
                + "\"message\":\"mail <EMAIL_ADDRESS>\",\"stack_trace\":[\"at call <PHONE_NUMBER>\"]}");
  }
}
