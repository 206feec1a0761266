package dev.engines.session;

import dev.engines.core.db.Sql;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectRecord;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.tenant.UserSubjectData;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sessions in GDPR requests, record type {@value #RECORD_TYPE}; env-scoped. A record is all of one
 * user's sessions in one env (its id is the user id), since sessions are the user's own.
 *
 * <ul>
 *   <li><b>Lookup</b> finds the members the data subject is (by e-mail, as the member records do)
 *       that have sessions in the request's env.
 *   <li><b>Export</b> holds each session with its turns (redacted, as stored), memory and
 *       blackboard.
 *   <li><b>Erasure</b> deletes the user's sessions in the request's env with everything they hold,
 *       and their tombstones. The member record goes in the same erasure, and with it, by foreign
 *       key, the user's sessions in every other env too.
 *   <li><b>Tenant purge</b> deletes every session and tombstone of the env.
 *   <li><b>Retention</b> ({@value #DATA_CLASS}): sessions created longer ago than the period are
 *       removed whatever their TTL (a TTL slides with every write, so only this bounds a busy
 *       session's age), leaving {@code expired} tombstones; sessions of users under a legal hold
 *       stay.
 * </ul>
 */
public final class SessionErasure implements ErasureHook {

  /** The record type: a user's sessions in one env. */
  public static final String RECORD_TYPE = "session";

  /** The retention data class. */
  public static final String DATA_CLASS = "sessions";

  private final JdbcClient jdbc;
  private final UserSubjectData users;
  private final Clock clock;
  private final SessionStore store;

  /**
   * @param users who a data subject is among the tenant's members
   */
  public SessionErasure(JdbcClient jdbc, UserSubjectData users, Clock clock) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.users = Objects.requireNonNull(users, "users");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = new SessionStore(jdbc);
  }

  @Override
  public String recordType() {
    return RECORD_TYPE;
  }

  @Override
  public boolean envScoped() {
    return true;
  }

  @Override
  public List<String> find(Scope scope, SubjectIdentifiers subject) {
    List<String> members = users.find(scope, subject);
    if (members.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "SELECT DISTINCT user_id FROM sessions WHERE tenant_id = :t AND env = :e AND user_id = ANY (:users)"
                + " ORDER BY user_id")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("users", members.toArray(String[]::new))
        .query(String.class)
        .list();
  }

  @Override
  public Optional<SubjectRecord> export(Scope scope, String userId) {
    List<SessionStore.Row> rows =
        jdbc.sql(
                "SELECT * FROM sessions WHERE tenant_id = :t AND env = :e AND user_id = :u ORDER BY seq")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("u", userId)
            .query(SessionStore::row)
            .list();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    boolean trainOk = true;
    List<Map<String, Object>> sessions = new ArrayList<>();
    for (SessionStore.Row row : rows) {
      String id = row.session().sessionId();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("session", row.session());
      List<Turn> turns =
          jdbc.sql(
                  "SELECT * FROM session_turns WHERE tenant_id = :t AND env = :e AND user_id = :u"
                      + " AND session_id = :id ORDER BY seq")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", userId)
              .param("id", id)
              .query(Sessions::turn)
              .list();
      entry.put("turns", turns);
      jdbc.sql(
              "SELECT pinned_refs, summary_refs, preferences FROM session_memory WHERE tenant_id = :t AND env = :e"
                  + " AND user_id = :u AND session_id = :id")
          .param("t", scope.tenantId())
          .param("e", scope.env().wire())
          .param("u", userId)
          .param("id", id)
          .query(
              (rs, n) ->
                  Map.of(
                      "pinned_refs",
                      Json.pointers(rs.getString("pinned_refs")),
                      "summary_refs",
                      Json.pointers(rs.getString("summary_refs")),
                      "preferences",
                      Json.map(rs.getString("preferences"))))
          .optional()
          .ifPresent(memory -> entry.put("memory", memory));
      entry.put(
          "blackboard",
          jdbc.sql(
                  "SELECT key, value FROM session_blackboard WHERE tenant_id = :t AND env = :e"
                      + " AND user_id = :u AND session_id = :id ORDER BY key")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", userId)
              .param("id", id)
              .query(
                  (rs, n) ->
                      Map.of(
                          "key", rs.getString("key"), "value", Json.value(rs.getString("value"))))
              .list());
      trainOk &= row.session().trainOk() && turns.stream().allMatch(Turn::trainOk);
      sessions.add(entry);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", userId);
    data.put("env", scope.env().wire());
    data.put("sessions", sessions);
    return Optional.of(new SubjectRecord(RECORD_TYPE, userId, trainOk, data));
  }

  @Override
  public boolean erase(Caller caller, String userId) {
    Scope scope = caller.scope();
    jdbc.sql("DELETE FROM session_tombstones WHERE tenant_id = :t AND env = :e AND user_id = :u")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("u", userId)
        .update();
    return jdbc.sql("DELETE FROM sessions WHERE tenant_id = :t AND env = :e AND user_id = :u")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("u", userId)
            .update()
        > 0;
  }

  @Override
  public int purgeTenant(Caller caller) {
    Scope scope = caller.scope();
    jdbc.sql("DELETE FROM session_tombstones WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
    return jdbc.sql("DELETE FROM sessions WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
  }

  /** The {@value #DATA_CLASS} retention class (see the class comment). */
  public RetentionHook retention() {
    return RetentionHook.of(DATA_CLASS, RECORD_TYPE, this::purgeOlderThan);
  }

  private int purgeOlderThan(Scope scope, Instant cutoff, Set<String> heldUsers) {
    List<SessionStore.Key> keys =
        jdbc.sql(
                "SELECT user_id, session_id FROM sessions WHERE tenant_id = :t AND env = :e"
                    + " AND created_at < :cutoff AND NOT (user_id = ANY (:held)) FOR UPDATE")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("cutoff", Sql.ts(cutoff))
            .param("held", heldUsers.toArray(String[]::new))
            .query(
                (rs, n) ->
                    new SessionStore.Key(rs.getString("user_id"), rs.getString("session_id")))
            .list();
    return store.remove(scope, keys, ResolvedPointer.EXPIRED, clock.instant());
  }
}
