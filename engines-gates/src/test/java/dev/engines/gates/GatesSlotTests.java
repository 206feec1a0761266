package dev.engines.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.config.ConfigSlot;
import dev.engines.core.error.InvalidFieldsException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The {@code gates} config slot the module contributes: its rules and how it reads back; no Spring,
 * no database.
 */
class GatesSlotTests {

  private static final ConfigSlot SLOT =
      new GatesAutoConfiguration().gatesSlot(GatesSettings.DEFAULTS, TreeSet::new);

  @Test
  void validateWhenGatesSlotThenFourEyesRequiredAsABooleanAndNothingElse() {
    assertThat(SLOT.name()).isEqualTo("gates");
    assertThat(GatesSlotRules.read(SLOT.validate(Map.of("four_eyes", true))).fourEyes()).isTrue();
    assertThat(GatesSlotRules.read(SLOT.validate(Map.of("four_eyes", false))).fourEyes()).isFalse();
    assertThat(errors(Map.of())).as("no default: absent is refused").containsExactly("four_eyes");
    assertThat(errors(Map.of("four_eyes", "yes"))).containsExactly("four_eyes");
    assertThat(errors(Map.of("four_eyes", true, "four_ayes", false))).containsExactly("four_ayes");
  }

  @Test
  void validateWhenNoBodyThenFourEyesNamed() {
    assertThatThrownBy(() -> SLOT.validate(null))
        .isInstanceOfSatisfying(
            InvalidFieldsException.class,
            e ->
                assertThat(e.errors())
                    .extracting(InvalidFieldsException.FieldError::field)
                    .containsExactly("four_eyes"));
  }

  private static List<String> errors(Map<String, Object> settings) {
    try {
      SLOT.validate(settings);
    } catch (InvalidFieldsException e) {
      assertThat(e.code()).isEqualTo("validation_failed");
      return e.errors().stream().map(InvalidFieldsException.FieldError::field).toList();
    }
    throw new AssertionError("no validation failure for " + settings);
  }
}
