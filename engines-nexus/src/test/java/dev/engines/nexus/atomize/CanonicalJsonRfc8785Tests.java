package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CanonicalJson} against RFC 8785 (JCS): the RFC's and its reference implementation's
 * vectors. Key order, string escaping and literals are JCS exactly. Numbers differ in two
 * documented ways that atom ids depend on (ADR 0015): the exponent is written {@code E}, not {@code
 * e}, and a number is never rounded through an IEEE-754 double, so digits beyond a double's
 * precision are kept.
 */
class CanonicalJsonRfc8785Tests {

  /** Parsed as json.records parses: floats as exact decimals. */
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private static String canonical(String json) {
    JsonNode node = MAPPER.readTree(json);
    return CanonicalJson.node(node);
  }

  @Test
  void keysWhenRfc8785SortingVectorThenOrderedByUtf16CodeUnitsAsJcs() {
    String input =
        "{\"\\u20ac\":\"Euro Sign\",\"1\":\"One\",\"\\u0080\":\"Control\\u007f\",\"\\ud83d\\ude02\":\"Smiley\","
            + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
            + "\"</script>\":\"Browser Challenge\"}";

    assertThat(canonical(input))
        .isEqualTo(
            "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u0080\":\"Control\u007f\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude02\":\"Smiley\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void keysWhenEmojiKeySortsAboveBmpPrivateUseThenUtf16NotCodePointOrder() {
    // U+1F602 is D83D DE02 in UTF-16, below U+FB33; in code point order it would come last.
    assertThat(canonical("{\"\\ufb33\":1,\"\\ud83d\\ude02\":2}"))
        .isEqualTo("{\"\ud83d\ude02\":2,\"\ufb33\":1}");
  }

  @Test
  void structuresWhenNestedObjectsAndArraysThenJcsVectorExactly() {
    String input =
        "{\n  \"1\": {\"f\": {\"f\": \"hi\",\"F\": 5} ,\"\\n\": 56.0},\n  \"10\": { },\n  \"\": \"empty\",\n"
            + "  \"a\": { },\n  \"111\": [ { } ],\n  \"A\": { }\n}";

    assertThat(canonical(input))
        .isEqualTo(
            "{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},\"10\":{},\"111\":[{}],\"A\":{},\"a\":{}}");
  }

  @Test
  void stringsWhenJcsEscapingVectorThenEscapedExactlyAsJcs() {
    String input =
        "{\"escaping\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\"literals\":[null,true,false]}";

    assertThat(canonical(input))
        .isEqualTo(
            "{\"escaping\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\",\"literals\":[null,true,false]}");
  }

  @Test
  void stringsWhenUnnormalizedUnicodeThenKeptAsIsWithoutNormalization() {
    assertThat(canonical("{\"Unnormalized Unicode\":\"\\u1e0d\\u0307\"}"))
        .isEqualTo("{\"Unnormalized Unicode\":\"\u1e0d\u0307\"}");
  }

  @Test
  void numbersWhenJcsValuesVectorThenDiffersOnlyInExponentCaseAndUnroundedDigits() {
    String input = "[1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001]";
    String jcs = "[1e+30,4.5,333333333.3333333,0.002,1e-27]";

    String ours = canonical(input);

    assertThat(ours).isEqualTo("[1E+30,4.5,333333333.33333329,0.002,1E-27]");
    // The one digit-level difference: JCS rounds 333333333.33333329 to the nearest double first.
    assertThat(ours.replace('E', 'e').replace("333333333.33333329", "333333333.3333333"))
        .isEqualTo(jcs);
  }

  /**
   * RFC 8785 Appendix B: IEEE-754 bit patterns and their JCS (ECMAScript) form. Given a value that
   * is already a double (its JCS form as input), the output is the JCS form but for the exponent's
   * case.
   */
  @ParameterizedTest
  @CsvSource({
    "0000000000000000, 0",
    "8000000000000000, 0",
    "0000000000000001, 5e-324",
    "8000000000000001, -5e-324",
    "7fefffffffffffff, 1.7976931348623157e+308",
    "ffefffffffffffff, -1.7976931348623157e+308",
    "4340000000000000, 9007199254740992",
    "c340000000000000, -9007199254740992",
    "4430000000000000, 295147905179352830000",
    "44b52d02c7e14af5, 9.999999999999997e+22",
    "44b52d02c7e14af6, 1e+23",
    "44b52d02c7e14af7, 1.0000000000000001e+23",
    "444b1ae4d6e2ef4e, 999999999999999700000",
    "444b1ae4d6e2ef4f, 999999999999999900000",
    "444b1ae4d6e2ef50, 1e+21",
    "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d, 0.000001",
    "41b3de4355555553, 333333333.3333332",
    "41b3de4355555554, 333333333.33333325",
    "41b3de4355555555, 333333333.3333333",
    "41b3de4355555556, 333333333.3333334",
    "41b3de4355555557, 333333333.33333343",
    "becbf647612f3696, -0.0000033333333333333333",
    "43143ff3c1cb0959, 1424953923781206.2"
  })
  void numbersWhenRfc8785AppendixBVectorThenJcsFormButForExponentCase(String bits, String jcs) {
    double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
    assertThat(Double.parseDouble(jcs)).as("vector integrity").isEqualTo(value == 0 ? 0.0 : value);

    assertThat(CanonicalJson.number(new BigDecimal(jcs))).isEqualTo(jcs.replace('e', 'E'));
    assertThat(canonical("[" + jcs + "]")).isEqualTo("[" + jcs.replace('e', 'E') + "]");
  }

  @Test
  void numbersWhenSameValueWrittenDifferentlyThenSameFormAsJcs() {
    assertThat(canonical("[1.0, 1e0, 100, 1e2, 0.50, -0.0]")).isEqualTo("[1,1,100,100,0.5,0]");
  }

  @Test
  void stringsWhenLoneSurrogateThenEscapedWhereJcsWouldRefuseTheInput() {
    StringBuilder out = new StringBuilder();
    CanonicalJson.string(out, "a\ud800b");
    assertThat(out).hasToString("\"a\\ud800b\"");
  }
}
