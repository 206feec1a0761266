package dev.engines.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * How KPI numbers are bounded and rendered: plain notation, no trailing zeros, one form per value.
 */
class DecimalsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Holder(@JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal v) {}

  @Test
  void plainSerializerWhenAnyFormOfAValueThenOneRendering() {
    Map<String, String> expected =
        Map.of(
            "1E+2",
            "100",
            "100.00",
            "100",
            "0.0000001",
            "0.0000001",
            "1E-7",
            "0.0000001",
            "-0.50",
            "-0.5",
            "0.000",
            "0",
            "-0",
            "0",
            "123456789012345.123456789",
            "123456789012345.123456789");
    expected.forEach(
        (in, out) ->
            assertThat(JSON.writeValueAsString(new Holder(new BigDecimal(in))))
                .as(in)
                .isEqualTo("{\"v\":" + out + "}"));
  }

  @Test
  void boundedWhenFifteenIntegerAndNineFractionDigitsThenAcceptedOneMoreThenRefused() {
    assertThat(Decimals.bounded(new BigDecimal("999999999999999.999999999"))).isTrue();
    assertThat(Decimals.bounded(new BigDecimal("-999999999999999"))).isTrue();
    assertThat(Decimals.bounded(new BigDecimal("1.5000000000000")))
        .as("trailing zeros do not count")
        .isTrue();
    assertThat(Decimals.bounded(new BigDecimal("1E+14"))).isTrue();
    for (String refused : List.of("1000000000000000", "1E+15", "0.0000000001", "1.1234567891")) {
      assertThat(Decimals.bounded(new BigDecimal(refused))).as(refused).isFalse();
    }
  }
}
