package dev.engines.pii.bench;

import dev.engines.pii.PiiEngine;
import dev.engines.pii.PiiLists;
import dev.engines.pii.PiiSettings;
import dev.engines.pii.PiiUnavailableException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One 1 MiB pathological input per run, with the default settings (2 s budget): the time per op
 * must stay bounded; an input that meets the budget fails closed and counts as "unavailable".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PathologicalBenchmark {

  @Param({
    "digits",
    "at-signs",
    "a-at",
    "spaces-dashes",
    "digit-space",
    "colons",
    "eyJ",
    "dotted-digits"
  })
  public String input;

  private PiiEngine engine;
  private String text;

  @Setup(Level.Trial)
  public void setUp() {
    engine = new PiiEngine(PiiSettings.defaults());
    int size = 1 << 20;
    text =
        switch (input) {
          case "digits" -> "7".repeat(size);
          case "at-signs" -> "@".repeat(size);
          case "a-at" -> "a@".repeat(size / 2);
          case "spaces-dashes" -> " -".repeat(size / 2);
          case "digit-space" -> "1 ".repeat(size / 2);
          case "colons" -> ":".repeat(size);
          case "eyJ" -> "eyJ".repeat(size / 3);
          case "dotted-digits" -> "1.".repeat(size / 2);
          default -> throw new IllegalArgumentException(input);
        };
  }

  @Benchmark
  public int analyze() {
    try {
      return engine.analyze(text, PiiLists.none()).size();
    } catch (PiiUnavailableException e) {
      return -1;
    }
  }
}
