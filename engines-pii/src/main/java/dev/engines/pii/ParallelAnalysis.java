package dev.engines.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Analyses many texts on up to {@code threads} threads, the calling thread included: what lets one
 * derivation's PII pass use more than one core ({@code engines.pii.analysis-threads}). Only the
 * analysis runs elsewhere: it is pure (the engine, its detectors and the lists are immutable), so
 * the answers are the same spans, in the same order, as one thread would find. Applying the
 * operators stays on the caller's thread, since a token's subject key may be read in the caller's
 * transaction.
 *
 * <p>The work is shared, not handed over: the texts are cut into chunks that the caller and the
 * pool's idle threads claim one at a time, so a caller whose helpers are busy with other
 * derivations simply analyses every chunk itself and waits for nobody that has not started. A
 * failure (the size cap, the time budget) is rethrown on the caller's thread once every started
 * chunk has ended: the first one in text order, so the same input fails the same way.
 */
final class ParallelAnalysis implements AutoCloseable {

  /** Below this many characters per thread, a hand-over costs more than it saves. */
  static final int MIN_CHUNK_CHARS = 16 * 1024;

  private final int threads;
  private final ExecutorService pool;

  /** Analyses on {@code threads} threads in all: the caller's and {@code threads - 1} of a pool. */
  ParallelAnalysis(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    this.threads = threads;
    // No queue: a chunk is handed to a thread that is idle now, or to nobody (rejected, and the
    // caller analyses it), so no task outlives its call holding the texts.
    this.pool =
        threads == 1
            ? null
            : new ThreadPoolExecutor(
                threads - 1,
                threads - 1,
                0,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                Thread.ofPlatform().name("pii-analysis-", 1).daemon().factory(),
                new ThreadPoolExecutor.AbortPolicy());
  }

  /** The spans of each text, in order, as {@code analyze} finds them one text at a time. */
  List<List<PiiSpan>> analyzeAll(List<String> texts, Function<String, List<PiiSpan>> analyze) {
    int chunks = chunks(texts);
    if (chunks == 1) {
      List<List<PiiSpan>> spans = new ArrayList<>(texts.size());
      texts.forEach(text -> spans.add(analyze.apply(text)));
      return spans;
    }
    AtomicReferenceArray<List<PiiSpan>> spans = new AtomicReferenceArray<>(texts.size());
    Throwable[] failures = new Throwable[chunks];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch ended = new CountDownLatch(chunks);
    Runnable worker =
        () -> {
          for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
            try {
              for (int i = c * texts.size() / chunks; i < (c + 1) * texts.size() / chunks; i++) {
                spans.set(i, analyze.apply(texts.get(i)));
              }
            } catch (RuntimeException | Error e) {
              failures[c] = e;
            } finally {
              ended.countDown();
            }
          }
        };
    for (int t = 1; t < Math.min(threads, chunks); t++) {
      try {
        pool.execute(worker);
      } catch (RejectedExecutionException e) {
        // Every helper is busy (or the pool is shutting down): the caller does the rest itself.
        break;
      }
    }
    worker.run();
    boolean interrupted = false;
    while (true) {
      try {
        ended.await();
        break;
      } catch (InterruptedException e) {
        // The chunks a helper claimed end within the time budget: wait for them, then say so.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (Throwable failure : failures) {
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
    }
    List<List<PiiSpan>> answer = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      answer.add(spans.get(i));
    }
    return answer;
  }

  /** How many chunks: one per thread at most, none smaller than {@link #MIN_CHUNK_CHARS}. */
  private int chunks(List<String> texts) {
    if (pool == null || texts.size() < 2) {
      return 1;
    }
    long chars = 0;
    for (String text : texts) {
      chars += text.length();
    }
    return (int) Math.max(1, Math.min(Math.min(threads, texts.size()), chars / MIN_CHUNK_CHARS));
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
