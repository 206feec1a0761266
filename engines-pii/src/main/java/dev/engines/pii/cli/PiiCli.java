package dev.engines.pii.cli;

import dev.engines.core.scope.Scope;
import dev.engines.pii.DerivedPiiKeys;
import dev.engines.pii.PiiEngine;
import dev.engines.pii.PiiKeys;
import dev.engines.pii.PiiLists;
import dev.engines.pii.PiiSettings;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiUnavailableException;
import dev.engines.pii.Redaction;
import dev.engines.pii.RedactionPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Command line for the PII engine, run through {@code bin/engines pii}:
 *
 * <ul>
 *   <li>{@code analyze}: JSONL {@code {"id":…,"text":…}} on stdin, one JSONL line {@code
 *       {"id":…,"spans":[{"type","start","end","score"}],"redacted":"…"}} per input on stdout,
 *       default policy. An input the engine refuses (too large, time budget) gets {@code
 *       {"id":…,"error":"<code>"}} and no text; the exit status is then 1.
 *   <li>{@code eval FILE.jsonl}: scores the engine on a labelled corpus (see {@link Evaluator}),
 *       prints a table and, as the last line, a JSON summary.
 * </ul>
 *
 * Malformed input stops the run with exit status 2 and a message naming the line. Keys for keyed
 * operators come from {@code ENGINES_PII_SECRET} (at least 32 bytes) when set, else from a fixed
 * development secret; the default policy uses none.
 */
public final class PiiCli {

  private static final String DEV_SECRET = "engines-pii-cli-development-secret-not-for-production";
  private static final Scope SCOPE = Scope.of("t_cli", "dev");

  private PiiCli() {}

  /** Entry point; see the class comment for the commands. */
  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false,
            StandardCharsets.UTF_8);
    int status =
        run(
            args,
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
            out,
            System.err);
    out.flush();
    System.exit(status);
  }

  static int run(String[] args, BufferedReader stdin, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: pii analyze < in.jsonl | pii eval FILE.jsonl");
      return 2;
    }
    String secret = System.getenv("ENGINES_PII_SECRET");
    PiiKeys keys =
        DerivedPiiKeys.fromSecret(secret == null || secret.isEmpty() ? DEV_SECRET : secret);
    PiiEngine engine = new PiiEngine(PiiSettings.defaults());
    ObjectMapper json = JsonMapper.builder().build();
    try {
      return switch (args[0]) {
        case "analyze" -> analyze(engine, keys, stdin, out, err, json);
        case "eval" -> {
          if (args.length != 2) {
            err.println("usage: pii eval FILE.jsonl");
            yield 2;
          }
          yield eval(engine, keys, Path.of(args[1]), out, err, json);
        }
        default -> {
          err.println("pii: unknown command '" + args[0] + "' (analyze, eval)");
          yield 2;
        }
      };
    } catch (Evaluator.MalformedInputException e) {
      err.println("pii: malformed input: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("pii: " + e.getMessage());
      return 2;
    }
  }

  private static int analyze(
      PiiEngine engine,
      PiiKeys keys,
      BufferedReader in,
      PrintStream out,
      PrintStream err,
      ObjectMapper json) {
    int status = 0;
    int lineNo = 0;
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = json.readTree(line);
        } catch (JacksonException e) {
          throw new Evaluator.MalformedInputException("line " + lineNo + ": not valid JSON");
        }
        if (node == null
            || !node.isObject()
            || node.get("text") == null
            || !node.get("text").isString()) {
          throw new Evaluator.MalformedInputException(
              "line " + lineNo + ": expected an object with a string field 'text'");
        }
        ObjectNode result = json.createObjectNode();
        result.set("id", node.get("id"));
        try {
          Redaction redaction =
              engine.redact(
                  node.get("text").asString(),
                  RedactionPolicy.defaults(),
                  PiiLists.none(),
                  keys,
                  SCOPE);
          ArrayNode spans = result.putArray("spans");
          for (PiiSpan span : redaction.spans()) {
            spans
                .addObject()
                .put("type", span.type())
                .put("start", span.start())
                .put("end", span.end())
                .put("score", span.score());
          }
          result.put("redacted", redaction.text());
        } catch (PiiUnavailableException e) {
          result.put("error", e.code());
          err.println("pii: line " + lineNo + ": " + e.getMessage());
          status = 1;
        }
        out.println(json.writeValueAsString(result));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return status;
  }

  private static int eval(
      PiiEngine engine,
      PiiKeys keys,
      Path file,
      PrintStream out,
      PrintStream err,
      ObjectMapper json) {
    Evaluator.Report report;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      report = Evaluator.evaluate(engine, keys, SCOPE, in, json);
    } catch (NoSuchFileException e) {
      err.println("pii: no such file: " + file);
      return 2;
    } catch (IOException e) {
      err.println("pii: cannot read " + file + ": " + e.getMessage());
      return 2;
    }
    out.printf(
        Locale.ROOT,
        "%-16s %6s %6s %7s %7s %7s %7s %7s %7s%n",
        "type",
        "gold",
        "pred",
        "P",
        "R",
        "F2",
        "P~",
        "R~",
        "F2~");
    ObjectNode summary = json.createObjectNode();
    ObjectNode types = summary.putObject("types");
    for (Map.Entry<String, Evaluator.TypeStats> entry : report.types().entrySet()) {
      Evaluator.TypeStats s = entry.getValue();
      out.printf(
          Locale.ROOT,
          "%-16s %6d %6d %7.4f %7.4f %7.4f %7.4f %7.4f %7.4f%n",
          entry.getKey(),
          s.gold,
          s.predicted,
          s.precision(),
          s.recall(),
          s.f2(),
          s.overlapPrecision(),
          s.overlapRecall(),
          s.overlapF2());
      types
          .putObject(entry.getKey())
          .put("gold", s.gold)
          .put("predicted", s.predicted)
          .put("precision", round(s.precision()))
          .put("recall", round(s.recall()))
          .put("f2", round(s.f2()))
          .put("overlap_precision", round(s.overlapPrecision()))
          .put("overlap_recall", round(s.overlapRecall()))
          .put("overlap_f2", round(s.overlapF2()));
    }
    out.println("(P/R/F2: same type and exact offsets; ~: same type and overlapping)");
    out.printf(
        Locale.ROOT,
        "lines %d, labelled values %d, leaked %d (rate %.4f), negatives %d, flagged %d%n",
        report.lines(),
        report.labelled(),
        report.leaks(),
        leakRate(report),
        report.negatives(),
        report.negativesFlagged());
    summary
        .put("lines", report.lines())
        .put("labelled", report.labelled())
        .put("leaks", report.leaks())
        .put("leak_rate", round(leakRate(report)))
        .put("negatives", report.negatives())
        .put("negatives_flagged", report.negativesFlagged());
    out.println(json.writeValueAsString(summary));
    return 0;
  }

  private static double leakRate(Evaluator.Report report) {
    return report.labelled() == 0 ? 0.0 : (double) report.leaks() / report.labelled();
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
