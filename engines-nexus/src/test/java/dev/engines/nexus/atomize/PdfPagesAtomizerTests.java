package dev.engines.nexus.atomize;

import static dev.engines.nexus.atomize.Atomize.bytes;
import static dev.engines.nexus.atomize.Atomize.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PdfPagesAtomizerTests {

  private static byte[] threePages;

  @BeforeAll
  static void buildPdf() throws IOException {
    threePages =
        pdf(
            List.of(List.of("Hello page one"), List.of("Second page", "has two lines"), List.of()),
            null);
  }

  /** A PDF with one page per entry, each line of an entry drawn below the previous one. */
  private static byte[] pdf(List<List<String>> pages, String userPassword) throws IOException {
    try (PDDocument document = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (List<String> lines : pages) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream stream = new PDPageContentStream(document, page)) {
          float y = 700;
          for (String line : lines) {
            stream.beginText();
            stream.setFont(font, 12);
            stream.newLineAtOffset(72, y);
            stream.showText(line);
            stream.endText();
            y -= 20;
          }
        }
      }
      if (userPassword != null) {
        document.protect(
            new StandardProtectionPolicy("owner", userPassword, new AccessPermission()));
      }
      document.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void pagesWhenThreePagesThenOneAtomPerPageWithPageNumbers() {
    List<AtomDraft> drafts = bytes("pdf.pages", Map.of(), threePages);

    assertThat(texts(drafts)).containsExactly("Hello page one", "Second page\nhas two lines", "");
    assertThat(drafts).extracting(d -> d.span().page()).containsExactly(1, 2, 3);
  }

  @Test
  void pagesWhenRunTwiceThenIdenticalDrafts() {
    assertThat(bytes("pdf.pages", Map.of(), threePages))
        .isEqualTo(bytes("pdf.pages", Map.of(), threePages));
  }

  @Test
  void pagesWhenNotAPdfThenInvalidContent() {
    Atomize.problem(
        () -> bytes("pdf.pages", Map.of(), "plain text".getBytes(StandardCharsets.UTF_8)),
        400,
        "invalid_content");
  }

  @Test
  void pagesWhenPasswordProtectedThenInvalidContent() throws IOException {
    byte[] locked = pdf(List.of(List.of("secret")), "user-pw");
    var e = Atomize.problem(() -> bytes("pdf.pages", Map.of(), locked), 400, "invalid_content");
    assertThat(e.getMessage()).contains("password");
  }

  @Test
  void atomizerWhenListedThenDeclaresWholeContentRead() {
    assertThat(Atomize.ATOMIZERS.get("pdf.pages").readsWholeContent()).isTrue();
  }
}
