package dev.engines.gates;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an env has used of its quotas and budgets in the current UTC day and month, against the
 * limits in force (its {@code gates} slot within the deployment's {@link GatesSettings}), and the
 * rate limits it runs under. Read from the counters the gates keep ({@code usage_counters}), the
 * same ones {@link GateChain#admit} checks.
 */
public final class Usage {

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final GatesSettings settings;
  private final LocalCounts counts;

  Usage(JdbcClient jdbc, ScopedTransactions tx, GatesSettings settings, LocalCounts counts) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.counts = Objects.requireNonNull(counts, "counts");
  }

  /**
   * One quota or budget.
   *
   * @param name e.g. {@code requests_per_day}, {@code cost_units_per_month}
   * @param limit the limit in force; null when unlimited
   * @param used what the current period has used, or what the env holds now
   * @param period the UTC day ({@code 2026-12-07}) or month ({@code 2026-12}) it counts; null for
   *     what the env holds ({@code assets}, {@code stored_bytes}, {@code atoms}, {@code vectors},
   *     {@code sessions})
   * @param resetsAt when the next period starts; null for what the env holds
   */
  public record Counted(String name, Long limit, long used, String period, Instant resetsAt) {}

  /**
   * One rate limit.
   *
   * @param name {@code tenant}, {@code env}, {@code api_key}, {@code read}, {@code write}, {@code
   *     heavy}
   * @param perMinute the limit in force; null when unlimited
   */
  public record Rate(String name, Long perMinute) {}

  /**
   * The env's usage.
   *
   * @param prices what one request of an action costs, from the slot's price table
   */
  public record Report(
      List<Counted> quotas,
      List<Counted> budgets,
      List<Rate> rateLimits,
      Map<String, Long> prices) {}

  /** The caller's env's usage now. */
  public Report current(Caller caller) {
    Scope scope = caller.scope();
    // What this replica counted in memory first; other replicas' counts arrive within their sync
    // interval.
    counts.flush(scope);
    return tx.read(
        caller,
        () -> {
          GatesSlotRules.Limits slot = ResourceQuotas.slot(jdbc, scope);
          Map<String, String> periods =
              jdbc.sql(
                      "SELECT to_char(t, 'YYYY-MM-DD') AS day, to_char(t, 'YYYY-MM') AS month"
                          + " FROM (SELECT clock_timestamp() AT TIME ZONE 'UTC' AS t) now")
                  .query(
                      (rs, n) -> Map.of("day", rs.getString("day"), "month", rs.getString("month")))
                  .single();
          Map<String, Long> used = new HashMap<>();
          jdbc.sql(
                  "SELECT meter, period, used FROM usage_counters WHERE tenant_id = :t AND env = :e"
                      + " AND period IN (:day, :month)")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("day", periods.get("day"))
              .param("month", periods.get("month"))
              .query(
                  (rs, n) ->
                      used.put(
                          rs.getString("meter") + "/" + rs.getString("period"),
                          rs.getBigDecimal("used").longValue()))
              .list();
          jdbc.sql("SELECT meter, used FROM usage_totals WHERE tenant_id = :t AND env = :e")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .query(
                  (rs, n) -> used.put(rs.getString("meter"), rs.getBigDecimal("used").longValue()))
              .list();
          return new Report(
              counted(GatesSlotRules.QUOTAS, GatesSettings.QUOTAS, "requests", slot, used, periods),
              counted(
                  GatesSlotRules.BUDGETS, GatesSettings.BUDGETS, "cost_units", slot, used, periods),
              GatesSettings.RATE_LIMITS.stream()
                  .map(
                      name ->
                          new Rate(
                              name,
                              settings
                                  .limit(GatesSlotRules.RATE_LIMITS, name)
                                  .effective(
                                      name.equals("tenant")
                                          ? null
                                          : slot.get(GatesSlotRules.RATE_LIMITS, name))))
                  .toList(),
              slot.prices());
        });
  }

  private List<Counted> counted(
      String group,
      List<String> names,
      String meter,
      GatesSlotRules.Limits slot,
      Map<String, Long> used,
      Map<String, String> periods) {
    List<Counted> out = new ArrayList<>();
    for (String name : names) {
      if (!name.startsWith(meter)) {
        // what the env holds: a total, no period
        out.add(
            new Counted(
                name,
                settings.limit(group, name).effective(slot.get(group, name)),
                used.getOrDefault(name, 0L),
                null,
                null));
        continue;
      }
      boolean daily = name.endsWith("_per_day");
      String period = periods.get(daily ? "day" : "month");
      Instant resets =
          daily
              ? LocalDate.parse(period).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
              : YearMonth.parse(period)
                  .plusMonths(1)
                  .atDay(1)
                  .atStartOfDay(ZoneOffset.UTC)
                  .toInstant();
      out.add(
          new Counted(
              name,
              settings.limit(group, name).effective(slot.get(group, name)),
              used.getOrDefault(meter + "/" + period, 0L),
              period,
              resets));
    }
    return out;
  }
}
