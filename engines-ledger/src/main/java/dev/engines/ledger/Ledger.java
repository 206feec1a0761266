package dev.engines.ledger;

import dev.engines.core.db.Sql;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The DatasetEvent store. {@link #append} must run inside a transaction bound to the event's
 * tenant/env (RLS rejects anything else); reads run inside one too. The application role may only
 * insert and select: the ledger is append-only.
 */
public final class Ledger {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<Map<String, String>>> REFS = new TypeReference<>() {};
  private static final TypeReference<TreeMap<String, Object>> FLAGS = new TypeReference<>() {};

  private final JdbcClient jdbc;

  public Ledger(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Appends {@code events} in the current (scoped) transaction with one multi-row INSERT: one round
   * trip for a group commit's batch instead of one per event.
   */
  public void appendAll(List<DatasetEvent> events) {
    if (events.size() == 1) {
      append(events.getFirst());
      return;
    }
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO dataset_events (tenant_id, env, event_id, occurred_at, surface, action, kind,"
                + " actor_type, actor_id, on_behalf_of, key_id, agent_id, input_refs, output_refs, pii_flags,"
                + " train_ok, outcome, error_code, trace_id, request_id) VALUES ");
    List<Object> params = new ArrayList<>(events.size() * 20);
    for (int i = 0; i < events.size(); i++) {
      DatasetEvent e = events.get(i);
      sql.append(i == 0 ? "" : ", ")
          .append(
              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), CAST(? AS jsonb),"
                  + " ?, ?, ?, ?, ?)");
      params.addAll(
          Arrays.asList(
              e.scope().tenantId(),
              e.scope().env().wire(),
              e.eventId(),
              Sql.ts(e.occurredAt()),
              e.surface(),
              e.action(),
              e.kind(),
              e.actorType(),
              e.actorId(),
              e.onBehalfOf(),
              e.keyId(),
              e.agentId(),
              refs(e.inputRefs()),
              refs(e.outputRefs()),
              e.piiFlags() == null ? null : JSON.writeValueAsString(e.piiFlags()),
              e.trainOk(),
              e.outcome(),
              e.errorCode(),
              e.traceId(),
              e.requestId()));
    }
    jdbc.sql(sql.toString()).params(params).update();
  }

  /** Appends one event in the current (scoped) transaction. */
  public void append(DatasetEvent e) {
    jdbc.sql(
            """
            INSERT INTO dataset_events (tenant_id, env, event_id, occurred_at, surface, action, kind, actor_type,
                actor_id, on_behalf_of, key_id, agent_id, input_refs, output_refs, pii_flags, train_ok, outcome,
                error_code, trace_id, request_id)
            VALUES (:tenant, :env, :id, :at, :surface, :action, :kind, :actorType, :actorId, :obo, :key, :agent,
                CAST(:inputs AS jsonb), CAST(:outputs AS jsonb), CAST(:pii AS jsonb), :trainOk, :outcome, :error,
                :trace, :request)""")
        .param("tenant", e.scope().tenantId())
        .param("env", e.scope().env().wire())
        .param("id", e.eventId())
        .param("at", Sql.ts(e.occurredAt()))
        .param("surface", e.surface())
        .param("action", e.action())
        .param("kind", e.kind())
        .param("actorType", e.actorType())
        .param("actorId", e.actorId())
        .param("obo", e.onBehalfOf())
        .param("key", e.keyId())
        .param("agent", e.agentId())
        .param("inputs", refs(e.inputRefs()))
        .param("outputs", refs(e.outputRefs()))
        .param("pii", e.piiFlags() == null ? null : JSON.writeValueAsString(e.piiFlags()))
        .param("trainOk", e.trainOk())
        .param("outcome", e.outcome())
        .param("error", e.errorCode())
        .param("trace", e.traceId())
        .param("request", e.requestId())
        .update();
  }

  /**
   * Filters for a ledger listing; null fields do not filter.
   *
   * @param actorId only events of this actor (a user id, or a service key's id)
   * @param refType with {@code refId}: only events naming that ref as an input or output
   * @param refId only events naming a ref with this id as an input or output
   * @param since inclusive lower bound on occurred_at
   * @param until exclusive upper bound on occurred_at
   * @param newestFirst order by (occurred_at, event_id) descending instead of ascending
   */
  public record Query(
      String surface,
      String action,
      String kind,
      String outcome,
      String requestId,
      String traceId,
      String agentId,
      String actorId,
      RefType refType,
      String refId,
      Instant since,
      Instant until,
      boolean newestFirst) {}

  /**
   * One page of events of the transaction's tenant/env, keyset-paginated on (occurred_at,
   * event_id).
   */
  public Page<DatasetEvent> list(Scope scope, Query q, String cursor, int limit) {
    return list(scope.tenant(), scope.env(), q, cursor, limit);
  }

  /**
   * One page of a tenant's events of one env, or of all its envs when {@code env} is null (the
   * operator's export of a purged tenant), keyset-paginated on (occurred_at, event_id).
   */
  public Page<DatasetEvent> list(TenantId tenant, Env env, Query q, String cursor, int limit) {
    String after = Cursors.decode(cursor);
    Instant afterAt = null;
    String afterId = null;
    if (!after.isEmpty()) {
      int bar = after.indexOf('|');
      try {
        afterAt = Instant.parse(after.substring(0, bar));
        afterId = after.substring(bar + 1);
      } catch (RuntimeException ex) {
        throw Cursors.invalid();
      }
    }
    String op = q.newestFirst() ? "<" : ">";
    String order = q.newestFirst() ? "DESC" : "ASC";
    // Across envs (the operator's read of a purged tenant) the statement still names them: all of
    // them.
    StringBuilder sql =
        new StringBuilder(
            "SELECT * FROM dataset_events WHERE tenant_id = :tenant"
                + (env == null ? " AND env = ANY (:envs)" : " AND env = :env"));
    List<Object[]> params = new ArrayList<>();
    filter(sql, params, "surface", q.surface());
    filter(sql, params, "action", q.action());
    filter(sql, params, "kind", q.kind());
    filter(sql, params, "outcome", q.outcome());
    filter(sql, params, "request_id", q.requestId());
    filter(sql, params, "trace_id", q.traceId());
    filter(sql, params, "agent_id", q.agentId());
    filter(sql, params, "actor_id", q.actorId());
    if (q.refId() != null) {
      // Containment on one expression, which the GIN index of V32 serves; a type also matches the
      // name older events stored for it.
      List<String> matches = new ArrayList<>();
      List<Map<String, String>> wanted =
          q.refType() == null
              ? List.of(Map.of("id", q.refId()))
              : q.refType().storedNames().stream()
                  .map(type -> Map.of("type", type, "id", q.refId()))
                  .toList();
      for (int i = 0; i < wanted.size(); i++) {
        matches.add("(input_refs || output_refs) @> CAST(:ref" + i + " AS jsonb)");
        params.add(new Object[] {"ref" + i, JSON.writeValueAsString(List.of(wanted.get(i)))});
      }
      sql.append(" AND (").append(String.join(" OR ", matches)).append(")");
    }
    if (q.since() != null) {
      sql.append(" AND occurred_at >= :since");
      params.add(new Object[] {"since", Sql.ts(q.since())});
    }
    if (q.until() != null) {
      sql.append(" AND occurred_at < :until");
      params.add(new Object[] {"until", Sql.ts(q.until())});
    }
    if (afterAt != null) {
      sql.append(" AND (occurred_at, event_id) ").append(op).append(" (:afterAt, :afterId)");
      params.add(new Object[] {"afterAt", Sql.ts(afterAt)});
      params.add(new Object[] {"afterId", afterId});
    }
    sql.append(" ORDER BY occurred_at ")
        .append(order)
        .append(", event_id ")
        .append(order)
        .append(" LIMIT :limit");
    var statement =
        jdbc.sql(sql.toString()).param("tenant", tenant.value()).param("limit", limit + 1);
    statement =
        env == null
            ? statement.param(
                "envs", Arrays.stream(Env.values()).map(Env::wire).toArray(String[]::new))
            : statement.param("env", env.wire());
    for (Object[] p : params) {
      statement = statement.param((String) p[0], p[1]);
    }
    List<DatasetEvent> rows =
        statement
            .query((rs, n) -> map(new Scope(tenant, Env.parse(rs.getString("env"))), rs))
            .list();
    return Page.of(rows, limit, e -> e.occurredAt().toString() + "|" + e.eventId());
  }

  /** An event with its relay position. */
  public record Positioned(DatasetEvent event, String txId, long seq) {}

  /**
   * Events after ({@code txId}, {@code seq}) whose transactions can no longer commit: only rows
   * below the oldest running transaction id are returned, so a later commit of an earlier
   * transaction can never be skipped by the cursor.
   */
  public List<Positioned> after(Scope scope, String txId, long seq, int limit) {
    return jdbc.sql(
            """
            SELECT *, tx_id::text AS tx_text FROM dataset_events
             WHERE tenant_id = :tenant AND env = :env AND (tx_id, seq) > (CAST(:tx AS xid8), :seq)
               AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY tx_id, seq LIMIT :limit""")
        .param("tenant", scope.tenantId())
        .param("env", scope.env().wire())
        .param("tx", txId)
        .param("seq", seq)
        .param("limit", limit)
        .query(
            (rs, n) -> new Positioned(map(scope, rs), rs.getString("tx_text"), rs.getLong("seq")))
        .list();
  }

  /** One count of the summary read-model. */
  public record Count(String surface, String action, String outcome, long count) {}

  /**
   * Counts per surface/action/outcome of {@code scope} over [since, until), from the ledger alone.
   */
  public List<Count> summary(Scope scope, Instant since, Instant until) {
    return jdbc.sql(
            """
            SELECT surface, action, outcome, count(*) AS n FROM dataset_events
             WHERE tenant_id = :tenant AND env = :env AND occurred_at >= :since AND occurred_at < :until
             GROUP BY surface, action, outcome ORDER BY surface, action, outcome""")
        .param("tenant", scope.tenantId())
        .param("env", scope.env().wire())
        .param("since", Sql.ts(since))
        .param("until", Sql.ts(until))
        .query(
            (rs, n) ->
                new Count(
                    rs.getString("surface"),
                    rs.getString("action"),
                    rs.getString("outcome"),
                    rs.getLong("n")))
        .list();
  }

  private static void filter(
      StringBuilder sql, List<Object[]> params, String column, String value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = :").append(column);
      params.add(new Object[] {column, value});
    }
  }

  private static String refs(List<DatasetEvent.Ref> refs) {
    return JSON.writeValueAsString(refs.stream().map(DatasetEvent.Ref::toMap).toList());
  }

  private static DatasetEvent map(Scope scope, ResultSet rs) throws SQLException {
    String pii = rs.getString("pii_flags");
    return new DatasetEvent(
        rs.getString("event_id"),
        scope,
        Sql.instant(rs, "occurred_at"),
        rs.getString("surface"),
        rs.getString("action"),
        rs.getString("kind"),
        rs.getString("actor_type"),
        rs.getString("actor_id"),
        rs.getString("on_behalf_of"),
        rs.getString("key_id"),
        rs.getString("agent_id"),
        readRefs(rs.getString("input_refs")),
        readRefs(rs.getString("output_refs")),
        pii == null ? null : JSON.readValue(pii, FLAGS),
        rs.getBoolean("train_ok"),
        rs.getString("outcome"),
        rs.getString("error_code"),
        rs.getString("trace_id"),
        rs.getString("request_id"));
  }

  private static List<DatasetEvent.Ref> readRefs(String json) {
    return JSON.readValue(json, REFS).stream()
        .map(m -> new DatasetEvent.Ref(RefType.stored(m.get("type")), m.get("id")))
        .toList();
  }
}
