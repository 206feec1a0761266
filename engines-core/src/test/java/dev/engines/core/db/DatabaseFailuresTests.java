package dev.engines.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseFailuresTests {

  @Test
  void unreachableWhenConnectionOrShutdownStateAnywhereInTheChainThenTrue() {
    assertThat(DatabaseFailures.unreachable(new SQLException("refused", "08001"))).isTrue();
    assertThat(
            DatabaseFailures.unreachable(
                new TransactionSystemException(
                    "JDBC commit failed",
                    new SQLException(
                        "An I/O error occurred while sending to the backend.", "08006"))))
        .isTrue();
    assertThat(
            DatabaseFailures.unreachable(
                new SQLException("terminating connection due to administrator command", "57P01")))
        .isTrue();
    // the pool's timeout names the connection failure that caused it
    assertThat(
            DatabaseFailures.unreachable(
                new SQLTransientConnectionException(
                    "not available",
                    "08001",
                    new SQLException("The connection attempt failed.", "08001"))))
        .isTrue();
  }

  @Test
  void unreachableWhenRollbackFailsAfterTheServerCutTheConnectionThenTrue() {
    // Guards against a 500 when PostgreSQL restarts mid-transaction: the rollback fails on the
    // closed connection and hides the server's 57P01 as the application exception.
    TransactionSystemException rollback =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    rollback.initApplicationException(
        new DataAccessResourceFailureException(
            "terminated",
            new SQLException("terminating connection due to administrator command", "57P01")));
    assertThat(DatabaseFailures.unreachable(rollback)).isTrue();
    assertThat(DatabaseFailures.unavailable(rollback)).isTrue();

    TransactionSystemException afterStatementError =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("internal error", "XX000"));
    afterStatementError.initApplicationException(
        new DataIntegrityViolationException("dup", new SQLException("dup", "23505")));
    assertThat(DatabaseFailures.unavailable(afterStatementError)).isFalse();
  }

  @Test
  void unreachableWhenCommitHookFailedAndTheRollbackFoundThePoolClosedTheConnectionThenTrue() {
    // Spring drops the commit-phase failure (the server's 57P01) and throws only the rollback's.
    assertThat(
            DatabaseFailures.unreachable(
                new TransactionSystemException(
                    "JDBC rollback failed", new SQLException("Connection is closed"))))
        .isTrue();
    assertThat(
            DatabaseFailures.unreachable(
                new TransactionSystemException(
                    "JDBC rollback failed", new SQLException("Connection is closed", "HY000"))))
        .as("a driver's own message with a state of its own is not the pool's")
        .isFalse();
  }

  @Test
  void unreachableWhenPoolMerelyBusyOrStatementFailsThenFalse() {
    assertThat(
            DatabaseFailures.unreachable(
                new SQLTransientConnectionException("request timed out after 5000ms")))
        .isFalse();
    assertThat(
            DatabaseFailures.unreachable(
                new DataIntegrityViolationException("dup", new SQLException("dup", "23505"))))
        .isFalse();
    assertThat(DatabaseFailures.unreachable(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void unavailableWhenNoConnectionInTimeOrResourceFailureThenTrueButNotForStatementErrors() {
    assertThat(
            DatabaseFailures.unavailable(
                new CannotGetJdbcConnectionException(
                    "no connection",
                    new SQLTransientConnectionException("request timed out after 5000ms"))))
        .isTrue();
    assertThat(
            DatabaseFailures.unavailable(
                new DataIntegrityViolationException("dup", new SQLException("dup", "23505"))))
        .isFalse();
    assertThat(
            DatabaseFailures.unavailable(
                new RuntimeException(
                    "wrapped", new RuntimeException(new SQLException("x", "08003")))))
        .isTrue();
  }
}
