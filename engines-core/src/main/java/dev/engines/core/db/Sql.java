package dev.engines.core.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Conversions between Java time and PostgreSQL {@code timestamptz}, at the database's microsecond
 * precision.
 */
public final class Sql {

  private Sql() {}

  /**
   * An instant as a JDBC parameter (null stays null), truncated to microseconds like PostgreSQL.
   */
  public static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /** Reads a nullable {@code timestamptz} column as an instant. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
