package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code json.records}: one atom per record, its text the record as canonical JSON (object members
 * sorted by key, no whitespace, numbers and strings normalised as in the package documentation).
 *
 * <ul>
 *   <li>{@code format=array} (default): the content is one JSON document; {@code pointer} (RFC
 *       6901, default {@code ""}, the whole document) must select an array, and each element is a
 *       record with span {@code jsonPointer = pointer + "/" + index}. Reads the whole content.
 *   <li>{@code format=jsonl}: JSON Lines, streamed; each non-blank line is one record with span
 *       line number and char range of the line. {@code pointer} must stay {@code ""}.
 * </ul>
 *
 * Duplicate object keys, trailing data and malformed JSON fail with 400 {@code invalid_content}.
 */
final class JsonRecordsAtomizer extends BaseAtomizer {

  // Decimal floats keep every digit (a double would round them); duplicate keys are refused because
  // keeping either one would silently drop data.
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  JsonRecordsAtomizer() {
    super(
        "json.records",
        "One atom per element of a JSON array (optionally selected by a JSON Pointer) or per JSON Lines record.",
        List.of(
            ParamSpec.choice(
                "format",
                "array",
                List.of("array", "jsonl"),
                "A JSON array document or JSON Lines."),
            ParamSpec.string(
                "pointer", "", "RFC 6901 pointer to the array of records (format=array only).")));
  }

  @Override
  public boolean readsWholeContent() {
    return true;
  }

  @Override
  void checkTogether(Map<String, Object> params) {
    String pointer = stringParam(params, "pointer");
    try {
      JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw EnginesException.validation("Param 'pointer' must be an RFC 6901 JSON Pointer.");
    }
    if ("jsonl".equals(stringParam(params, "format")) && !pointer.isEmpty()) {
      throw EnginesException.validation("Param 'pointer' applies only to format=array.");
    }
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) throws IOException {
    if ("jsonl".equals(stringParam(params, "format"))) {
      lines(content, emitter);
    } else {
      array(content, stringParam(params, "pointer"), emitter);
    }
  }

  private static void array(InputStream content, String pointer, Emitter emitter)
      throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(new Utf8Reader(content));
    } catch (JacksonException | NumberFormatException e) {
      // Jackson reports a number beyond BigDecimal's range as a bare NumberFormatException.
      throw invalid("Content is not a single valid JSON document.");
    }
    if (root == null || root.isMissingNode()) {
      throw invalid("Content is empty; expected a JSON document.");
    }
    JsonNode records = root.at(JsonPointer.compile(pointer));
    if (!records.isArray()) {
      throw invalid("The value at param 'pointer' is not a JSON array.");
    }
    int index = 0;
    for (JsonNode record : records.values()) {
      emitter.emit(CanonicalJson.node(record), Span.jsonPointer(pointer + "/" + index++));
    }
  }

  private static void lines(InputStream content, Emitter emitter) throws IOException {
    LineReader lines = new LineReader(new TextSource(content));
    LineReader.Line line;
    while ((line = lines.next()) != null) {
      if (line.text().isBlank()) {
        continue;
      }
      JsonNode record;
      try {
        record = MAPPER.readTree(line.text());
      } catch (JacksonException | NumberFormatException e) {
        throw invalid("JSON Lines line " + line.number() + " is not one valid JSON value.");
      }
      emitter.emit(
          CanonicalJson.node(record), Span.line(line.number(), line.startChar(), line.endChar()));
    }
  }

  private static EnginesException invalid(String detail) {
    return EnginesException.badRequest(Atomizers.INVALID_CONTENT, detail);
  }
}
