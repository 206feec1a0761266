package dev.engines.tenant;

import dev.engines.core.db.ChangeListener;
import dev.engines.core.db.NotifiedCache;
import java.time.Duration;
import java.util.Objects;

/**
 * The API-key rows this replica has verified, so that a request with a known key spends no round
 * trip on {@code api_key_lookup} (docs/adr/0016-api-key-cache.md). What is kept is the row, not the
 * decision: expiry, the previous secret's grace period, revocation, the user's and the tenant's
 * status are checked against it on every request, as they are against a row just read.
 *
 * <p>An entry is keyed by the key id and the hash of the secret presented (never the secret), so it
 * answers only a request that presents exactly the credential it was verified for, and names the
 * one tenant that credential belongs to. A wrong secret misses and is looked up as before.
 *
 * <p>Freshness: every change of a key, user or tenant row notifies channel {@code engines_auth}
 * when it commits (V78); the replica's {@link ChangeListener} drops the tenant's entries when it
 * hears one. The replica that made the change also drops them itself when its transaction completes
 * ({@link #changedAfterCommit}), so there the change applies to the very next request. The cache
 * answers only while the listener is connected, listening, and confirmed so within {@link
 * #CONFIRMED_WITHIN}: when that connection fails, the cache is emptied and bypassed (every request
 * reads the key from the database) until a new connection listens again. An entry older than {@link
 * #MAX_AGE} is read again whatever happened. A lookup that raced with a change is not kept: entries
 * are only added under the generation they were read in ({@link NotifiedCache}).
 */
public final class KeyCache {

  /** The channel V78's triggers notify. */
  static final String CHANNEL = "engines_auth";

  /** An entry is read again after this long, notification or not. */
  static final Duration MAX_AGE = Duration.ofSeconds(10);

  /** The bound on the listener's confirmation (as {@link ChangeListener#CONFIRMED_WITHIN}). */
  static final Duration CONFIRMED_WITHIN = ChangeListener.CONFIRMED_WITHIN;

  /** A bound on memory: past it, the cache starts over. */
  static final int MAX_ENTRIES = 100_000;

  /** A verified row, and when it was read. */
  record Entry(Credentials.KeyRow row, long readAt) {}

  private final NotifiedCache<String, Entry> entries;

  KeyCache(ChangeListener listener) {
    this.entries =
        listener.cache(CHANNEL, MAX_AGE, MAX_ENTRIES, (key, entry) -> entry.row().tenantId());
  }

  /** Whether the cache answers: its listener is connected and listening. */
  public boolean listening() {
    return entries.listening();
  }

  /** The generation to pass to {@link #put} for a row read from now on. */
  long generation() {
    return entries.generation();
  }

  /** The entry under {@code key} read less than {@link #MAX_AGE} ago, or null. */
  Entry get(String key) {
    return entries.get(key);
  }

  /**
   * Keeps {@code row} under {@code key}, unless a change was heard since {@code readGeneration}
   * (the row may predate it) or the cache is not listening.
   */
  void put(String key, Credentials.KeyRow row, long readGeneration, long readAt) {
    entries.put(key, new Entry(row, readAt), readGeneration, readAt);
  }

  /**
   * Drops the entries of {@code tenantId} now and again when the open transaction completes, for a
   * change of a key, user or tenant made on this replica: the next request here sees it, without
   * waiting for the notification. Outside a transaction, drops them now.
   */
  public void changedAfterCommit(String tenantId) {
    entries.changedAfterCommit(Objects.requireNonNull(tenantId, "tenantId"));
  }
}
