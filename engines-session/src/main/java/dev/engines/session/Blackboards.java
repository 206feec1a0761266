package dev.engines.session;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.version.Preconditions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.pii.PiiPipeline;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A session's blackboard: JSON values under keys, shared between the threads of one session. Each
 * entry has its own version (its ETag), so threads update it without losing each other's writes:
 * {@code If-Match} with the version read (412 {@code precondition_failed} when another thread wrote
 * in between), {@code If-Match: *} to change only an existing entry, {@code If-None-Match: *} to
 * create only a new one. Values are at most the slot's {@code blackboard_max_bytes} (64 KiB at
 * most) and every string in them passes the PII pipeline.
 */
public final class Blackboards {

  /** What a blackboard key looks like. */
  public static final Pattern KEY = Pattern.compile("^[a-z0-9][a-z0-9_.:-]{0,127}$");

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final SessionSlots slots;
  private final PiiPipeline pii;
  private final EventRecorder events;
  private final PurgeFence fence;
  private final SessionStore store;

  public Blackboards(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      SessionSlots slots,
      PiiPipeline pii,
      EventRecorder events,
      PurgeFence fence) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.pii = Objects.requireNonNull(pii, "pii");
    this.events = Objects.requireNonNull(events, "events");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.store = new SessionStore(jdbc);
  }

  /**
   * Writes {@code value} under {@code key} of one of the caller's sessions, under {@code
   * preconditions} on the entry's version.
   *
   * @param value any JSON value but null (delete the entry instead)
   */
  public Written<BlackboardEntry> put(
      Caller caller, String sessionId, String key, Object value, Preconditions preconditions) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    SessionSlot slot = slots.session(caller);
    checkKey(key);
    if (value == null) {
      throw new InvalidFieldsException(
          "The entry is invalid.",
          List.of(
              new FieldError(
                  "value", "is required: any JSON value but null (DELETE removes an entry)")));
    }
    int size = Json.write(value).getBytes(StandardCharsets.UTF_8).length;
    if (size > slot.blackboardMaxBytes()) {
      throw new EnginesException(
          413,
          SessionProblems.VALUE_TOO_LARGE,
          "The value's JSON is "
              + size
              + " bytes; the env's"
              + " blackboard_max_bytes is "
              + slot.blackboardMaxBytes()
              + ".");
    }
    Texts texts = new Texts(pii, caller);
    Object stored = texts.redactTree("value", value);
    Instant now = clock.instant();
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          SessionStore.Row row = store.live(scope, user, sessionId, now, true);
          Optional<BlackboardEntry> current = find(scope, user, sessionId, key);
          preconditions.check(
              current.map(e -> OptionalLong.of(e.version())).orElse(OptionalLong.empty()),
              "The blackboard entry");
          if (current.isEmpty() && row.blackboardKeys() >= slot.blackboardMaxKeys()) {
            throw EnginesException.conflict(
                SessionProblems.BLACKBOARD_FULL,
                "The blackboard holds "
                    + row.blackboardKeys()
                    + " entries, the env's blackboard_max_keys; delete one first.");
          }
          long version = row.blackboardSeq() + 1;
          jdbc.sql(
                  "INSERT INTO session_blackboard (tenant_id, env, user_id, session_id, key, value, size_bytes, pii_flags,"
                      + " train_ok, version, updated_at, updated_by)"
                      + " VALUES (:t, :e, :u, :id, :key, CAST(:value AS jsonb), :size, CAST(:flags AS jsonb), :trainOk, :version, :now, :by)"
                      + " ON CONFLICT (tenant_id, env, user_id, session_id, key) DO UPDATE SET value = EXCLUDED.value,"
                      + " size_bytes = EXCLUDED.size_bytes, pii_flags = EXCLUDED.pii_flags, train_ok = EXCLUDED.train_ok,"
                      + " version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .param("key", key)
              .param("value", Json.write(stored))
              .param("size", size)
              .param("flags", Json.write(texts.flags()))
              .param("trainOk", texts.trainOk() && row.session().trainOk())
              .param("version", version)
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .update();
          jdbc.sql(
                  "UPDATE sessions SET blackboard_seq = :version, blackboard_keys = blackboard_keys + :added, "
                      + SessionStore.TOUCH
                      + " WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id")
              .param("version", version)
              .param("added", current.isEmpty() ? 1 : 0)
              .param("now", Sql.ts(now))
              .param("expires", Sql.ts(row.expiresAfterWrite(now)))
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .update();
          events.output(caller, RefType.BLACKBOARD_ENTRY, sessionId + "/" + key);
          return new Written<>(find(scope, user, sessionId, key).orElseThrow(), current.isEmpty());
        });
  }

  /** One entry; 404 when the key holds none. */
  public BlackboardEntry get(Caller caller, String sessionId, String key) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    checkKey(key);
    Instant now = clock.instant();
    return tx.read(
            caller,
            () -> {
              store.live(scope, user, sessionId, now, false);
              return find(scope, user, sessionId, key);
            })
        .orElseThrow(() -> EnginesException.notFound("Blackboard entry"));
  }

  /** Deletes one entry under {@code preconditions} on its version; 404 when the key holds none. */
  public void delete(Caller caller, String sessionId, String key, Preconditions preconditions) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    checkKey(key);
    Instant now = clock.instant();
    tx.write(
        caller,
        () -> {
          SessionStore.Row row = store.live(scope, user, sessionId, now, true);
          BlackboardEntry current =
              find(scope, user, sessionId, key)
                  .orElseThrow(() -> EnginesException.notFound("Blackboard entry"));
          preconditions.check(OptionalLong.of(current.version()), "The blackboard entry");
          jdbc.sql(
                  "DELETE FROM session_blackboard WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id AND key = :key")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .param("key", key)
              .update();
          jdbc.sql(
                  "UPDATE sessions SET blackboard_keys = blackboard_keys - 1, "
                      + SessionStore.TOUCH
                      + " WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id")
              .param("now", Sql.ts(now))
              .param("expires", Sql.ts(row.expiresAfterWrite(now)))
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .update();
          events.output(caller, RefType.BLACKBOARD_ENTRY, sessionId + "/" + key);
          return null;
        });
  }

  /** The entries of one of the caller's sessions, with their values, in key order. */
  public Page<BlackboardEntry> list(Caller caller, String sessionId, String cursor, int limit) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    String after = Cursors.decode(cursor);
    Instant now = clock.instant();
    return tx.read(
        caller,
        () -> {
          store.live(scope, user, sessionId, now, false);
          return Page.of(
              jdbc.sql(
                      "SELECT * FROM session_blackboard WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id"
                          + " AND key > :after ORDER BY key LIMIT :limit")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("u", user)
                  .param("id", sessionId)
                  .param("after", after)
                  .param("limit", limit + 1)
                  .query(Blackboards::map)
                  .list(),
              limit,
              BlackboardEntry::key);
        });
  }

  private Optional<BlackboardEntry> find(Scope scope, String user, String sessionId, String key) {
    return jdbc.sql(
            "SELECT * FROM session_blackboard WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id"
                + " AND key = :key")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("u", user)
        .param("id", sessionId)
        .param("key", key)
        .query(Blackboards::map)
        .optional();
  }

  private static void checkKey(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw EnginesException.validation("A blackboard key must match " + KEY.pattern() + ".");
    }
  }

  private static BlackboardEntry map(ResultSet rs, int n) throws SQLException {
    return new BlackboardEntry(
        rs.getString("key"),
        Json.value(rs.getString("value")),
        rs.getInt("size_bytes"),
        Json.map(rs.getString("pii_flags")),
        rs.getBoolean("train_ok"),
        rs.getLong("version"),
        Sql.instant(rs, "updated_at"),
        rs.getString("updated_by"));
  }
}
