package dev.engines.gates;

import dev.engines.core.scope.Scope;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The store of the rate limits, quotas and budgets a request passes, each call one statement
 * outside any transaction that binds the tenant/env for itself: {@code gate_state} (V80: the kill
 * switch and the gates slot, read when the replica's {@link GateStateCache} has not got them),
 * {@code gate_tokens} (V70: a replica takes or gives back tokens of the shared buckets), {@code
 * gate_count} (V70: counts a replica kept in memory) and {@code gate_admit_periods} (V80, after
 * V65's {@code gate_admit}: the kill switch and the request quotas and budgets, checked and counted
 * together, for a request under one, in the database's day and month).
 */
final class Limiter {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

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
   * What {@code gate_admit_periods} answered.
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
      Double[] countAmounts,
      String[] countPeriods) {}

  /**
   * The gates of an env as {@code gate_state} (V80) reads them: the latest kill switch's disabled
   * actions and providers, and the latest gates slot's numbers by dotted path.
   */
  GateStateCache.State state(Scope scope) {
    return jdbc.sql("SELECT * FROM gate_state(:t, :e)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .query(
            (rs, n) -> {
              String settings = rs.getString("settings");
              return new GateStateCache.State(
                  Set.copyOf(JSON.readValue(rs.getString("disabled_actions"), NAMES)),
                  Set.copyOf(JSON.readValue(rs.getString("disabled_providers"), NAMES)),
                  GateStateCache.State.numbers(settings == null ? null : JSON.readTree(settings)));
            })
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
            "SELECT * FROM gate_admit_periods(:t, :e, :action, :ratePaths, :rateBuckets, :rateDefaults, :rateCeilings,"
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
                    numbers(rs, "count_amounts"),
                    texts(rs, "count_periods")))
        .single();
  }

  private static String[] texts(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    return array == null ? new String[0] : (String[]) array.getArray();
  }

  private static Double[] numbers(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    return array == null ? new Double[0] : (Double[]) array.getArray();
  }
}
