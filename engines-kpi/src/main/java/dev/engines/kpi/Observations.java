package dev.engines.kpi;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metric observations ({@code metric_observations}): numbers per tenant/env, surface and metric at
 * an {@code observed_at} time, and the sums a Temperature snapshot reads.
 *
 * <p>Every insert also adds to the rollups of its surface and metric ({@code metric_rollups}): one
 * per UTC hour and one per UTC day, in the same statement. A snapshot then sums the daily rollups
 * of the whole days in its window, the hourly ones of the whole hours around them, and the
 * observations of the partial hours at either end: for 90 days and five metrics about 700 rows,
 * however many observations the window holds. Sums are exact ({@code numeric}), so the rollups give
 * the very sum the observations would.
 */
public final class Observations {

  /** The most items one call records. */
  public static final int MAX_ITEMS = 1000;

  /** Problem code: an item's client id was recorded before with different content. */
  public static final String OBSERVATION_CONFLICT = "observation_conflict";

  private static final Pattern CLIENT_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,128}$");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final EventRecorder events;
  private final PurgeFence fence;

  public Observations(
      JdbcClient jdbc, ScopedTransactions tx, Clock clock, EventRecorder events, PurgeFence fence) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Objects.requireNonNull(events, "events");
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * One observation.
   *
   * @param id a client id ({@code ^[A-Za-z0-9_.:-]{1,128}$}) makes the item idempotent; null for a
   *     new server id ({@code ob_…})
   * @param observedAt stored at microsecond precision
   */
  public record Observation(
      String id, String surface, String metric, BigDecimal value, Instant observedAt) {}

  /**
   * What a call recorded.
   *
   * @param recorded items stored now
   * @param existing items whose client id was recorded before with the same content (nothing
   *     changed)
   * @param ids every item's id, in the order given
   */
  public record RecordedObservations(int recorded, int existing, List<String> ids) {}

  /**
   * Records 1–{@value #MAX_ITEMS} observations, all or none. An item whose client id exists with
   * the same surface, metric, value and time is skipped; with different content the call answers
   * 409 {@value #OBSERVATION_CONFLICT} and records nothing.
   *
   * @throws InvalidFieldsException naming every invalid item field
   */
  public RecordedObservations record(Caller caller, List<Observation> items) {
    List<Observation> valid = validate(items);
    Scope scope = caller.scope();
    Instant now = clock.instant();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Observation item : valid) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", item.id());
      row.put("surface", item.surface());
      row.put("metric", item.metric());
      row.put("value", item.value());
      row.put("observed_at", item.observedAt().toString());
      rows.add(row);
    }
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          // One statement: the new observations, then their sums added to the hourly and daily
          // rollups
          // in the primary key's order (so concurrent writers of the same rollup rows never
          // deadlock).
          // Replayed client ids are skipped by the insert and so never counted twice.
          Set<String> inserted =
              new HashSet<>(
                  jdbc.sql(
                          """
              WITH items AS (
                  SELECT * FROM jsonb_to_recordset(CAST(:items AS jsonb))
                      AS i(id text, surface text, metric text, value numeric, observed_at timestamptz)
              ), inserted AS (
                  INSERT INTO metric_observations (tenant_id, env, observation_id, surface, metric, value, observed_at,
                      recorded_at, recorded_by)
                  SELECT :t, :e, id, surface, metric, value, observed_at, :now, :by FROM items
                  ON CONFLICT (tenant_id, env, observation_id) DO NOTHING
                  RETURNING observation_id, surface, metric, value, observed_at
              ), rolled AS (
                  INSERT INTO metric_rollups (tenant_id, env, surface, span, metric, bucket, total, observations)
                  SELECT :t, :e, surface, span, metric, date_trunc(span, observed_at, 'UTC'), sum(value), count(*)
                    FROM inserted CROSS JOIN (VALUES ('hour'), ('day')) AS spans (span)
                   GROUP BY surface, span, metric, date_trunc(span, observed_at, 'UTC')
                   ORDER BY 3, 4, 6, 5
                  ON CONFLICT (tenant_id, env, surface, span, bucket, metric) DO UPDATE
                      SET total = metric_rollups.total + EXCLUDED.total,
                          observations = metric_rollups.observations + EXCLUDED.observations
              )
              SELECT observation_id FROM inserted""")
                      .param("items", JSON.writeValueAsString(rows))
                      .param("t", scope.tenantId())
                      .param("e", scope.env().wire())
                      .param("now", Sql.ts(now))
                      .param("by", caller.actorId())
                      .query(String.class)
                      .list());
          List<Observation> replayed =
              valid.stream().filter(i -> !inserted.contains(i.id())).toList();
          requireSame(scope, replayed);
          for (Observation item : valid) {
            if (inserted.contains(item.id())) {
              events.output(caller, RefType.OBSERVATION, item.id());
            } else {
              events.input(caller, RefType.OBSERVATION, item.id());
            }
          }
          return new RecordedObservations(
              inserted.size(), replayed.size(), valid.stream().map(Observation::id).toList());
        });
  }

  /**
   * Per metric of {@code metrics}, the sum of {@code surface}'s observations in {@code window}, in
   * a transaction bound to {@code scope}: whole days and hours from the rollups, the partial hours
   * at either end from the observations ({@link Window} splits the window exactly). Metrics without
   * an observation in the window are absent. Each range is a branch of its own, one index range
   * scan each (an OR of two ranges would scan every row of the surface).
   */
  Map<String, BigDecimal> sums(Scope scope, String surface, Window window, Set<String> metrics) {
    if (metrics.isEmpty()) {
      return Map.of();
    }
    Map<String, BigDecimal> sums = new HashMap<>();
    jdbc.sql(
            """
            SELECT metric, sum(total) AS total FROM (
                SELECT metric, total FROM metric_rollups
                 WHERE tenant_id = :t AND env = :e AND surface = :surface AND span = 'day' AND metric IN (:metrics)
                   AND bucket >= :daysStart AND bucket < :daysEnd
                UNION ALL
                SELECT metric, total FROM metric_rollups
                 WHERE tenant_id = :t AND env = :e AND surface = :surface AND span = 'hour' AND metric IN (:metrics)
                   AND bucket >= :hoursStart AND bucket < :daysStart
                UNION ALL
                SELECT metric, total FROM metric_rollups
                 WHERE tenant_id = :t AND env = :e AND surface = :surface AND span = 'hour' AND metric IN (:metrics)
                   AND bucket >= :daysEnd AND bucket < :hoursEnd
                UNION ALL
                SELECT metric, value FROM metric_observations
                 WHERE tenant_id = :t AND env = :e AND surface = :surface AND metric IN (:metrics)
                   AND observed_at >= :start AND observed_at < :hoursStart
                UNION ALL
                SELECT metric, value FROM metric_observations
                 WHERE tenant_id = :t AND env = :e AND surface = :surface AND metric IN (:metrics)
                   AND observed_at >= :hoursEnd AND observed_at < :end
            ) window_rows
            GROUP BY metric""")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("surface", surface)
        .param("metrics", List.copyOf(metrics))
        .param("start", Sql.ts(window.start()))
        .param("end", Sql.ts(window.end()))
        .param("hoursStart", Sql.ts(window.hoursStart()))
        .param("hoursEnd", Sql.ts(window.hoursEnd()))
        .param("daysStart", Sql.ts(window.daysStart()))
        .param("daysEnd", Sql.ts(window.daysEnd()))
        .query(
            rs -> {
              sums.put(rs.getString("metric"), rs.getBigDecimal("total"));
            });
    return sums;
  }

  /** Deletes every observation and rollup in {@code scope} (tenant purge). */
  int purge(Scope scope) {
    jdbc.sql("DELETE FROM metric_rollups WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
    return jdbc.sql("DELETE FROM metric_observations WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
  }

  /** 409 when a replayed client id was recorded with other content. */
  private void requireSame(Scope scope, List<Observation> replayed) {
    if (replayed.isEmpty()) {
      return;
    }
    Map<String, Observation> stored = new HashMap<>();
    jdbc.sql(
            "SELECT observation_id, surface, metric, value, observed_at FROM metric_observations"
                + " WHERE tenant_id = :t AND env = :e AND observation_id IN (:ids)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("ids", replayed.stream().map(Observation::id).toList())
        .query(
            rs -> {
              Observation item = map(rs);
              stored.put(item.id(), item);
            });
    for (Observation item : replayed) {
      Observation before = stored.get(item.id());
      if (before == null
          || !before.surface().equals(item.surface())
          || !before.metric().equals(item.metric())
          || before.value().compareTo(item.value()) != 0
          || !before.observedAt().equals(item.observedAt())) {
        throw EnginesException.conflict(
            OBSERVATION_CONFLICT,
            "The observation id "
                + item.id()
                + " was recorded before with another surface, metric, value or observed_at; nothing was recorded.");
      }
    }
  }

  /**
   * Checks every item; answers them with ids assigned, values normalized and times at microseconds.
   */
  private static List<Observation> validate(List<Observation> items) {
    if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
      throw EnginesException.validation("items must hold 1 to " + MAX_ITEMS + " observations.");
    }
    List<FieldError> errors = new ArrayList<>();
    List<Observation> valid = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Observation item = items.get(i);
      String at = "items[" + i + "].";
      if (item == null) {
        errors.add(new FieldError("items[" + i + "]", "must be an observation object"));
        continue;
      }
      if (item.id() != null && !CLIENT_ID.matcher(item.id()).matches()) {
        errors.add(new FieldError(at + "id", "must match " + CLIENT_ID.pattern()));
      } else if (item.id() != null && !ids.add(item.id())) {
        errors.add(new FieldError(at + "id", "is given to two items"));
      }
      Fields.name(errors, at + "surface", item.surface(), Fields.SURFACE);
      Fields.name(errors, at + "metric", item.metric(), Fields.NAME);
      BigDecimal value = Fields.decimal(errors, at + "value", item.value(), true);
      if (item.observedAt() == null) {
        errors.add(new FieldError(at + "observed_at", "is required (an ISO-8601 instant)"));
      }
      valid.add(
          new Observation(
              item.id() == null ? Ids.random("ob") : item.id(),
              item.surface(),
              item.metric(),
              value,
              item.observedAt() == null ? null : item.observedAt().truncatedTo(ChronoUnit.MICROS)));
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The observations are invalid.", errors);
    }
    return valid;
  }

  private static Observation map(ResultSet rs) throws SQLException {
    return new Observation(
        rs.getString("observation_id"),
        rs.getString("surface"),
        rs.getString("metric"),
        rs.getBigDecimal("value"),
        Sql.instant(rs, "observed_at"));
  }
}
