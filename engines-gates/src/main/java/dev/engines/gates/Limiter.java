package dev.engines.gates;

import dev.engines.core.scope.Scope;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The store of the rate limits, quotas and budgets a request passes, each call one statement
 * outside any transaction that binds the tenant/env for itself: {@code gate_lookup} (V70: the kill
 * switch and the gates slot's values, every request), {@code gate_tokens} (V70: a replica takes or
 * gives back tokens of the shared buckets), {@code gate_count} (V70: counts a replica kept in
 * memory) and {@code gate_admit} (V65: the kill switch and the request quotas and budgets, checked
 * and counted together, for a request under one).
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
  record Request(
      String action,
      String[] ratePaths,
      String[] rateBuckets,
      Double[] rateDefaults,
      Double[] rateCeilings,
      String[] countPaths,
      String[] countMeters,
      String[] countPeriods,
      Double[] countDefaults,
      Double[] countCeilings) {}

  /**
   * What {@code gate_admit} answered.
   *
   * @param code null when admitted, else the refusal's problem code
   * @param fired the 0-based position of the limit that refused, among the rates ({@code
   *     rate_limited}) or the counts; -1 when none did
   */
  record Result(
      String code,
      int fired,
      int retryAfter,
      Double[] rateLimits,
      Double[] rateRemaining,
      Double[] rateReset,
      Double[] countLimits,
      Double[] countUsed,
      Double[] countAmounts) {}

  /**
   * The kill switch's verdict on the action, the gates slot's values at the paths (null: not set),
   * the action's price, and the UTC day and month by the database's clock.
   */
  record Lookup(boolean blocked, Double[] slotValues, double price, String day, String month) {}

  Lookup lookup(Scope scope, String action, String[] paths) {
    return jdbc.sql("SELECT * FROM gate_lookup(:t, :e, :action, :paths)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("action", action)
        .param("paths", paths)
        .query(
            (rs, n) ->
                new Lookup(
                    rs.getBoolean("blocked"),
                    numbers(rs, "slot_values"),
                    rs.getDouble("price"),
                    rs.getString("day"),
                    rs.getString("month")))
        .single();
  }

  /** Per bucket: the tokens granted and what the shared bucket holds afterwards. */
  record Tokens(Double[] granted, Double[] available) {}

  /** Takes (amount > 0) or gives back (< 0) tokens of a tenant's buckets. */
  Tokens tokens(String tenantId, String[] buckets, Double[] limits, Double[] amounts) {
    return jdbc.sql("SELECT * FROM gate_tokens(:t, :buckets, :limits, :amounts)")
        .param("t", tenantId)
        .param("buckets", buckets)
        .param("limits", limits)
        .param("amounts", amounts)
        .query((rs, n) -> new Tokens(numbers(rs, "granted"), numbers(rs, "available")))
        .single();
  }

  /** Adds amounts (negative: takes them back) to an env's counters; sorted by meter and period. */
  void count(String tenantId, String env, String[] meters, String[] periods, Double[] amounts) {
    jdbc.sql("SELECT gate_count(:t, :e, :meters, :periods, :amounts)")
        .param("t", tenantId)
        .param("e", env)
        .param("meters", meters)
        .param("periods", periods)
        .param("amounts", amounts)
        .query((rs, n) -> 1)
        .single();
  }

  Result admit(Scope scope, Request r) {
    return jdbc.sql(
            "SELECT * FROM gate_admit(:t, :e, :action, :ratePaths, :rateBuckets, :rateDefaults, :rateCeilings,"
                + " :countPaths, :countMeters, :countPeriods, :countDefaults, :countCeilings)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("action", r.action())
        .param("ratePaths", r.ratePaths())
        .param("rateBuckets", r.rateBuckets())
        .param("rateDefaults", r.rateDefaults())
        .param("rateCeilings", r.rateCeilings())
        .param("countPaths", r.countPaths())
        .param("countMeters", r.countMeters())
        .param("countPeriods", r.countPeriods())
        .param("countDefaults", r.countDefaults())
        .param("countCeilings", r.countCeilings())
        .query(
            (rs, n) ->
                new Result(
                    rs.getString("code"),
                    rs.getInt("fired") - 1,
                    rs.getInt("retry_after"),
                    numbers(rs, "rate_limits"),
                    numbers(rs, "rate_remaining"),
                    numbers(rs, "rate_reset"),
                    numbers(rs, "count_limits"),
                    numbers(rs, "count_used"),
                    numbers(rs, "count_amounts")))
        .single();
  }

  private static Double[] numbers(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    return array == null ? new Double[0] : (Double[]) array.getArray();
  }
}
