package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * {@code pdf.pages}: one atom per PDF page, in page order, with the text PDFBox's {@link
 * PDFTextStripper} extracts from that page (content-stream order, not re-sorted by position; lines
 * joined by {@code \n} whatever the platform's separator) and trailing whitespace removed. Every
 * page gives an atom, an empty one included, so ordinal + 1 is always the page number in the span.
 * Reads the whole content. A file PDFBox cannot open, or one that needs a password, fails with 400
 * {@code invalid_content}.
 */
final class PdfPagesAtomizer extends BaseAtomizer {

  PdfPagesAtomizer() {
    super("pdf.pages", "One atom per PDF page with the page's extracted text.", List.of());
  }

  @Override
  public boolean readsWholeContent() {
    return true;
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) throws IOException {
    byte[] bytes = content.readAllBytes();
    try (PDDocument document = open(bytes)) {
      PDFTextStripper stripper = new PDFTextStripper();
      // Pin every separator that would otherwise follow the platform or a library default.
      stripper.setLineSeparator("\n");
      stripper.setWordSeparator(" ");
      stripper.setPageStart("");
      stripper.setPageEnd("");
      stripper.setParagraphStart("");
      stripper.setParagraphEnd("");
      stripper.setSortByPosition(false);
      int pages = document.getNumberOfPages();
      for (int page = 1; page <= pages; page++) {
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        String text;
        try {
          text = stripper.getText(document);
        } catch (IOException | RuntimeException e) {
          // A damaged PDF can surface as any runtime exception from PDFBox's parser: still bad
          // input.
          throw invalid("PDF page " + page + " could not be read.");
        }
        emitter.emit(text.stripTrailing(), Span.page(page));
      }
    }
  }

  private static PDDocument open(byte[] bytes) {
    try {
      return Loader.loadPDF(bytes);
    } catch (InvalidPasswordException e) {
      throw invalid("PDF is password protected.");
    } catch (IOException | RuntimeException e) {
      throw invalid("Content is not a readable PDF.");
    }
  }

  private static EnginesException invalid(String detail) {
    return EnginesException.badRequest(Atomizers.INVALID_CONTENT, detail);
  }
}
