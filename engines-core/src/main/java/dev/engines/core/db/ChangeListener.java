package dev.engines.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection of a replica that listens to PostgreSQL's change notifications for every
 * {@link NotifiedCache} of the replica (docs/adr/0016-api-key-cache.md, 0018-gate-state-cache.md):
 * each cache names its channel, whose triggers notify a tenant's id when a change commits (an empty
 * payload: drop everything), and this listener drops the entries the notification names.
 *
 * <p>A cache answers only while this listener is connected, listening on its channel, and confirmed
 * so within {@link #CONFIRMED_WITHIN}: when the listener hears nothing for 500 ms it sends a probe,
 * which the server answers only after delivering every notification committed before. When the
 * connection fails, every cache is emptied and bypassed (their owners read the database) until a
 * new connection listens again; whatever changed meanwhile is unknown, so each cache starts empty
 * then.
 */
public final class ChangeListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);

  /** The listener's liveness check; its text names the listener in pg_stat_activity. */
  public static final String PROBE = "SELECT 'engines_change_listener'";

  /** The listener checks its connection when it heard nothing for this long. */
  private static final Duration LISTEN_CHECK = Duration.ofMillis(500);

  /**
   * A cache answers only if its listener confirmed its connection this recently: a connection that
   * died unnoticed stops answers within this bound, not when the listener finds out.
   */
  public static final Duration CONFIRMED_WITHIN = Duration.ofSeconds(1);

  private static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

  private final DataSource dataSource;
  private final LongSupplier nanos;
  private final List<NotifiedCache<?, ?>> caches = new CopyOnWriteArrayList<>();
  private final Thread thread;

  /** When the connection was last known to deliver everything committed before. */
  private volatile long confirmedAt;

  private volatile boolean closed;

  /**
   * @param dataSource where the listener takes its connection from (held for as long as it
   *     listens), or null for a listener that never listens (its caches never answer)
   * @param nanos the monotonic clock of the confirmations and the entries' ages
   */
  public ChangeListener(DataSource dataSource, LongSupplier nanos) {
    this.dataSource = dataSource;
    this.nanos = Objects.requireNonNull(nanos, "nanos");
    this.thread =
        dataSource == null
            ? null
            : Thread.ofPlatform().name("change-listener").daemon().start(this::run);
  }

  /**
   * A new cache whose entries notifications on {@code channel} drop, by tenant.
   *
   * @param channel the channel the cache's triggers notify (a plain identifier)
   * @param maxAge an entry is read again after this long, notification or not
   * @param maxEntries past this many entries, the cache starts over
   * @param tenantOf the tenant an entry belongs to, by key and value
   */
  public <K, V> NotifiedCache<K, V> cache(
      String channel,
      Duration maxAge,
      int maxEntries,
      BiFunction<? super K, ? super V, String> tenantOf) {
    if (!channel.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a channel name: " + channel);
    }
    NotifiedCache<K, V> cache = new NotifiedCache<>(this, channel, maxAge, maxEntries, tenantOf);
    // A cache added while a connection listens is listened for at the listener's next turn.
    caches.add(cache);
    return cache;
  }

  long now() {
    return nanos.getAsLong();
  }

  /** Whether a confirmation is recent enough for a cache to answer at {@code now}. */
  boolean confirmed(long now) {
    return now - confirmedAt <= CONFIRMED_WITHIN.toNanos();
  }

  private void run() {
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
              "the change listener lost its connection; notified caches read from the database until it is back",
              e);
        }
      } finally {
        for (NotifiedCache<?, ?> cache : caches) {
          cache.stopped();
        }
      }
      pause();
    }
  }

  /** Listens on {@code connection} until closed; throws when the connection fails. */
  private void hear(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    PGConnection pg = connection.unwrap(PGConnection.class);
    while (!closed) {
      long asked = now();
      for (NotifiedCache<?, ?> cache : caches) {
        if (!cache.listening()) {
          try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + cache.channel());
          }
          // Whatever changed while nobody listened is unknown: the cache starts empty. The LISTEN's
          // answer confirms the connection as the probe's does.
          confirmedAt = asked;
          cache.started();
        }
      }
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
        for (NotifiedCache<?, ?> cache : caches) {
          if (cache.channel().equals(notification.getName())) {
            String tenant = notification.getParameter();
            if (tenant == null || tenant.isEmpty()) {
              cache.clear();
            } else {
              cache.evict(tenant);
            }
          }
        }
      }
      confirmedAt = asked;
    }
    // Back to the pool: the next borrower must not collect these channels' notifications.
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

  /** Stops listening; no cache answers any more. */
  @Override
  public void close() {
    closed = true;
    for (NotifiedCache<?, ?> cache : caches) {
      cache.stopped();
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(RECONNECT_DELAY.toMillis() + LISTEN_CHECK.toMillis() * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
