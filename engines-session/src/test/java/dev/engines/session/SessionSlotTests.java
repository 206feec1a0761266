package dev.engines.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSlotTests {

  private static final SessionSettings DEPLOYMENT =
      new SessionSettings(Duration.ofDays(1), 500, 4000, 50, "-", 100, null);

  private static Map<String, Object> valid() {
    Map<String, Object> slot = new LinkedHashMap<>();
    slot.put("default_ttl_seconds", 3600);
    slot.put("max_ttl_seconds", 86400);
    slot.put("max_turns", 500);
    slot.put("max_turn_chars", 4000);
    slot.put("blackboard_max_bytes", 65536);
    slot.put("blackboard_max_keys", 50);
    return slot;
  }

  @Test
  void validateWhenWithinTheDeploymentThenCanonicalAndReadBack() {
    Map<String, Object> stored = SessionSlot.validate(valid(), DEPLOYMENT);
    assertThat(stored.keySet())
        .containsExactly(
            "blackboard_max_bytes",
            "blackboard_max_keys",
            "default_ttl_seconds",
            "max_ttl_seconds",
            "max_turn_chars",
            "max_turns");
    assertThat(SessionSlot.read(stored, DEPLOYMENT))
        .isEqualTo(new SessionSlot(3600, 86400, 500, 4000, 65536, 50));
  }

  @Test
  void validateWhenFieldsMissingUnknownOrOutOfBoundsThenEveryOneNamed() {
    Map<String, Object> slot = valid();
    slot.remove("max_turns");
    slot.put("max_ttl_seconds", 86401);
    slot.put("blackboard_max_bytes", 65537);
    slot.put("max_turn_chars", "many");
    slot.put("ttl", 5);
    assertThatThrownBy(() -> SessionSlot.validate(slot, DEPLOYMENT))
        .isInstanceOf(InvalidFieldsException.class)
        .satisfies(
            e ->
                assertThat(((InvalidFieldsException) e).errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder(
                        "ttl",
                        "max_ttl_seconds",
                        "max_turns",
                        "max_turn_chars",
                        "blackboard_max_bytes"));
  }

  @Test
  void validateWhenDefaultTtlAboveMaximumThenRefused() {
    Map<String, Object> slot = valid();
    slot.put("default_ttl_seconds", 7200);
    slot.put("max_ttl_seconds", 3600);
    assertThatThrownBy(() -> SessionSlot.validate(slot, DEPLOYMENT))
        .isInstanceOf(InvalidFieldsException.class)
        .satisfies(
            e ->
                assertThat(((InvalidFieldsException) e).errors())
                    .extracting(FieldError::field)
                    .containsExactly("default_ttl_seconds"));
  }

  @Test
  void readWhenDeploymentLoweredItsBoundsThenTheSlotIsLoweredToo() {
    Map<String, Object> stored = SessionSlot.validate(valid(), DEPLOYMENT);
    SessionSettings lower = new SessionSettings(Duration.ofMinutes(30), 10, 100, 5, "-", 100, null);
    assertThat(SessionSlot.read(stored, lower))
        .isEqualTo(new SessionSlot(1800, 1800, 10, 100, 65536, 5));
  }

  @Test
  void validateWhenInvalidThenEachFieldNamedWithTheMessagesTheApiAnswers() {
    Map<String, Object> slot = valid();
    slot.remove("max_turns");
    slot.put("max_ttl_seconds", 86401);
    slot.put("max_turn_chars", "many");
    slot.put("default_ttl_seconds", 3600.0);
    slot.put("blackboard_max_bytes", new BigInteger("99999999999999999999999"));
    slot.put("blackboard_max_keys", 0);
    slot.put("ttl", 5);
    assertThatThrownBy(() -> SessionSlot.validate(slot, DEPLOYMENT))
        .isInstanceOf(InvalidFieldsException.class)
        .satisfies(
            e ->
                assertThat(((InvalidFieldsException) e).errors())
                    .containsExactly(
                        new FieldError(
                            "ttl",
                            "is not a field of this slot; fields are [blackboard_max_bytes, blackboard_max_keys,"
                                + " default_ttl_seconds, max_ttl_seconds, max_turn_chars, max_turns]"),
                        new FieldError(
                            "max_ttl_seconds", "must be between 60 and the deployment bound 86400"),
                        new FieldError("default_ttl_seconds", "must be an integer (60 to 86400)"),
                        new FieldError("max_turns", "is required (1 to 500)"),
                        new FieldError("max_turn_chars", "must be an integer (1 to 4000)"),
                        new FieldError(
                            "blackboard_max_bytes",
                            "must be between 1 and the deployment bound 65536"),
                        new FieldError(
                            "blackboard_max_keys",
                            "must be between 1 and the deployment bound 50")));
  }

  @Test
  void validateWhenNoSettingsThenEveryFieldRequired() {
    assertThatThrownBy(() -> SessionSlot.validate(null, DEPLOYMENT))
        .isInstanceOf(InvalidFieldsException.class)
        .satisfies(
            e ->
                assertThat(((InvalidFieldsException) e).errors())
                    .extracting(FieldError::message)
                    .containsExactly(
                        "is required (60 to 86400)",
                        "is required (60 to 86400)",
                        "is required (1 to 500)",
                        "is required (1 to 4000)",
                        "is required (1 to 65536)",
                        "is required (1 to 50)"));
  }
}
