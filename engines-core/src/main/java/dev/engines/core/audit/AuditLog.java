package dev.engines.core.audit;

import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JDBC store of the per-tenant audit chains ({@code audit_entries}, {@code audit_chain_heads}).
 * Every method runs inside a transaction bound to the tenant (RLS shows nothing else).
 *
 * <p><b>Chaining.</b> Entry {@code n} stores the hash of entry {@code n-1}; its own hash is an
 * HMAC-SHA256, under a key the database never holds, over a canonical serialisation of all its
 * fields ({@link #canonical}). A changed field breaks that entry's hash; a deleted or inserted
 * entry breaks the sequence or the link of the next one; deleting or appending at the end disagrees
 * with the chain head row. Because the hash is keyed, somebody with write access to the database
 * but without the key cannot recompute a consistent chain after tampering.
 *
 * <p><b>No forks.</b> An append locks the tenant's chain head row ({@code SELECT … FOR UPDATE})
 * before it reads the previous hash, so concurrent appends in one tenant serialise; appends in
 * different tenants never wait for each other.
 */
public final class AuditLog {

  /** The previous hash of a chain's first entry. */
  public static final String GENESIS = "0".repeat(64);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<TreeMap<String, Object>> DETAILS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final byte[] chainKey;

  /**
   * @param chainKey the HMAC key of the chains, at least 32 bytes
   */
  public AuditLog(JdbcClient jdbc, byte[] chainKey) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    if (chainKey == null || chainKey.length < 32) {
      throw new IllegalArgumentException("The audit chain key must hold at least 32 bytes.");
    }
    this.chainKey = chainKey.clone();
  }

  /** An entry to append; the store assigns its sequence number, link and hash. */
  public record Draft(
      String tenantId,
      String env,
      Instant occurredAt,
      AuditActor actor,
      String action,
      String targetType,
      String targetId,
      String outcome,
      Map<String, ?> details,
      String traceId,
      String requestId) {}

  /** Appends {@code draft} to its tenant's chain in the current (tenant-bound) transaction. */
  public AuditEntry append(Draft draft) {
    if (draft.action() == null || !draft.action().matches(AuditTrail.ACTION_PATTERN)) {
      throw new EnginesException(
          500, "audit_invalid", "An audit action is noun.verb in lower case.");
    }
    jdbc.sql(
            "INSERT INTO audit_chain_heads (tenant_id, last_seq, last_hash) VALUES (:tenant, 0, :genesis)"
                + " ON CONFLICT (tenant_id) DO NOTHING")
        .param("tenant", draft.tenantId())
        .param("genesis", GENESIS)
        .update();
    Object[] head =
        jdbc.sql(
                "SELECT last_seq, last_hash FROM audit_chain_heads WHERE tenant_id = :tenant FOR UPDATE")
            .param("tenant", draft.tenantId())
            .query((rs, n) -> new Object[] {rs.getLong("last_seq"), rs.getString("last_hash")})
            .single();
    long seq = (Long) head[0] + 1;
    String prevHash = (String) head[1];
    SortedMap<String, Object> details = normalise(draft.details());
    AuditEntry unsigned =
        new AuditEntry(
            draft.tenantId(),
            seq,
            Ids.random("au"),
            draft.env(),
            draft.occurredAt().truncatedTo(ChronoUnit.MICROS),
            draft.actor(),
            draft.action(),
            draft.targetType(),
            draft.targetId(),
            draft.outcome(),
            details,
            draft.traceId(),
            draft.requestId(),
            prevHash,
            "");
    AuditEntry entry = withHash(unsigned, hash(unsigned));
    jdbc.sql(
            """
            INSERT INTO audit_entries (tenant_id, seq, entry_id, env, occurred_at, actor_type, actor_id, on_behalf_of,
                key_id, action, target_type, target_id, outcome, details, trace_id, request_id, prev_hash, hash)
            VALUES (:tenant, :seq, :id, :env, :at, :actorType, :actorId, :obo, :key, :action, :targetType, :targetId,
                :outcome, CAST(:details AS jsonb), :trace, :request, :prev, :hash)""")
        .param("tenant", entry.tenantId())
        .param("seq", entry.seq())
        .param("id", entry.entryId())
        .param("env", entry.env())
        .param("at", Sql.ts(entry.occurredAt()))
        .param("actorType", entry.actor().type())
        .param("actorId", entry.actor().id())
        .param("obo", entry.actor().onBehalfOf())
        .param("key", entry.actor().keyId())
        .param("action", entry.action())
        .param("targetType", entry.targetType())
        .param("targetId", entry.targetId())
        .param("outcome", entry.outcome())
        .param("details", JSON.writeValueAsString(entry.details()))
        .param("trace", entry.traceId())
        .param("request", entry.requestId())
        .param("prev", entry.prevHash())
        .param("hash", entry.hash())
        .update();
    jdbc.sql(
            "UPDATE audit_chain_heads SET last_seq = :seq, last_hash = :hash WHERE tenant_id = :tenant")
        .param("seq", seq)
        .param("hash", entry.hash())
        .param("tenant", entry.tenantId())
        .update();
    return entry;
  }

  /**
   * Filters of a listing; null fields do not filter.
   *
   * @param action entries of this action only
   * @param traceId entries appended by requests of this trace only
   * @param requestId entries appended by this request only
   */
  public record Query(String action, String traceId, String requestId) {
    /** No filter: the whole chain. */
    public static final Query ALL = new Query(null, null, null);
  }

  /**
   * One page of the tenant's entries in chain order (ascending {@code seq}), filtered by {@code q}.
   */
  public Page<AuditEntry> list(String tenantId, Query q, String cursor, int limit) {
    long afterSeq = Cursors.decodeLong(cursor, 0);
    // Only the filters given are in the statement, so each plan can use its index (V20, V62).
    StringBuilder sql =
        new StringBuilder("SELECT * FROM audit_entries WHERE tenant_id = :tenant AND seq > :after");
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("action", q.action());
    filters.put("trace_id", q.traceId());
    filters.put("request_id", q.requestId());
    filters.values().removeIf(Objects::isNull);
    filters
        .keySet()
        .forEach(column -> sql.append(" AND ").append(column).append(" = :").append(column));
    sql.append(" ORDER BY seq LIMIT :limit");
    var statement =
        jdbc.sql(sql.toString())
            .param("tenant", tenantId)
            .param("after", afterSeq)
            .param("limit", limit + 1);
    for (var filter : filters.entrySet()) {
      statement = statement.param(filter.getKey(), filter.getValue());
    }
    List<AuditEntry> rows = statement.query(AuditLog::map).list();
    return Page.of(rows, limit, e -> Long.toString(e.seq()));
  }

  /** Recomputes the whole chain of the transaction's tenant. */
  public AuditVerification verify(String tenantId) {
    long[] headSeq = {0};
    String[] headHash = {GENESIS};
    long[] checked = {0};
    String[] previous = {GENESIS};
    long[] expectedSeq = {1};
    AuditVerification[] failure = {null};
    // One statement, so the head and the entries come from one snapshot: read separately, an append
    // committed in between would look like a tampered head. The first join keeps one row when the
    // tenant has neither head nor entries.
    jdbc.sql(
            """
            SELECT h.last_seq AS head_seq, h.last_hash AS head_hash, e.*
              FROM (SELECT 1) AS one
              LEFT JOIN audit_chain_heads h ON h.tenant_id = :tenant
              LEFT JOIN audit_entries e ON e.tenant_id = :tenant
             ORDER BY e.seq""")
        .param("tenant", tenantId)
        .query(
            rs -> {
              if (rs.getObject("head_seq") != null) {
                headSeq[0] = rs.getLong("head_seq");
                headHash[0] = rs.getString("head_hash");
              }
              if (failure[0] != null || rs.getObject("seq") == null) {
                return;
              }
              AuditEntry e = map(rs, 0);
              checked[0]++;
              String problem = null;
              if (e.seq() != expectedSeq[0]) {
                problem = "seq_gap";
              } else if (!e.prevHash().equals(previous[0])) {
                problem = "link_mismatch";
              } else if (!e.hash().equals(hash(e))) {
                problem = "hash_mismatch";
              }
              if (problem != null) {
                failure[0] = new AuditVerification(false, checked[0], headSeq[0], e.seq(), problem);
              }
              previous[0] = e.hash();
              expectedSeq[0] = e.seq() + 1;
            });
    if (failure[0] != null) {
      return failure[0];
    }
    if (expectedSeq[0] - 1 != headSeq[0] || !previous[0].equals(headHash[0])) {
      // Rows missing at the end: the first deleted one; rows appended: the first one the head does
      // not cover; same length, other hash: the entry the head names.
      long lastSeq = expectedSeq[0] - 1;
      long firstBad = lastSeq == headSeq[0] ? headSeq[0] : Math.min(lastSeq, headSeq[0]) + 1;
      return new AuditVerification(false, checked[0], headSeq[0], firstBad, "head_mismatch");
    }
    return new AuditVerification(true, checked[0], headSeq[0], null, null);
  }

  /**
   * The canonical serialisation the hash covers: a JSON array of every field but the hash, in a
   * fixed order, with the details' keys sorted. Timestamps are ISO-8601 at microsecond precision,
   * as stored.
   */
  static String canonical(AuditEntry e) {
    List<Object> fields =
        new ArrayList<>(
            Arrays.asList(
                "engines-audit/v1",
                e.tenantId(),
                e.seq(),
                e.entryId(),
                e.env(),
                e.occurredAt().truncatedTo(ChronoUnit.MICROS).toString(),
                e.actor().type(),
                e.actor().id(),
                e.actor().onBehalfOf(),
                e.actor().keyId(),
                e.action(),
                e.targetType(),
                e.targetId(),
                e.outcome(),
                normalise(e.details()),
                e.traceId(),
                e.requestId(),
                e.prevHash()));
    return JSON.writeValueAsString(fields);
  }

  String hash(AuditEntry e) {
    return HexFormat.of()
        .formatHex(Ids.hmacSha256(chainKey, canonical(e).getBytes(StandardCharsets.UTF_8)));
  }

  /** Details as sorted maps all the way down, with values limited to JSON scalars and lists. */
  private static SortedMap<String, Object> normalise(Map<String, ?> details) {
    SortedMap<String, Object> sorted = new TreeMap<>();
    if (details != null) {
      details.forEach((k, v) -> sorted.put(k, value(v)));
    }
    return sorted;
  }

  private static Object value(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof Map<?, ?> m) {
      SortedMap<String, Object> sorted = new TreeMap<>();
      m.forEach((k, x) -> sorted.put(String.valueOf(k), value(x)));
      return sorted;
    }
    if (v instanceof Collection<?> c) {
      return c.stream().map(AuditLog::value).toList();
    }
    throw new IllegalArgumentException(
        "Audit details hold strings, integers, booleans, maps and lists only.");
  }

  private static AuditEntry withHash(AuditEntry e, String hash) {
    return new AuditEntry(
        e.tenantId(),
        e.seq(),
        e.entryId(),
        e.env(),
        e.occurredAt(),
        e.actor(),
        e.action(),
        e.targetType(),
        e.targetId(),
        e.outcome(),
        e.details(),
        e.traceId(),
        e.requestId(),
        e.prevHash(),
        hash);
  }

  private static AuditEntry map(ResultSet rs, int row) throws SQLException {
    return new AuditEntry(
        rs.getString("tenant_id"),
        rs.getLong("seq"),
        rs.getString("entry_id"),
        rs.getString("env"),
        Sql.instant(rs, "occurred_at"),
        new AuditActor(
            rs.getString("actor_type"),
            rs.getString("actor_id"),
            rs.getString("on_behalf_of"),
            rs.getString("key_id")),
        rs.getString("action"),
        rs.getString("target_type"),
        rs.getString("target_id"),
        rs.getString("outcome"),
        normalise(JSON.readValue(rs.getString("details"), DETAILS)),
        rs.getString("trace_id"),
        rs.getString("request_id"),
        rs.getString("prev_hash"),
        rs.getString("hash"));
  }
}
