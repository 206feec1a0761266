package dev.engines.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import jakarta.validation.Valid;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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

  /** A slot with a group of optional limits, a price table and a choice the deployment offers. */
  public record Nested(
      @SlotChoice(of = "colours") String colour,
      @SlotChoice(of = "sizes") String size,
      @Valid Group group) {}

  /** The nested group. */
  public record Group(
      @SlotInteger(bound = "group.rate", optional = true) Long rate,
      @SlotKeyedIntegers(keys = "actions", bound = "price", key = "is not an action")
          Map<String, Long> prices) {}

  private static final SlotRecords<Nested> NESTED =
      new SlotRecords<>(
          "nested",
          Nested.class,
          new SlotBounds(
              Map.of("group.rate", 100L, "price", 5L),
              Map.of(
                  "colours",
                  new TreeSet<>(List.of("blue", "red")),
                  "sizes",
                  new TreeSet<String>(),
                  "actions",
                  new TreeSet<>(List.of("a:run")))));

  @Test
  void bindWhenNestedGroupValidThenRecordAndCanonicalFormNestedAndSorted() {
    Nested nested =
        NESTED.bind(Map.of("colour", "red", "group", Map.of("prices", Map.of("a:run", 2))));

    assertThat(nested).isEqualTo(new Nested("red", null, new Group(null, Map.of("a:run", 2L))));
    assertThat(NESTED.canonical(nested))
        .isEqualTo(Map.of("colour", "red", "group", Map.of("prices", Map.of("a:run", 2L))));
  }

  @Test
  void bindWhenNestedFieldsWrongThenEachNamedByItsJsonPath() {
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("rate", 101);
    group.put("burst", 1);
    group.put("prices", Map.of("a:run", 6, "b:walk", 1, "a:x", "cheap"));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("colour", "green");
    settings.put("size", "xl");
    settings.put("group", group);

    assertThat(errors(NESTED, settings))
        .containsExactly(
            new FieldError(
                "group.burst", "is not a field of this slot; fields of group are [prices, rate]"),
            new FieldError("colour", "must be one of [blue, red]"),
            new FieldError("size", "must be left out: this deployment offers none"),
            new FieldError("group.prices.a:x", "must be an integer"),
            new FieldError("group.prices.a:run", "must be an integer from 0 to 5"),
            new FieldError("group.prices.b:walk", "is not an action"),
            new FieldError("group.rate", "must be between 1 and the deployment cap 100"));
    assertThat(errors(NESTED, Map.of("group", List.of(1))))
        .containsExactly(
            new FieldError("colour", "is required: one of [blue, red]"),
            new FieldError("group", "must be an object with the fields [prices, rate]"));
  }

  private static List<FieldError> errors(SlotRecords<?> records, Map<String, Object> settings) {
    try {
      records.bind(settings);
    } catch (InvalidFieldsException e) {
      return e.errors();
    }
    throw new AssertionError("expected the settings to be refused");
  }
}
