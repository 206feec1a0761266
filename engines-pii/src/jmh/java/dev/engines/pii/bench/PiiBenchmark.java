package dev.engines.pii.bench;

import dev.engines.pii.DerivedPiiKeys;
import dev.engines.pii.PiiEngine;
import dev.engines.pii.PiiKeys;
import dev.engines.pii.PiiLists;
import dev.engines.pii.PiiSettings;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.Redaction;
import dev.engines.pii.RedactionPolicy;
import java.time.Duration;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Single-thread throughput of the full detector set with the default settings, for {@code analyze}
 * and {@code redact} (default policy) on synthetic log-like and prose text of 1 KiB, 64 KiB and 1
 * MiB. MB/s = bytes per op (the text is ASCII, one byte per char) / time per op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class PiiBenchmark {

  @Param({"logs", "prose"})
  public String kind;

  @Param({"1024", "65536", "1048576"})
  public int size;

  private PiiEngine engine;
  private PiiKeys keys;
  private dev.engines.core.scope.Scope scope;
  private String text;

  @Setup(Level.Trial)
  public void setUp() {
    engine = new PiiEngine(PiiSettings.defaults().withTimeBudget(Duration.ofSeconds(30)));
    keys = DerivedPiiKeys.fromSecret("benchmark-master-secret-of-32-bytes!!");
    scope = dev.engines.core.scope.Scope.of("t_bench", "dev");
    text = kind.equals("logs") ? SyntheticText.logs(size, 42) : SyntheticText.prose(size, 42);
  }

  @Benchmark
  public List<PiiSpan> analyze() {
    return engine.analyze(text, PiiLists.none());
  }

  @Benchmark
  public Redaction redact() {
    return engine.redact(text, RedactionPolicy.defaults(), PiiLists.none(), keys, scope);
  }
}
