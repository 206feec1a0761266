package dev.engines.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
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
