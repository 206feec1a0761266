package dev.engines.ledger;

import dev.engines.core.db.DatabaseFailures;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for standalone events (reads, failures: requests whose event has no write
 * transaction to ride in). Each request thread hands its event over and waits until it is
 * committed, so a response is never counted before its event exists; one writer thread commits
 * whatever has queued meanwhile in one transaction per tenant/env. Under concurrency this turns N
 * transactions into one, which is where the ledger's cost per request went. When nothing is queued,
 * one request at a time commits its own event directly, sparing a lone request the hand-over.
 *
 * <p>If the database refuses a batch (an integrity violation, a lock timeout), its events are
 * retried one transaction each, so one bad event cannot take its neighbours down; the database
 * unreachable fails the batch at once. The failing request's own thread reports it.
 */
final class StandaloneEventWriter implements AutoCloseable {

  /** The job name of the writer's transactions. */
  private static final String JOB = "ledger.standalone";

  private static final Logger log = LoggerFactory.getLogger(StandaloneEventWriter.class);

  /** Bounds one transaction's size and so the latency of the requests in it. */
  static final int MAX_BATCH = 128;

  private static final int CAPACITY = 8192;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private record Item(DatasetEvent event, CompletableFuture<Void> done) {}

  private final Ledger ledger;
  private final ScopedTransactions tx;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread worker;
  private final Semaphore directLane = new Semaphore(1);
  private volatile boolean closed;

  StandaloneEventWriter(Ledger ledger, ScopedTransactions tx) {
    this.ledger = ledger;
    this.tx = tx;
    this.worker = Thread.ofPlatform().name("ledger-writer").daemon().start(this::loop);
  }

  /**
   * Commits {@code event} (with the others queued meanwhile) and returns once it is committed.
   *
   * @throws IllegalStateException if it could not be committed within the wait bound
   */
  void append(DatasetEvent event) {
    if (closed) {
      throw new IllegalStateException("the ledger writer is closed");
    }
    // Nothing queued and nobody else writing directly: commit on this thread and spare the two
    // thread hand-overs, which are most of what a lone request pays. Under concurrency the others
    // queue up meanwhile, and the writer commits them together.
    if (queue.isEmpty() && directLane.tryAcquire()) {
      try {
        RuntimeException failure = commitAll(List.of(event)).getFirst();
        if (failure != null) {
          throw new IllegalStateException("the event could not be committed", failure);
        }
        return;
      } finally {
        directLane.release();
      }
    }
    Item item = new Item(event, new CompletableFuture<>());
    try {
      if (!queue.offer(item, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the ledger writer's queue stayed full for " + WAIT);
      }
      item.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the event was being committed", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the event could not be committed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the event was not committed within " + WAIT, e);
    }
  }

  private void loop() {
    List<Item> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      } catch (RuntimeException | Error e) {
        // Never leave a request waiting on an item this loop has taken.
        batch.forEach(item -> item.done().completeExceptionally(e));
        log.error("ledger writer: a batch of {} events failed", batch.size(), e);
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Item> batch) {
    List<RuntimeException> failures = commitAll(batch.stream().map(Item::event).toList());
    for (int i = 0; i < batch.size(); i++) {
      if (failures.get(i) == null) {
        batch.get(i).done().complete(null);
      } else {
        batch.get(i).done().completeExceptionally(failures.get(i));
      }
    }
  }

  /**
   * Commits {@code events}, one transaction per tenant/env; when the database refuses one, its
   * events are retried one transaction each.
   *
   * @return per event, in order, null when committed or the failure that kept it out
   */
  List<RuntimeException> commitAll(List<DatasetEvent> events) {
    RuntimeException[] failures = new RuntimeException[events.size()];
    Map<Scope, List<Integer>> byScope = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      byScope.computeIfAbsent(events.get(i).scope(), s -> new ArrayList<>()).add(i);
    }
    byScope.forEach(
        (scope, indexes) -> {
          try {
            write(scope, indexes.stream().map(events::get).toList());
          } catch (RuntimeException e) {
            if (DatabaseFailures.unavailable(e)) {
              // The database is unreachable or failing as a whole: retrying one by one would only
              // multiply the wait of every request queued behind this batch.
              indexes.forEach(i -> failures[i] = e);
              return;
            }
            // One event the database refuses (a constraint, the lock of an event whose commit is in
            // doubt): find it, so its neighbours still land.
            for (int i : indexes) {
              try {
                write(scope, List.of(events.get(i)));
              } catch (RuntimeException single) {
                failures[i] = single;
              }
            }
          }
        });
    return Arrays.asList(failures);
  }

  private void write(Scope scope, List<DatasetEvent> events) {
    // A standalone event does not wait for the WAL flush: a database crash may lose the last few
    // hundred milliseconds of them, never a change without its event (those commit synchronously,
    // together with the change). See docs/adr/0004.
    // The writer is no request's caller: its transaction carries other requests' events, and the
    // commit hook (which would add a request's own) is not installed on these transactions anyway.
    tx.writeUnflushed(
        Caller.system(scope, JOB),
        () -> {
          ledger.appendAll(events);
          return null;
        });
  }

  /** Commits what is queued, then stops the writer thread. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.join(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
