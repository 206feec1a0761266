package dev.engines.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one problem every slot's validation answers, and the slot SPI's factory; no Spring. */
class SlotFieldsTests {

  @Test
  void requireValidWhenErrorsThenOneProblemNamingTheSlotAndEveryField() {
    assertThatCode(() -> SlotFields.requireValid("nexus", List.of())).doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                SlotFields.requireValid(
                    "nexus", List.of(new FieldError("x", "bad"), new FieldError("y", "bad"))))
        .isInstanceOfSatisfying(
            InvalidFieldsException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("nexus");
              assertThat(e.errors()).extracting(FieldError::field).containsExactly("x", "y");
            });
  }

  @Test
  void configSlotWhenMadeFromRulesThenNamedAndValidatesWithThem() {
    ConfigSlot slot =
        ConfigSlot.of("demo", in -> Map.of("seen", in == null ? "none" : in.keySet().toString()));
    assertThat(slot.name()).isEqualTo("demo");
    assertThat(slot.validate(Map.of("k", 1))).containsEntry("seen", "[k]");
    assertThat(slot.validate(null)).containsEntry("seen", "none");
  }
}
