package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code csv.rows}: one atom per data row of RFC 4180 CSV in UTF-8, parsed strictly and streamed.
 *
 * <p>Parsing: fields are separated by {@code delimiter} (one char, default {@code ,}); records end at
 * {@code \r\n}, {@code \n} or {@code \r}. A field that starts with {@code "} is quoted: it may hold
 * delimiters and line breaks, {@code ""} stands for one quote, and the closing quote must be followed
 * by a delimiter, a line break or the end. A quote inside an unquoted field, an unterminated quoted
 * field, a row whose field count differs from the first record's, or (with a header) a repeated
 * column name fails with 400 {@code invalid_content} naming the row. Fields are never trimmed or
 * typed. Empty lines (a line break right where a record would start) are skipped.
 *
 * <p>Atom text, compact JSON with the escaping of the package's canonical JSON rules: with {@code
 * header=true} (default) the first record names the columns and each row is an object whose members
 * follow the column order, e.g. {@code {"name":"Ann","age":"31"}}; with {@code header=false} each row
 * is an array of strings, e.g. {@code ["Ann","31"]}. Span: 1-based data row, the line it starts on
 * and the char range of the raw record without its terminator.
 */
final class CsvRowsAtomizer extends BaseAtomizer {

  CsvRowsAtomizer() {
    super(
        "csv.rows",
        "One atom per data row of RFC 4180 CSV, rendered as a JSON object (with header) or array.",
        List.of(
            ParamSpec.bool("header", true, "The first record names the columns."),
            ParamSpec.string("delimiter", ",", "Field separator: exactly one char, not a quote or line break.")));
  }

  @Override
  void checkTogether(Map<String, Object> params) {
    String delimiter = stringParam(params, "delimiter");
    if (delimiter.length() != 1 || "\"\r\n".indexOf(delimiter.charAt(0)) >= 0) {
      throw EnginesException.validation("Param 'delimiter' must be exactly one char other than a quote or line break.");
    }
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) throws IOException {
    boolean header = boolParam(params, "header");
    CsvReader reader = new CsvReader(new TextSource(content), stringParam(params, "delimiter").charAt(0));
    List<String> columns = null;
    long row = 0;
    CsvReader.Record record;
    while ((record = reader.next()) != null) {
      if (columns == null) {
        columns = record.fields();
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
      if (record.fields().size() != columns.size()) {
        throw invalid(
            "CSV row " + row + " has " + record.fields().size() + " fields, expected " + columns.size() + ".");
      }
      String text = header
          ? CanonicalJson.stringObject(columns, record.fields())
          : CanonicalJson.stringArray(record.fields());
      emitter.emit(text, Span.row(row, record.line(), record.startChar(), record.endChar()));
    }
  }

  static EnginesException invalid(String detail) {
    return EnginesException.badRequest(Atomizers.INVALID_CONTENT, detail);
  }

  /** The RFC 4180 tokenizer; records are numbered by their starting line in errors. */
  static final class CsvReader {

    /** One record: its fields, the line it starts on and its char range without terminator. */
    record Record(List<String> fields, long line, long startChar, long endChar) {}

    private final TextSource source;
    private final char delimiter;

    CsvReader(TextSource source, char delimiter) {
      this.source = source;
      this.delimiter = delimiter;
    }

    Record next() throws IOException {
      while (source.peek() == '\r' || source.peek() == '\n') {
        skipLineBreak();
      }
      if (source.peek() == -1) {
        return null;
      }
      long line = source.line();
      long start = source.offset();
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      while (true) {
        if (source.peek() == '"') {
          readQuoted(field, line);
        } else {
          readUnquoted(field, line);
        }
        fields.add(field.toString());
        field.setLength(0);
        if (source.peek() != delimiter) {
          break;
        }
        source.read();
      }
      long end = source.offset();
      skipLineBreak();
      return new Record(fields, line, start, end);
    }

    private void readUnquoted(StringBuilder field, long line) throws IOException {
      int c;
      while ((c = source.peek()) != -1 && c != delimiter && c != '\r' && c != '\n') {
        if (c == '"') {
          throw invalid("CSV record on line " + line + " has a quote inside an unquoted field.");
        }
        field.append((char) source.read());
      }
    }

    private void readQuoted(StringBuilder field, long line) throws IOException {
      source.read();
      while (true) {
        int c = source.read();
        if (c == -1) {
          throw invalid("CSV record on line " + line + " has an unterminated quoted field.");
        }
        if (c == '"') {
          if (source.peek() != '"') {
            break;
          }
          source.read();
        }
        field.append((char) c);
      }
      int after = source.peek();
      if (after != -1 && after != delimiter && after != '\r' && after != '\n') {
        throw invalid("CSV record on line " + line + " has text after a closing quote.");
      }
    }

    private void skipLineBreak() throws IOException {
      int c = source.peek();
      if (c == '\r') {
        source.read();
        if (source.peek() == '\n') {
          source.read();
        }
      } else if (c == '\n') {
        source.read();
      }
    }
  }
}
