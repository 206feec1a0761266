package dev.engines.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The field rules every slot's validator shares, and the slot SPI's factory; no Spring, no
 * database.
 */
class SlotFieldsTests {

  @Test
  void boundedWhenIntegerWithinOneAndCapThenStoredAsLong() {
    Map<String, Object> out = new TreeMap<>();
    List<FieldError> errors = new ArrayList<>();
    SlotFields.bounded(Map.of("a", 1, "b", 10L, "c", BigInteger.TEN), out, errors, "a", 10);
    SlotFields.bounded(Map.of("b", 10L), out, errors, "b", 10);
    assertThat(errors).isEmpty();
    assertThat(out).containsExactly(Map.entry("a", 1L), Map.entry("b", 10L));
  }

  @Test
  void boundedWhenMissingZeroAboveCapOrNotAnIntegerThenNamedAndNotStored() {
    Map<String, Object> out = new TreeMap<>();
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> in =
        Map.of("zero", 0, "huge", new BigInteger("99999999999999999999"), "real", 2.0, "text", "5");
    for (String field : List.of("missing", "zero", "huge", "real", "text")) {
      SlotFields.bounded(in, out, errors, field, 10);
    }
    assertThat(out).isEmpty();
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("missing", "zero", "huge", "real", "text");
    assertThat(errors).extracting(FieldError::message).noneMatch(m -> m.contains("99999"));
  }

  @Test
  void unknownWhenFieldsOutsideTheSlotThenEachNamedSorted() {
    List<FieldError> errors = new ArrayList<>();
    SlotFields.unknown(Map.of("b", 1, "known", 2, "a", 3), Set.of("known"), errors);
    assertThat(errors).extracting(FieldError::field).containsExactly("a", "b");
  }

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
