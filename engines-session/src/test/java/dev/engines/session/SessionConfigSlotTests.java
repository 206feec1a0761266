package dev.engines.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.config.ConfigSlot;
import dev.engines.core.error.InvalidFieldsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code session} config slot the module contributes, bounded by {@code engines.session}; no
 * Spring, no database.
 */
class SessionConfigSlotTests {

  private static final ConfigSlot SLOT =
      new SessionAutoConfiguration().sessionSlot(SessionSettings.defaults());

  @Test
  void validateWhenSessionSlotThenBoundedByEnginesSessionAndEveryFieldRequired() {
    assertThat(SLOT.name()).isEqualTo("session");
    assertThat(errors(Map.of("max_ttl_seconds", 31L * 24 * 3600, "max_turns", 1)))
        .containsExactlyInAnyOrder(
            "max_ttl_seconds",
            "default_ttl_seconds",
            "max_turn_chars",
            "blackboard_max_bytes",
            "blackboard_max_keys");
    Map<String, Object> valid =
        Map.of(
            "default_ttl_seconds",
            600,
            "max_ttl_seconds",
            3600,
            "max_turns",
            100,
            "max_turn_chars",
            2000,
            "blackboard_max_bytes",
            1024,
            "blackboard_max_keys",
            10);
    assertThat(SLOT.validate(valid)).containsEntry("max_turns", 100L).hasSize(6);
  }

  private static List<String> errors(Map<String, Object> settings) {
    try {
      SLOT.validate(settings);
    } catch (InvalidFieldsException e) {
      return e.errors().stream().map(InvalidFieldsException.FieldError::field).toList();
    }
    throw new AssertionError("no validation failure for " + settings);
  }
}
