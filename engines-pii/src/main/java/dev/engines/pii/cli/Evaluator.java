package dev.engines.pii.cli;

import dev.engines.core.scope.Scope;
import dev.engines.pii.PiiEngine;
import dev.engines.pii.PiiKeys;
import dev.engines.pii.PiiLists;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.Redaction;
import dev.engines.pii.RedactionPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Scores the engine on a labelled JSONL corpus: per line {@code text}, {@code spans} (start, end,
 * type, value) and optional {@code negatives} (start, end, value: look-alikes that must not be
 * flagged). A span counts as found under the exact rule when a detected span has the same type and
 * the same offsets, and under the overlap rule when one of the same type overlaps it. A leak is a
 * labelled value still present in the redacted text (default policy); a flagged negative is one
 * that any detected span overlaps.
 */
final class Evaluator {

  /** Counts for one entity type; {@code predicted} counts detected spans of the type. */
  static final class TypeStats {
    int gold;
    int predicted;
    int exactTruePositives;
    int overlapGoldFound;
    int overlapPredictedCorrect;

    double precision() {
      return ratio(exactTruePositives, predicted);
    }

    double recall() {
      return ratio(exactTruePositives, gold);
    }

    double f2() {
      return f2(precision(), recall());
    }

    double overlapPrecision() {
      return ratio(overlapPredictedCorrect, predicted);
    }

    double overlapRecall() {
      return ratio(overlapGoldFound, gold);
    }

    double overlapF2() {
      return f2(overlapPrecision(), overlapRecall());
    }

    private static double ratio(int a, int b) {
      return b == 0 ? 1.0 : (double) a / b;
    }

    private static double f2(double p, double r) {
      return p + r == 0 ? 0.0 : 5 * p * r / (4 * p + r);
    }
  }

  /** The result of one evaluation. */
  record Report(
      int lines,
      Map<String, TypeStats> types,
      int leaks,
      int labelled,
      int negatives,
      int negativesFlagged) {}

  /** A labelled line that does not follow the format; the message names the line, not its text. */
  static final class MalformedInputException extends RuntimeException {
    MalformedInputException(String message) {
      super(message);
    }
  }

  private Evaluator() {}

  static Report evaluate(
      PiiEngine engine, PiiKeys keys, Scope scope, BufferedReader in, ObjectMapper json) {
    Map<String, TypeStats> types = new TreeMap<>();
    int lines = 0;
    int leaks = 0;
    int labelled = 0;
    int negatives = 0;
    int negativesFlagged = 0;
    int lineNo = 0;
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = parse(json, line, lineNo);
        String text = requireText(node, "text", lineNo);
        List<Gold> gold = readSpans(node, "spans", lineNo, true, text.length());
        List<Gold> negs =
            node.has("negatives")
                ? readSpans(node, "negatives", lineNo, false, text.length())
                : List.of();
        Redaction redaction =
            engine.redact(text, RedactionPolicy.defaults(), PiiLists.none(), keys, scope);
        List<PiiSpan> found = redaction.spans();
        lines++;
        for (Gold g : gold) {
          TypeStats stats = types.computeIfAbsent(g.type, t -> new TypeStats());
          stats.gold++;
          labelled++;
          if (found.stream()
              .anyMatch(p -> p.type().equals(g.type) && p.start() == g.start && p.end() == g.end)) {
            stats.exactTruePositives++;
          }
          if (found.stream()
              .anyMatch(p -> p.type().equals(g.type) && p.start() < g.end && g.start < p.end())) {
            stats.overlapGoldFound++;
          }
          if (!g.value.isEmpty() && redaction.text().contains(g.value)) {
            leaks++;
          }
        }
        for (PiiSpan p : found) {
          TypeStats stats = types.computeIfAbsent(p.type(), t -> new TypeStats());
          stats.predicted++;
          if (gold.stream()
              .anyMatch(g -> g.type.equals(p.type()) && p.start() < g.end && g.start < p.end())) {
            stats.overlapPredictedCorrect++;
          }
        }
        for (Gold n : negs) {
          negatives++;
          if (found.stream().anyMatch(p -> p.start() < n.end && n.start < p.end())) {
            negativesFlagged++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Report(lines, types, leaks, labelled, negatives, negativesFlagged);
  }

  private record Gold(String type, int start, int end, String value) {}

  private static JsonNode parse(ObjectMapper json, String line, int lineNo) {
    try {
      JsonNode node = json.readTree(line);
      if (node == null || !node.isObject()) {
        throw new MalformedInputException("line " + lineNo + ": not a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new MalformedInputException("line " + lineNo + ": not valid JSON");
    }
  }

  private static String requireText(JsonNode node, String field, int lineNo) {
    JsonNode value = node.get(field);
    if (value == null || !value.isString()) {
      throw new MalformedInputException(
          "line " + lineNo + ": field '" + field + "' must be a string");
    }
    return value.asString();
  }

  private static List<Gold> readSpans(
      JsonNode node, String field, int lineNo, boolean typed, int textLength) {
    JsonNode array = node.get(field);
    if (array == null || !array.isArray()) {
      throw new MalformedInputException(
          "line " + lineNo + ": field '" + field + "' must be an array");
    }
    List<Gold> out = new ArrayList<>();
    for (JsonNode span : array) {
      JsonNode start = span.get("start");
      JsonNode end = span.get("end");
      if (start == null || !start.isInt() || end == null || !end.isInt()) {
        throw new MalformedInputException(
            "line " + lineNo + ": every entry of '" + field + "' needs integer start and end");
      }
      if (start.asInt() < 0 || end.asInt() <= start.asInt() || end.asInt() > textLength) {
        throw new MalformedInputException(
            "line " + lineNo + ": an entry of '" + field + "' has offsets outside the text");
      }
      String type = "";
      if (typed) {
        JsonNode t = span.get("type");
        if (t == null || !t.isString() || t.asString().isEmpty()) {
          throw new MalformedInputException(
              "line " + lineNo + ": every entry of '" + field + "' needs a type");
        }
        type = t.asString();
      }
      JsonNode value = span.get("value");
      out.add(
          new Gold(
              type,
              start.asInt(),
              end.asInt(),
              value != null && value.isString() ? value.asString() : ""));
    }
    return out;
  }
}
