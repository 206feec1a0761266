package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.ids.Ids;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivationTests {

  @Test
  void canonicalJsonWhenParamsInsertedOutOfOrderThenKeysSortedWithoutWhitespace() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("size", 10L);
    params.put("format", "a\"b");
    params.put("header", true);
    Derivation derivation = new Derivation("text.window", "1", params);

    assertThat(derivation.paramsCanonicalJson())
        .isEqualTo("{\"format\":\"a\\\"b\",\"header\":true,\"size\":10}");
    assertThat(derivation.params().keySet()).containsExactly("format", "header", "size");
  }

  @Test
  void paramsHashWhenComputedThenHexSha256OfCanonicalJson() {
    Derivation derivation = new Derivation("text.lines", "1", Map.of("skip_blank", true));

    assertThat(derivation.paramsHash())
        .isEqualTo(Ids.sha256Hex("{\"skip_blank\":true}"))
        .hasSize(64);
  }

  @Test
  void paramsHashWhenNoParamsThenHashOfEmptyObject() {
    assertThat(new Derivation("pdf.pages", "1", Map.of()).paramsHash())
        .isEqualTo(Ids.sha256Hex("{}"));
  }

  @Test
  void derivationWhenDefaultsAppliedThenEqualToExplicitDefaults() {
    Atomizer lines = Atomize.ATOMIZERS.get("text.lines");

    assertThat(lines.derivation(Map.of())).isEqualTo(lines.derivation(Map.of("skip_blank", true)));
    assertThat(lines.derivation(Map.of()).paramsHash())
        .isNotEqualTo(lines.derivation(Map.of("skip_blank", false)).paramsHash());
  }

  @Test
  void constructorWhenValueNotCanonicalThenValidationFailed() {
    Atomize.problem(
        () -> new Derivation("text.window", "1", Map.of("size", 10)), 400, "validation_failed");
    Atomize.problem(
        () -> new Derivation("text.window", "1", Map.of("size", 1.5)), 400, "validation_failed");
  }

  @Test
  void constructorWhenOpTypeOrVersionMalformedThenValidationFailed() {
    Atomize.problem(() -> new Derivation("Lines", "1", Map.of()), 400, "validation_failed");
    Atomize.problem(() -> new Derivation("text.lines", "v1", Map.of()), 400, "validation_failed");
    Atomize.problem(
        () -> new Derivation("text.lines", "1", Map.of("Bad Name", "x")), 400, "validation_failed");
  }

  @Test
  void atomizeWhenDerivationLacksDefaultsThenValidationFailed() {
    Atomizer lines = Atomize.ATOMIZERS.get("text.lines");
    Derivation incomplete = new Derivation("text.lines", "1", Map.of());

    Atomize.problem(
        () -> lines.atomize(new ByteArrayInputStream(new byte[0]), incomplete, d -> {}),
        400,
        "validation_failed");
  }

  @Test
  void atomizeWhenDerivationOfAnotherAtomizerThenValidationFailed() {
    Derivation paragraphs = Atomize.ATOMIZERS.get("text.paragraphs").derivation(Map.of());
    Atomizer lines = Atomize.ATOMIZERS.get("text.lines");

    Atomize.problem(
        () -> lines.atomize(new ByteArrayInputStream(new byte[0]), paragraphs, d -> {}),
        400,
        "validation_failed");
  }

  @Test
  void derivationWhenUnknownParamNameIsNotAnIdentifierThenMessageDoesNotEchoIt() {
    var e =
        Atomize.problem(
            () ->
                Atomize.ATOMIZERS
                    .get("text.lines")
                    .derivation(Map.of("<script>alert(1)</script>", 1)),
            400,
            "validation_failed");
    assertThat(e.getMessage()).doesNotContain("script");
  }
}
