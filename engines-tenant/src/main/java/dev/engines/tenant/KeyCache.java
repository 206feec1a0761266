package dev.engines.tenant;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
 * when it commits (V78); a listener thread per replica drops the tenant's entries when it hears
 * one. The replica that made the change also drops them itself when its transaction completes
 * ({@link #changedAfterCommit}), so there the change applies to the very next request. The cache
 * answers only while its listener is connected, listening, and confirmed so within {@link
 * #CONFIRMED_WITHIN}: when that connection fails, the cache is emptied and bypassed (every request
 * reads the key from the database) until a new connection listens again. An entry older than {@link
 * #MAX_AGE} is read again whatever happened. A lookup that raced with a change is not kept: entries
 * are only added under the generation they were read in.
 */
public final class KeyCache implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeyCache.class);

  /** The channel V78's triggers notify. */
  static final String CHANNEL = "engines_auth";

  /** The listener's liveness check; its text names it in pg_stat_activity. */
  static final String PROBE = "SELECT 'engines_auth_listener'";

  /** An entry is read again after this long, notification or not. */
  static final Duration MAX_AGE = Duration.ofSeconds(10);

  /** The listener checks its connection when it heard nothing for this long. */
  static final Duration LISTEN_CHECK = Duration.ofMillis(500);

  /**
   * The cache answers only if its listener confirmed its connection this recently: a connection
   * that died unnoticed stops answers within this bound, not when the listener finds out.
   */
  static final Duration CONFIRMED_WITHIN = Duration.ofSeconds(1);

  /** A bound on memory: past it, the cache starts over. */
  static final int MAX_ENTRIES = 100_000;

  private static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

  /** A verified row, and when it was read. */
  record Entry(Credentials.KeyRow row, long readAt) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final DataSource dataSource;
  private final LongSupplier nanos;
  private final Thread listener;
  private volatile boolean listening;

  /** When the listener's connection was last known to deliver everything committed before. */
  private volatile long confirmedAt;

  private volatile boolean closed;

  /**
   * @param dataSource where the listener takes its connection from (held for as long as it
   *     listens), or null for a cache that never answers
   */
  KeyCache(DataSource dataSource, LongSupplier nanos) {
    this.dataSource = dataSource;
    this.nanos = Objects.requireNonNull(nanos, "nanos");
    this.listener =
        dataSource == null
            ? null
            : Thread.ofPlatform().name("auth-cache-listener").daemon().start(this::listen);
  }

  /** Whether the cache answers: its listener is connected and listening. */
  public boolean listening() {
    return listening;
  }

  /** The generation to pass to {@link #put} for a row read from now on. */
  long generation() {
    return generation.get();
  }

  /** The entry under {@code key} read less than {@link #MAX_AGE} ago, or null. */
  Entry get(String key) {
    long now = nanos.getAsLong();
    if (!listening || now - confirmedAt > CONFIRMED_WITHIN.toNanos()) {
      return null;
    }
    Entry entry = entries.get(key);
    if (entry == null || now - entry.readAt() > MAX_AGE.toNanos()) {
      return null;
    }
    return entry;
  }

  /**
   * Keeps {@code row} under {@code key}, unless a change was heard since {@code readGeneration}
   * (the row may predate it) or the cache is not listening.
   */
  synchronized void put(String key, Credentials.KeyRow row, long readGeneration, long readAt) {
    if (!listening || generation.get() != readGeneration) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, new Entry(row, readAt));
  }

  /** Drops the entries of {@code tenantId}. */
  synchronized void evict(String tenantId) {
    generation.incrementAndGet();
    entries.values().removeIf(e -> e.row().tenantId().equals(tenantId));
  }

  /** Drops every entry. */
  synchronized void clear() {
    generation.incrementAndGet();
    entries.clear();
  }

  /**
   * Drops the entries of {@code tenantId} now and again when the open transaction completes, for a
   * change of a key, user or tenant made on this replica: the next request here sees it, without
   * waiting for the notification. Outside a transaction, drops them now.
   */
  public void changedAfterCommit(String tenantId) {
    Objects.requireNonNull(tenantId, "tenantId");
    evict(tenantId);
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
              evict(tenantId);
            }
          });
    }
  }

  private void listen() {
    while (!closed) {
      try (Connection connection = dataSource.getConnection()) {
        try {
          hear(connection);
        } catch (SQLException | RuntimeException e) {
          // The driver's own notification call bypasses the pool: a statement through the pool's
          // connection lets the pool see the failure too and drop a dead connection, not lend it.
          try (Statement statement = connection.createStatement()) {
            statement.execute(PROBE);
          } catch (SQLException dead) {
            e.addSuppressed(dead);
          }
          throw e;
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          log.warn(
              "the API-key cache lost its listener; keys are read from the database until it is back",
              e);
        }
      } finally {
        listening = false;
        clear();
      }
      pause();
    }
  }

  /** Listens on {@code connection} until the cache closes; throws when the connection fails. */
  private void hear(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    PGConnection pg = connection.unwrap(PGConnection.class);
    long listenedAt = nanos.getAsLong();
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + CHANNEL);
    }
    // Whatever changed while nobody listened is unknown: start empty.
    clear();
    confirmedAt = listenedAt;
    listening = true;
    while (!closed) {
      long asked = nanos.getAsLong();
      PGNotification[] heard = pg.getNotifications((int) LISTEN_CHECK.toMillis());
      if (heard == null || heard.length == 0) {
        // Quiet: make sure the connection still hears (a dead one throws here). The server sends
        // what was committed before the probe ahead of its answer, so once it answers, nothing
        // committed before `asked` is left unheard but what the next call returns at once.
        try (Statement statement = connection.createStatement()) {
          statement.execute(PROBE);
        }
        confirmedAt = asked;
        continue;
      }
      for (PGNotification notification : heard) {
        String tenant = notification.getParameter();
        if (tenant == null || tenant.isEmpty()) {
          clear();
        } else {
          evict(tenant);
        }
      }
      confirmedAt = asked;
    }
    // Back to the pool: the next borrower must not collect this channel's notifications.
    try (Statement statement = connection.createStatement()) {
      statement.execute("UNLISTEN *");
    }
  }

  private void pause() {
    try {
      Thread.sleep(RECONNECT_DELAY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops listening; the cache answers no more. */
  @Override
  public void close() {
    closed = true;
    listening = false;
    clear();
    if (listener != null) {
      listener.interrupt();
      try {
        listener.join(RECONNECT_DELAY.toMillis() + LISTEN_CHECK.toMillis() * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
