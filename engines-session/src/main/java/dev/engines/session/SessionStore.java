package dev.engines.session;

import dev.engines.core.db.Sql;
import dev.engines.core.scope.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The session rows every service of the engine works through, inside transactions bound to the
 * scope. Every write to anything of a session (turns, memory, blackboard, bundles) first locks the
 * session's row ({@link #live} with {@code lock}): that one lock orders concurrent writers of a
 * session, so turn positions, versions and limits are computed from what is really there.
 */
final class SessionStore {

  /** What a session id looks like (the caller's own, or {@code se_…}). */
  static final Pattern SESSION_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$");

  /**
   * The columns every write to a session sets besides its own: version, last write and the sliding
   * expiry.
   */
  static final String TOUCH = "version = version + 1, updated_at = :now, expires_at = :expires";

  private final JdbcClient jdbc;

  SessionStore(JdbcClient jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  /**
   * A session row.
   *
   * @param seq its creation order
   * @param blackboardSeq the last blackboard version handed out
   * @param blackboardKeys how many blackboard entries it holds
   */
  record Row(Session session, long seq, long blackboardSeq, int blackboardKeys) {

    /** Whether the TTL has passed at {@code now}. */
    boolean expired(Instant now) {
      return !session.expiresAt().isAfter(now);
    }

    /** When the session expires if written at {@code now}. */
    Instant expiresAfterWrite(Instant now) {
      return now.plusSeconds(session.ttlSeconds());
    }
  }

  /** A session of one user. */
  record Key(String userId, String sessionId) {}

  /**
   * The session, locked for the transaction when {@code lock}; empty for unknown and malformed ids.
   */
  Optional<Row> find(Scope scope, String userId, String sessionId, boolean lock) {
    if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT * FROM sessions WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id"
                + (lock ? " FOR UPDATE" : ""))
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("u", userId)
        .param("id", sessionId)
        .query(SessionStore::row)
        .optional();
  }

  /**
   * The user's session while its TTL runs: 404 for unknown ids and other users' sessions (no hint
   * that they exist), 410 {@code session_expired} once the TTL has passed, whether or not the sweep
   * has removed it yet.
   */
  Row live(Scope scope, String userId, String sessionId, Instant now, boolean lock) {
    Row row = find(scope, userId, sessionId, lock).orElseThrow(SessionProblems::sessionNotFound);
    if (row.expired(now)) {
      throw SessionProblems.expired();
    }
    return row;
  }

  /** Records a write to the session at {@code now}: a new version, and the TTL counts from now. */
  void touch(Scope scope, Row row, Instant now) {
    jdbc.sql(
            "UPDATE sessions SET "
                + TOUCH
                + " WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id")
        .param("now", Sql.ts(now))
        .param("expires", Sql.ts(row.expiresAfterWrite(now)))
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("u", row.session().userId())
        .param("id", row.session().sessionId())
        .update();
  }

  /**
   * Removes sessions with everything they hold (turns, memory, blackboard, inbox: by their foreign
   * keys), leaving a tombstone of each session and of each of its turns in {@code state} ({@code
   * deleted} or {@code expired}), so pointers to them answer what became of them.
   *
   * @return how many sessions went
   */
  int remove(Scope scope, List<Key> keys, String state, Instant now) {
    if (keys.isEmpty()) {
      return 0;
    }
    String[] users = keys.stream().map(Key::userId).toArray(String[]::new);
    String[] ids = keys.stream().map(Key::sessionId).toArray(String[]::new);
    String chosen =
        " WHERE s.tenant_id = :t AND s.env = :e AND (s.user_id, s.session_id) IN"
            + " (SELECT k.u, k.id FROM unnest(CAST(:users AS text[]), CAST(:ids AS text[])) AS k(u, id))";
    jdbc.sql(
            "INSERT INTO session_tombstones (tenant_id, env, user_id, session_id, state, removed_at)"
                + " SELECT s.tenant_id, s.env, s.user_id, s.session_id, :state, :now FROM sessions s"
                + chosen
                + " ON CONFLICT (tenant_id, env, user_id, session_id) DO NOTHING")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("users", users)
        .param("ids", ids)
        .param("state", state)
        .param("now", Sql.ts(now))
        .update();
    jdbc.sql(
            "INSERT INTO session_turn_tombstones (tenant_id, env, user_id, turn_id, session_id)"
                + " SELECT s.tenant_id, s.env, s.user_id, s.turn_id, s.session_id FROM session_turns s"
                + chosen
                + " ON CONFLICT (tenant_id, env, user_id, turn_id) DO NOTHING")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("users", users)
        .param("ids", ids)
        .update();
    return jdbc.sql("DELETE FROM sessions s" + chosen)
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("users", users)
        .param("ids", ids)
        .update();
  }

  static Row row(ResultSet rs, int n) throws SQLException {
    Session session =
        new Session(
            rs.getString("session_id"),
            rs.getString("user_id"),
            rs.getString("title"),
            Json.map(rs.getString("metadata")),
            Json.map(rs.getString("pii_flags")),
            rs.getBoolean("train_ok"),
            rs.getInt("ttl_seconds"),
            Sql.instant(rs, "expires_at"),
            rs.getInt("turn_count"),
            rs.getString("last_turn_id"),
            rs.getInt("version"),
            Sql.instant(rs, "created_at"),
            Sql.instant(rs, "updated_at"));
    return new Row(
        session, rs.getLong("seq"), rs.getLong("blackboard_seq"), rs.getInt("blackboard_keys"));
  }
}
