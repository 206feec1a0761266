package dev.engines.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotRecordsTests {

  record Limits(@SlotInteger(bound = "max_items") Long maxItems, Boolean strict, String label) {}

  private static final SlotRecords<Limits> RECORDS =
      new SlotRecords<>("demo", Limits.class, new SlotBounds(Map.of("max_items", 10L)));

  private static List<FieldError> errors(Map<String, Object> settings) {
    try {
      RECORDS.bind(settings);
    } catch (InvalidFieldsException e) {
      return e.errors();
    }
    throw new AssertionError("expected the settings to be refused");
  }

  @Test
  void bindWhenValidThenRecordAndCanonicalFormWithSnakeCaseNamesSortedAndNullsLeftOut() {
    Limits limits = RECORDS.bind(Map.of("max_items", 7, "strict", true));

    assertThat(limits).isEqualTo(new Limits(7L, true, null));
    assertThat(RECORDS.canonical(limits))
        .containsExactly(Map.entry("max_items", 7L), Map.entry("strict", true));
    assertThat(RECORDS.fields()).containsExactlyInAnyOrder("max_items", "strict", "label");
  }

  @Test
  void bindWhenNumbersAreTextOrFractionsThenRefusedAsNotIntegersWithoutCoercion() {
    assertThat(errors(Map.of("max_items", "7")))
        .containsExactly(new FieldError("max_items", "must be an integer (1 to 10)"));
    assertThat(errors(Map.of("max_items", 7.0)))
        .containsExactly(new FieldError("max_items", "must be an integer (1 to 10)"));
  }

  @Test
  void bindWhenIntegerBeyondLongThenRangeMessageNotOverflow() {
    assertThat(errors(Map.of("max_items", new BigInteger("100000000000000000000"))))
        .containsExactly(
            new FieldError("max_items", "must be between 1 and the deployment cap 10"));
    assertThat(errors(Map.of("max_items", new BigInteger("-100000000000000000000"))))
        .containsExactly(
            new FieldError("max_items", "must be between 1 and the deployment cap 10"));
  }

  @Test
  void bindWhenSeveralFieldsWrongThenUnknownFirstThenDeclarationOrder() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("label", 5);
    settings.put("strict", "yes");
    settings.put("zeta", 1);
    settings.put("alpha", 1);

    assertThat(errors(settings))
        .containsExactly(
            new FieldError(
                "alpha", "is not a field of this slot; fields are [label, max_items, strict]"),
            new FieldError(
                "zeta", "is not a field of this slot; fields are [label, max_items, strict]"),
            new FieldError("max_items", "is required (1 to 10)"),
            new FieldError("strict", "must be true or false"),
            new FieldError("label", "must be a string"));
  }

  @Test
  void bindWhenRecordNamesABoundTheDeploymentLacksThenFailsLoudly() {
    record Broken(@SlotInteger(bound = "missing") Long value) {}
    SlotRecords<Broken> broken = new SlotRecords<>("demo", Broken.class, new SlotBounds(Map.of()));
    assertThatThrownBy(() -> broken.bind(Map.of("value", 1)))
        .hasStackTraceContaining("no deployment bound named missing");
  }
}
