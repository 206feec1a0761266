package dev.engines.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Stops requests from waiting out the pool once it knows the database is gone. When a connection
 * attempt fails because the server cannot be reached ({@link DatabaseFailures#unreachable}), the
 * source is <em>down</em>: every caller fails at once with SQLState 08001 (the API answers 503
 * {@code database_unavailable}) while one background probe asks the pool for a connection every
 * {@link #PROBE_INTERVAL} (each ask bounded by the pool's connection timeout); the first connection
 * it gets ends the outage. So only the request that found the outage waits, never the ones after
 * it. A pool that is merely busy never trips it.
 */
public final class FailFastDataSource extends DelegatingDataSource {

  private static final Logger log = LoggerFactory.getLogger(FailFastDataSource.class);
  static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

  private volatile boolean down;
  private final AtomicBoolean probing = new AtomicBoolean();

  public FailFastDataSource(DataSource pool) {
    super(pool);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connect(() -> super.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return connect(() -> super.getConnection(username, password));
  }

  /**
   * Whether the source fails fast now: the database was found unreachable and no probe has
   * connected since.
   */
  public boolean down() {
    return down;
  }

  private interface Attempt {
    Connection connect() throws SQLException;
  }

  private Connection connect(Attempt attempt) throws SQLException {
    if (down) {
      probe();
      throw new SQLTransientConnectionException(
          "The database is unreachable; not waiting for the connection pool.", "08001");
    }
    try {
      return attempt.connect();
    } catch (SQLException | RuntimeException e) {
      if (DatabaseFailures.unreachable(e)) {
        if (!down) {
          log.error("database unreachable: failing fast until a probe connects again", e);
        }
        down = true;
        probe();
      }
      throw e;
    }
  }

  /** Starts the background probe unless one runs. */
  private void probe() {
    if (!probing.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual()
        .name("database-probe")
        .start(
            () -> {
              try {
                while (down) {
                  try {
                    obtainTargetDataSource().getConnection().close();
                    down = false;
                    log.info("database reachable again");
                  } catch (SQLException | RuntimeException e) {
                    Thread.sleep(PROBE_INTERVAL);
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                probing.set(false);
                // A failure between the probe's success and here found a probe still running: start
                // again.
                if (down) {
                  probe();
                }
              }
            });
  }
}
