package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code csv.rows}: one atom per data row of RFC 4180 CSV in UTF-8, parsed strictly and streamed.
 *
 * <p>Parsing is Apache Commons CSV's ({@link CSVFormat#RFC4180} with the delimiter and empty lines
 * skipped); {@link RawWindow} matches each parsed record back onto its raw chars for the span and
 * for the strict rules below that Commons CSV does not enforce. Fields are separated by {@code
 * delimiter} (one char, default {@code ,}); records end at {@code \r\n}, {@code \n} or {@code \r}.
 * A field that starts with {@code "} is quoted: it may hold delimiters and line breaks, {@code ""}
 * stands for one quote, and the closing quote must be followed by a delimiter, a line break or the
 * end. A quote inside an unquoted field, an unterminated quoted field, a row whose field count
 * differs from the first record's, or (with a header) a repeated column name fails with 400 {@code
 * invalid_content} naming the row. Fields are never trimmed or typed. Empty lines (a line break
 * right where a record would start) are skipped.
 *
 * <p>Atom text, compact JSON with the escaping of the package's canonical JSON rules: with {@code
 * header=true} (default) the first record names the columns and each row is an object whose members
 * follow the column order, e.g. {@code {"name":"Ann","age":"31"}}; with {@code header=false} each
 * row is an array of strings, e.g. {@code ["Ann","31"]}. Span: 1-based data row, the line it starts
 * on and the char range of the raw record without its terminator.
 */
final class CsvRowsAtomizer extends BaseAtomizer {

  CsvRowsAtomizer() {
    super(
        "csv.rows",
        "One atom per data row of RFC 4180 CSV, rendered as a JSON object (with header) or array.",
        List.of(
            ParamSpec.bool("header", true, "The first record names the columns."),
            ParamSpec.string(
                "delimiter",
                ",",
                "Field separator: exactly one char, not a quote or line break.")));
  }

  @Override
  void checkTogether(Map<String, Object> params) {
    String delimiter = stringParam(params, "delimiter");
    if (delimiter.length() != 1 || "\"\r\n".indexOf(delimiter.charAt(0)) >= 0) {
      throw EnginesException.validation(
          "Param 'delimiter' must be exactly one char other than a quote or line break.");
    }
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) throws IOException {
    boolean header = boolParam(params, "header");
    char delimiter = stringParam(params, "delimiter").charAt(0);
    CSVFormat format =
        CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).get();
    RawWindow raw = new RawWindow(new Utf8Reader(content), delimiter);
    List<String> columns = null;
    long row = 0;
    try (CSVParser parser = CSVParser.parse(raw, format)) {
      Iterator<CSVRecord> records = parser.iterator();
      while (hasNext(records, raw)) {
        List<String> fields = records.next().toList();
        RawWindow.Located located = raw.locate(fields);
        if (columns == null) {
          columns = fields;
          if (header) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < columns.size(); i++) {
              if (!seen.add(columns.get(i))) {
                throw invalid("CSV header repeats a column name (column " + (i + 1) + ").");
              }
            }
            continue;
          }
        }
        row++;
        if (fields.size() != columns.size()) {
          throw invalid(
              "CSV row "
                  + row
                  + " has "
                  + fields.size()
                  + " fields, expected "
                  + columns.size()
                  + ".");
        }
        String text =
            header
                ? CanonicalJson.stringObject(columns, fields)
                : CanonicalJson.stringArray(fields);
        emitter.emit(text, Span.row(row, located.line(), located.startChar(), located.endChar()));
      }
    }
  }

  /**
   * Commons CSV's iterator reports a malformed record as an unchecked wrapper; this names its line
   * instead.
   */
  private static boolean hasNext(Iterator<CSVRecord> records, RawWindow raw) throws IOException {
    try {
      return records.hasNext();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CSVException) {
        throw invalid(
            "CSV record on line "
                + raw.nextRecordLine()
                + " has an unterminated quoted field or text after a closing quote.");
      }
      throw e.getCause();
    }
  }

  static EnginesException invalid(String detail) {
    return EnginesException.badRequest(Atomizers.INVALID_CONTENT, detail);
  }

  /**
   * The decoded text as Commons CSV reads it, kept from the start of the record being located on,
   * so each parsed record can be matched back onto its raw chars. Commons CSV tokenizes but reports
   * neither where a record ends nor whether a field was quoted; the match gives both, and enforces
   * what Commons CSV tolerates and this atomizer refuses: a quote inside an unquoted field and
   * whitespace between a closing quote and the next delimiter or line break. Matching compares the
   * parsed values with their raw form ({@code "} + value with {@code "} doubled + {@code "}, or the
   * value itself), so it costs one pass over each record's chars and never tokenizes a second time.
   */
  static final class RawWindow extends Reader {

    /**
     * Where a record's raw text is: the line it starts on and its char range without terminator.
     */
    record Located(long line, long startChar, long endChar) {}

    private static final int COMPACT_AT = 1 << 16;

    private final Reader in;
    private final char delimiter;
    private final StringBuilder chars = new StringBuilder();
    private long base;
    private int position;
    private long line = 1;

    RawWindow(Reader in, char delimiter) {
      this.in = in;
      this.delimiter = delimiter;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      int count = in.read(buffer, offset, length);
      if (count > 0) {
        chars.append(buffer, offset, count);
      }
      return count;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    /**
     * Matches the record just parsed onto the raw chars after the previous one and consumes it.
     * Commons CSV has read at least up to the record's terminator (or the end) when it hands the
     * record over, so every char matched here is already in the window.
     */
    Located locate(List<String> fields) {
      skipLineBreaks();
      long startLine = line;
      long start = base + position;
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          expect(delimiter, startLine);
        }
        String value = fields.get(i);
        if (at(position) == '"') {
          consume();
          for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == '"') {
              expect('"', startLine);
            }
            expect(c, startLine);
          }
          expect('"', startLine);
        } else {
          if (value.indexOf('"') >= 0) {
            throw invalid(
                "CSV record on line " + startLine + " has a quote inside an unquoted field.");
          }
          for (int k = 0; k < value.length(); k++) {
            expect(value.charAt(k), startLine);
          }
        }
      }
      int after = at(position);
      if (after != -1 && after != '\r' && after != '\n') {
        throw textAfterQuote(startLine);
      }
      long end = base + position;
      if (position >= COMPACT_AT && position > chars.length() / 2) {
        chars.delete(0, position);
        base += position;
        position = 0;
      }
      return new Located(startLine, start, end);
    }

    /** The line the next record starts on, for errors raised while Commons CSV parses it. */
    long nextRecordLine() {
      skipLineBreaks();
      return line;
    }

    private void expect(char c, long startLine) {
      if (at(position) != c) {
        // Commons CSV accepted the record, so the only difference left is what strict RFC 4180
        // refuses.
        throw textAfterQuote(startLine);
      }
      consume();
    }

    private static EnginesException textAfterQuote(long startLine) {
      return invalid("CSV record on line " + startLine + " has text after a closing quote.");
    }

    private void skipLineBreaks() {
      while (at(position) == '\r' || at(position) == '\n') {
        consume();
      }
    }

    /**
     * Consumes one char, counting lines as {@link TextSource} does: a {@code \r\n} pair ends one
     * line.
     */
    private void consume() {
      char c = chars.charAt(position++);
      if (c == '\n' || c == '\r' && at(position) != '\n') {
        line++;
      }
    }

    private int at(int index) {
      return index < chars.length() ? chars.charAt(index) : -1;
    }
  }
}
