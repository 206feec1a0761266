package dev.engines.gates;

import dev.engines.core.scope.Scope;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The store of the rate limits, quotas and budgets a request passes: one call of {@code
 * gate_admit} (V65), outside any transaction, which binds the tenant/env for itself, checks the
 * kill switch, then every limit, and takes and counts only when all of them admit the request.
 */
final class Limiter {

  private final JdbcClient jdbc;

  Limiter(JdbcClient jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  /**
   * The limits of one request, in parallel arrays: for each, its path in the gates slot ({@code
   * rate_limits.env}; empty for none), the deployment's value and ceiling (null: none).
   *
   * @param rateBuckets the bucket each rate limit takes from
   * @param countMeters the counter each count adds to ({@code requests}, {@code cost_units})
   * @param countPeriods {@code day} or {@code month}
   */
  record Request(String action, String[] ratePaths, String[] rateBuckets, Double[] rateDefaults, Double[] rateCeilings,
      String[] countPaths, String[] countMeters, String[] countPeriods, Double[] countDefaults, Double[] countCeilings) {}

  /**
   * What {@code gate_admit} answered.
   *
   * @param code null when admitted, else the refusal's problem code
   * @param fired the 0-based position of the limit that refused, among the rates ({@code
   *     rate_limited}) or the counts; -1 when none did
   */
  record Result(String code, int fired, int retryAfter, Double[] rateLimits, Double[] rateRemaining, Double[] rateReset,
      Double[] countLimits, Double[] countUsed, Double[] countAmounts) {}

  Result admit(Scope scope, Request r) {
    return jdbc.sql("SELECT * FROM gate_admit(:t, :e, :action, :ratePaths, :rateBuckets, :rateDefaults, :rateCeilings,"
            + " :countPaths, :countMeters, :countPeriods, :countDefaults, :countCeilings)")
        .param("t", scope.tenantId()).param("e", scope.env().wire()).param("action", r.action())
        .param("ratePaths", r.ratePaths()).param("rateBuckets", r.rateBuckets()).param("rateDefaults", r.rateDefaults())
        .param("rateCeilings", r.rateCeilings()).param("countPaths", r.countPaths()).param("countMeters", r.countMeters())
        .param("countPeriods", r.countPeriods()).param("countDefaults", r.countDefaults())
        .param("countCeilings", r.countCeilings())
        .query((rs, n) -> new Result(rs.getString("code"), rs.getInt("fired") - 1, rs.getInt("retry_after"),
            numbers(rs, "rate_limits"), numbers(rs, "rate_remaining"), numbers(rs, "rate_reset"), numbers(rs, "count_limits"),
            numbers(rs, "count_used"), numbers(rs, "count_amounts")))
        .single();
  }

  private static Double[] numbers(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    return array == null ? new Double[0] : (Double[]) array.getArray();
  }
}
