package dev.engines.core.db;

import dev.engines.core.error.EnginesException;

/**
 * 503 {@value #CODE}: the database cannot serve the request now (unreachable, restarting, no
 * connection in time, or a commit whose outcome could not be established). It carries a {@code
 * Retry-After}.
 */
public class DatabaseUnavailableException extends EnginesException {

  /** The problem code. */
  public static final String CODE = "database_unavailable";

  /** How long a client should wait before retrying, about one reconnection attempt of the pool. */
  static final int RETRY_AFTER_SECONDS = 5;

  public DatabaseUnavailableException(String detail, Throwable cause) {
    super(503, CODE, detail, cause);
  }

  public DatabaseUnavailableException(Throwable cause) {
    this("The database is unavailable; retry later.", cause);
  }

  @Override
  public int retryAfterSeconds() {
    return RETRY_AFTER_SECONDS;
  }
}
