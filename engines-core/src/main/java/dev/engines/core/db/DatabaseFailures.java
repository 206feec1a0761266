package dev.engines.core.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells failures of the database itself (gone, restarting, no connection to be had) from failures
 * of a statement, whatever layer wrapped them: the driver's {@link SQLException}, the pool's
 * timeout, Spring's translations. Callers answer the former with 503 {@code database_unavailable}.
 */
public final class DatabaseFailures {

  private DatabaseFailures() {}

  /**
   * Whether {@code failure} (or a cause) says the server cannot be reached or talked to: a
   * connection exception (SQLState class 08: refused, broken, lost at commit) or the server
   * shutting down or starting (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect
   * now). A pool that merely has no free connection is not that.
   */
  public static boolean unreachable(Throwable failure) {
    for (Throwable t : chain(failure)) {
      if (t instanceof SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
          return true;
        }
        if (closedUnderTheTransaction(e)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether {@code failure} means the request cannot use the database now: {@link #unreachable}, or
   * no connection within the pool's timeout, or one of Spring's resource-failure exceptions.
   */
  public static boolean unavailable(Throwable failure) {
    if (unreachable(failure)) {
      return true;
    }
    for (Throwable t : chain(failure)) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof DataAccessResourceFailureException
          || t instanceof TransientDataAccessResourceException
          || t instanceof CannotCreateTransactionException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code e} is HikariCP's answer on a connection it closed while a transaction still held
   * it (a plain {@code SQLException("Connection is closed")}, no SQLState): the pool does that when
   * the server ended the connection, so the rollback that follows fails with this instead of the
   * server's 57P01. When the failure happened before the commit ({@code beforeCommit}, the
   * transaction's own event insert), Spring throws that rollback failure and drops the server's
   * answer altogether.
   */
  private static boolean closedUnderTheTransaction(SQLException e) {
    return e.getClass() == SQLException.class
        && e.getSQLState() == null
        && "Connection is closed".equals(e.getMessage())
        && e.getCause() == null;
  }

  /**
   * {@code failure} and its causes, and where a rollback failed, the failure that caused the
   * rollback and its causes too. When the server cuts a connection during a transaction's work
   * (57P01 on a restart), the pool closes the connection, Spring's rollback then fails on it
   * ("Connection is closed", no SQLState) and {@code TransactionTemplate} throws that rollback
   * failure, keeping the server's answer only as the application exception.
   */
  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> all = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> todo = new ArrayList<>();
    todo.add(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.removeLast();
      if (t == null || !seen.add(t)) {
        continue;
      }
      all.add(t);
      todo.add(t.getCause());
      if (t instanceof TransactionSystemException e) {
        todo.add(e.getApplicationException());
      }
    }
    return all;
  }
}
