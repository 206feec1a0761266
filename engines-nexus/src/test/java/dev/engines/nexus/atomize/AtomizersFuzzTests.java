package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.engines.core.error.EnginesException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Atomizers read whatever a tenant uploads. For any bytes: atoms, or one of the documented 400
 * problems ({@code invalid_encoding}, {@code invalid_content}) — never another exception; ordinals
 * 0, 1, 2…; character spans inside the decoded text; the same atoms twice. Inputs are capped at 64
 * KiB by Jazzer's default length limit, which bounds memory per run. Committed inputs under {@code
 * AtomizersFuzzTestsInputs/} replay in every build; {@code bin/engines fuzz} explores further.
 */
class AtomizersFuzzTests {

  private static final Atomizers ATOMIZERS = Atomizers.standard();
  private static final Set<String> DOCUMENTED =
      Set.of(Atomizers.INVALID_ENCODING, Atomizers.INVALID_CONTENT);

  @FuzzTest(maxDuration = "10s")
  void csvRowsWhenAnyBytesThenAtomsOrADocumentedProblem(byte[] content) throws IOException {
    check("csv.rows", content);
  }

  @FuzzTest(maxDuration = "10s")
  void jsonRecordsWhenAnyBytesThenAtomsOrADocumentedProblem(byte[] content) throws IOException {
    check("json.records", content);
  }

  @FuzzTest(maxDuration = "10s")
  void htmlTextWhenAnyBytesThenAtomsOrADocumentedProblem(byte[] content) throws IOException {
    check("html.text", content);
  }

  @FuzzTest(maxDuration = "10s")
  void pdfPagesWhenAnyBytesThenAtomsOrADocumentedProblem(byte[] content) throws IOException {
    check("pdf.pages", content);
  }

  @FuzzTest(maxDuration = "10s")
  void textParagraphsWhenAnyBytesThenAtomsOrADocumentedProblem(byte[] content) throws IOException {
    check("text.paragraphs", content);
  }

  private static void check(String opType, byte[] content) throws IOException {
    Atomizer atomizer = ATOMIZERS.get(opType);
    Derivation derivation = atomizer.derivation(Map.of());
    List<AtomDraft> atoms = new ArrayList<>();
    try {
      atomizer.atomize(new ByteArrayInputStream(content), derivation, atoms::add);
    } catch (EnginesException e) {
      assertThat(e.status()).as("%s: %s", e.code(), e.getMessage()).isEqualTo(400);
      assertThat(e.code()).as(e.getMessage()).isIn(DOCUMENTED);
      return;
    }
    long textLength =
        new String(content, StandardCharsets.UTF_8).length(); // an upper bound: a BOM is dropped
    for (int i = 0; i < atoms.size(); i++) {
      AtomDraft atom = atoms.get(i);
      assertThat(atom.ordinal()).isEqualTo(i);
      Span span = atom.span();
      if (span.startChar() != null) {
        assertThat(span.startChar()).as("%s", span).isBetween(0L, span.endChar());
        assertThat(span.endChar()).as("%s", span).isLessThanOrEqualTo(textLength);
      }
    }
    List<AtomDraft> again = new ArrayList<>();
    atomizer.atomize(new ByteArrayInputStream(content), derivation, again::add);
    assertThat(again).isEqualTo(atoms);
  }
}
