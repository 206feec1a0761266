package dev.engines.core.db;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A replica's cache of rows read from the database, which the replica's {@link ChangeListener}
 * keeps current: a notification on the cache's channel drops the entries of the tenant it names.
 * Made by {@link ChangeListener#cache}; its owner keys it by what an entry answers (a {@code
 * Scope}, or a credential that names one tenant) and reads the database itself on a miss.
 *
 * <p>It answers ({@link #get}) only while its listener listens on its channel and was confirmed
 * within {@link ChangeListener#CONFIRMED_WITHIN}; otherwise it is empty and bypassed. An entry
 * older than its max age is read again whatever happened. A read that raced with a change is not
 * kept: an entry is added ({@link #put}) only under the generation ({@link #generation}) it was
 * read in, and every drop starts a new one. The replica that makes a change also drops the tenant's
 * entries itself when its transaction completes ({@link #changedAfterCommit}), so there the change
 * applies to the very next request.
 */
public final class NotifiedCache<K, V> {

  /** A value, and when it was read (the listener's clock). */
  private record Entry<V>(V value, long readAt) {}

  private final ChangeListener listener;
  private final String channel;
  private final long maxAgeNanos;
  private final int maxEntries;
  private final BiFunction<? super K, ? super V, String> tenantOf;
  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean listening;

  NotifiedCache(
      ChangeListener listener,
      String channel,
      Duration maxAge,
      int maxEntries,
      BiFunction<? super K, ? super V, String> tenantOf) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.maxAgeNanos = maxAge.toNanos();
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.maxEntries = maxEntries;
    this.tenantOf = Objects.requireNonNull(tenantOf, "tenantOf");
  }

  String channel() {
    return channel;
  }

  /** Whether the cache may answer: its listener's connection listens on its channel. */
  public boolean listening() {
    return listening;
  }

  /** The clock of {@link #put}'s {@code readAt}. */
  public long now() {
    return listener.now();
  }

  /** The generation to pass to {@link #put} for a value read from now on. */
  public long generation() {
    return generation.get();
  }

  /**
   * The value under {@code key} read less than the max age ago, or null: also when the listener is
   * not listening or not confirmed recently enough.
   */
  public V get(K key) {
    long now = listener.now();
    if (!listening || !listener.confirmed(now)) {
      return null;
    }
    Entry<V> entry = entries.get(key);
    if (entry == null || now - entry.readAt() > maxAgeNanos) {
      return null;
    }
    return entry.value();
  }

  /**
   * Keeps {@code value} under {@code key}, unless a change was heard since {@code readGeneration}
   * (the value may predate it) or the cache is not listening.
   *
   * @param readAt {@link #now} before the value was read
   */
  public synchronized void put(K key, V value, long readGeneration, long readAt) {
    if (!listening || generation.get() != readGeneration) {
      return;
    }
    if (entries.size() >= maxEntries) {
      entries.clear();
    }
    entries.put(key, new Entry<>(value, readAt));
  }

  /** Drops the entries of {@code tenantId}. */
  public synchronized void evict(String tenantId) {
    generation.incrementAndGet();
    entries
        .entrySet()
        .removeIf(e -> tenantId.equals(tenantOf.apply(e.getKey(), e.getValue().value())));
  }

  /** Drops every entry. */
  public synchronized void clear() {
    generation.incrementAndGet();
    entries.clear();
  }

  /**
   * Drops the entries of {@code tenantId} now and again when the open transaction completes, for a
   * change made on this replica: the next request here sees it, without waiting for the
   * notification. Outside a transaction, drops them now.
   */
  public void changedAfterCommit(String tenantId) {
    Objects.requireNonNull(tenantId, "tenantId");
    evict(tenantId);
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new WhenTransactionEnds(() -> evict(tenantId)));
    }
  }

  /** Runs {@code action} when the transaction completes, whatever its outcome. */
  private record WhenTransactionEnds(Runnable action) implements TransactionSynchronization {
    @Override
    public void afterCompletion(int status) {
      action.run();
    }
  }

  /** The listener listens on the channel now, on a connection that heard nothing before. */
  void started() {
    clear();
    listening = true;
  }

  /** The listener's connection is gone: answer nothing until it listens again. */
  void stopped() {
    listening = false;
    clear();
  }
}
