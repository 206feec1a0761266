package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AtomizersTests {

  @Test
  void availableWhenStandardThenEightAtomizersSortedByOpTypeAtVersionOne() {
    assertThat(Atomize.ATOMIZERS.available())
        .extracting(Atomizer::opType)
        .containsExactly(
            "csv.rows",
            "html.text",
            "json.records",
            "media.slices",
            "pdf.pages",
            "text.lines",
            "text.paragraphs",
            "text.window");
    assertThat(Atomize.ATOMIZERS.available()).extracting(Atomizer::opVersion).containsOnly("1");
  }

  @Test
  void availableWhenListedThenParamSchemaDescribesTypesDefaultsAndBounds() {
    Atomizer window = Atomize.ATOMIZERS.get("text.window");

    assertThat(window.description()).isNotBlank();
    assertThat(window.params()).extracting(ParamSpec::name).containsExactly("size", "overlap");
    ParamSpec size = window.params().getFirst();
    assertThat(size.type()).isEqualTo(ParamSpec.Type.INTEGER);
    assertThat(size.required()).isTrue();
    assertThat(size.min()).isEqualTo(2);
    assertThat(window.params().get(1).defaultValue()).isEqualTo(0L);
    assertThat(Atomize.ATOMIZERS.get("json.records").params().getFirst().allowedValues())
        .containsExactly("array", "jsonl");
  }

  @Test
  void availableWhenListedThenWholeContentReadersAreFlagged() {
    assertThat(Atomize.ATOMIZERS.available())
        .filteredOn(Atomizer::readsWholeContent)
        .extracting(Atomizer::opType)
        .containsExactly("html.text", "json.records", "pdf.pages");
  }

  @Test
  void getWhenUnknownOpTypeThenUnknownAtomizer() {
    var e = Atomize.problem(() -> Atomize.ATOMIZERS.get("text.sentences"), 400, "unknown_atomizer");
    assertThat(e.getMessage()).contains("text.sentences");
    Atomize.problem(() -> Atomize.ATOMIZERS.get(null), 400, "unknown_atomizer");
  }

  @Test
  void getWhenUnknownVersionThenUnknownAtomizer() {
    assertThat(Atomize.ATOMIZERS.get("text.lines", "1").opType()).isEqualTo("text.lines");
    Atomize.problem(() -> Atomize.ATOMIZERS.get("text.lines", "2"), 400, "unknown_atomizer");
  }

  @Test
  void derivationWhenEveryAtomizerWithMinimalParamsThenNamesItselfAndEveryParam() {
    Map<String, Map<String, ?>> minimal =
        Map.of(
            "text.window", Map.of("size", 10),
            "media.slices", Map.of("duration_ms", 10, "slice_ms", 5));
    for (Atomizer atomizer : Atomize.ATOMIZERS.available()) {
      Derivation derivation =
          atomizer.derivation(minimal.getOrDefault(atomizer.opType(), Map.of()));

      assertThat(derivation.opType()).isEqualTo(atomizer.opType());
      assertThat(derivation.opVersion()).isEqualTo(atomizer.opVersion());
      assertThat(derivation.params().keySet())
          .containsExactlyInAnyOrderElementsOf(
              atomizer.params().stream().map(ParamSpec::name).toList());
    }
  }
}
