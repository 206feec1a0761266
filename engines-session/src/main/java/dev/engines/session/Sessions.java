package dev.engines.session;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ids.IdKeys;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.quota.Quotas;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.Scope;
import dev.engines.core.version.Preconditions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.pii.PiiPipeline;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sessions and their turns. A session belongs to one user of one tenant/env: only that user, or a
 * service key acting on their behalf ({@code X-User-Id}), reads or writes it; another user's
 * session answers 404. Its TTL counts from its last write; once it has passed, the session answers
 * 410 {@code session_expired} on every route at once, and the sweep removes it later. Every route
 * needs the env's {@code session} slot (409 {@code config_missing} without it).
 *
 * <p>Turn content passes the PII pipeline and is stored redacted under a keyed, content-addressed
 * id ({@link TurnIds}); a turn is {@code train_ok} only when its redaction found nothing and the
 * session allows it.
 */
public final class Sessions {

  /** The turn roles. */
  public static final Set<String> ROLES = Set.of("user", "assistant", "system", "tool");

  /** The longest title. */
  public static final int MAX_TITLE = 1000;

  private static final Pattern USER_ID = Pattern.compile("^u_[a-z2-7]{26}$");

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final SessionSlots slots;
  private final PiiPipeline pii;
  private final EventRecorder events;
  private final PurgeFence fence;
  private final IdKeys idKeys;
  private final SessionStore store;
  private final Quotas quotas;

  /**
   * @param idKeys the keys turn ids are made with ({@link TurnIds})
   * @param quotas the env's sessions quota, checked before a session is created
   */
  public Sessions(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      SessionSlots slots,
      PiiPipeline pii,
      EventRecorder events,
      PurgeFence fence,
      IdKeys idKeys,
      Quotas quotas) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.pii = Objects.requireNonNull(pii, "pii");
    this.events = Objects.requireNonNull(events, "events");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.idKeys = Objects.requireNonNull(idKeys, "idKeys");
    this.store = new SessionStore(jdbc);
    this.quotas = Objects.requireNonNull(quotas, "quotas");
  }

  /**
   * A session to create.
   *
   * @param sessionId the caller's id ({@code ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$}), or null for a
   *     new {@code se_…} id; creating the same id again with the same settings answers the session
   *     (a replay), with other settings 409 {@code session_exists}
   * @param ttlSeconds null for the slot's default
   * @param trainOk null for true
   */
  public record NewSession(
      String sessionId,
      String title,
      Integer ttlSeconds,
      Boolean trainOk,
      Map<String, Object> metadata) {}

  /** Creates a session of the caller's user (see {@link NewSession} for replays). */
  public Written<Session> create(Caller caller, NewSession in) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    SessionSlot slot = slots.session(caller);
    List<FieldError> errors = new ArrayList<>();
    if (in.sessionId() != null && !SessionStore.SESSION_ID.matcher(in.sessionId()).matches()) {
      errors.add(new FieldError("session_id", "must match " + SessionStore.SESSION_ID.pattern()));
    }
    int ttl = in.ttlSeconds() == null ? slot.defaultTtlSeconds() : in.ttlSeconds();
    checkTtl(ttl, slot, errors);
    checkTitle(in.title(), errors);
    Map<String, Object> metadata = Texts.flat("metadata", in.metadata(), errors);
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The session is invalid.", errors);
    }
    Texts texts = new Texts(pii, caller);
    String title = texts.redact(blankToNull(in.title()));
    Map<String, Object> storedMetadata = redactFlat(texts, metadata);
    boolean trainOk = in.trainOk() == null || in.trainOk();
    Instant now = clock.instant();
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          String sessionId = in.sessionId() != null ? in.sessionId() : Ids.random("se");
          Optional<SessionStore.Row> existing = store.find(scope, user, sessionId, true);
          if (existing.isPresent()) {
            if (!existing.get().expired(now)) {
              return replay(existing.get().session(), title, ttl, trainOk, storedMetadata);
            }
            // An expired session is dead whether or not the sweep got to it: its id starts afresh.
            store.remove(
                scope,
                List.of(new SessionStore.Key(user, sessionId)),
                ResolvedPointer.EXPIRED,
                now);
          }
          // A session id used again starts without the tombstones of its predecessor.
          jdbc.sql(
                  "DELETE FROM session_tombstones WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .update();
          quotas.reserve(caller, Quotas.Resource.SESSIONS, 1);
          int inserted =
              jdbc.sql(
                      "INSERT INTO sessions (tenant_id, env, user_id, session_id, title, metadata, pii_flags, train_ok,"
                          + " ttl_seconds, expires_at, turn_count, version, blackboard_seq, blackboard_keys, created_at, created_by, updated_at)"
                          + " VALUES (:t, :e, :u, :id, :title, CAST(:metadata AS jsonb), CAST(:flags AS jsonb), :trainOk, :ttl, :expires,"
                          + " 0, 1, 0, 0, :now, :by, :now) ON CONFLICT (tenant_id, env, user_id, session_id) DO NOTHING")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("u", user)
                  .param("id", sessionId)
                  .param("title", title)
                  .param("metadata", Json.write(storedMetadata))
                  .param("flags", Json.write(texts.flags()))
                  .param("trainOk", trainOk)
                  .param("ttl", ttl)
                  .param("expires", Sql.ts(now.plusSeconds(ttl)))
                  .param("now", Sql.ts(now))
                  .param("by", caller.actorId())
                  .update();
          Session session = store.find(scope, user, sessionId, false).orElseThrow().session();
          if (inserted == 0) {
            // A concurrent create of the same id committed first: this call is its replay, or a
            // conflict.
            return replay(session, title, ttl, trainOk, storedMetadata);
          }
          events.output(caller, RefType.SESSION, sessionId);
          return new Written<>(session, true);
        });
  }

  /**
   * The sessions of the caller's user (or, for admins, of {@code userId}) that have not expired,
   * newest first.
   */
  public Page<Session> list(Caller caller, String userId, String cursor, int limit) {
    Scope scope = caller.scope();
    String owner;
    if (userId == null) {
      owner = SessionProblems.user(caller);
    } else {
      if (!USER_ID.matcher(userId).matches()) {
        throw EnginesException.validation("user_id must be a user id (u_…).");
      }
      if (!userId.equals(caller.effectiveUserId()) && !caller.role().atLeast(Role.ADMIN)) {
        throw EnginesException.forbidden(
            ProblemCodes.FORBIDDEN_ROLE, "Only admins list another user's sessions.");
      }
      owner = userId;
      events.input(caller, RefType.USER, userId);
    }
    slots.session(caller);
    long before = Cursors.decodeLong(cursor, Long.MAX_VALUE);
    Instant now = clock.instant();
    return tx.read(
        caller,
        () -> {
          Page<SessionStore.Row> rows =
              Page.of(
                  jdbc.sql(
                          "SELECT * FROM sessions WHERE tenant_id = :t AND env = :e AND user_id = :u AND expires_at > :now"
                              + " AND seq < :before ORDER BY seq DESC LIMIT :limit")
                      .param("t", scope.tenantId())
                      .param("e", scope.env().wire())
                      .param("u", owner)
                      .param("now", Sql.ts(now))
                      .param("before", before)
                      .param("limit", limit + 1)
                      .query(SessionStore::row)
                      .list(),
                  limit,
                  r -> Long.toString(r.seq()));
          return new Page<>(
              rows.items().stream().map(SessionStore.Row::session).toList(), rows.nextCursor());
        });
  }

  /** One of the caller's sessions. */
  public Session get(Caller caller, String sessionId) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    Instant now = clock.instant();
    return tx.read(caller, () -> store.live(scope, user, sessionId, now, false).session());
  }

  /**
   * Changes to a session; null fields stay as they are.
   *
   * @param title {@code ""} removes it
   * @param ttlSeconds a new TTL, counted from now
   * @param trainOk only ever to false: a withdrawn {@code train_ok} stays withdrawn, and the
   *     session's turns and blackboard entries become {@code train_ok=false}
   * @param metadata replaces the metadata
   */
  public record Changes(
      String title, Integer ttlSeconds, Boolean trainOk, Map<String, Object> metadata) {}

  /** Changes a session under {@code preconditions} on its version (412 when they do not hold). */
  public Session update(
      Caller caller, String sessionId, Changes changes, Preconditions preconditions) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    SessionSlot slot = slots.session(caller);
    List<FieldError> errors = new ArrayList<>();
    if (changes.ttlSeconds() != null) {
      checkTtl(changes.ttlSeconds(), slot, errors);
    }
    checkTitle(changes.title(), errors);
    Map<String, Object> metadata =
        changes.metadata() == null ? null : Texts.flat("metadata", changes.metadata(), errors);
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The changes are invalid.", errors);
    }
    Texts texts = new Texts(pii, caller);
    String title = changes.title() == null ? null : texts.redact(changes.title());
    Map<String, Object> storedMetadata = metadata == null ? null : redactFlat(texts, metadata);
    Instant now = clock.instant();
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          SessionStore.Row row = store.live(scope, user, sessionId, now, true);
          Session s = row.session();
          preconditions.check(OptionalLong.of(s.version()), "The session");
          if (Boolean.TRUE.equals(changes.trainOk()) && !s.trainOk()) {
            throw EnginesException.conflict(
                SessionProblems.TRAIN_OK_WITHDRAWN,
                "train_ok was withdrawn for this session and cannot be given back; start a new session.");
          }
          boolean trainOk = changes.trainOk() == null ? s.trainOk() : changes.trainOk();
          int ttl = changes.ttlSeconds() == null ? s.ttlSeconds() : changes.ttlSeconds();
          jdbc.sql(
                  "UPDATE sessions SET title = :title, metadata = CAST(:metadata AS jsonb), pii_flags = CAST(:flags AS jsonb),"
                      + " train_ok = :trainOk, ttl_seconds = :ttl, "
                      + SessionStore.TOUCH
                      + " WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id")
              .param("title", title == null ? s.title() : blankToNull(title))
              .param("metadata", Json.write(storedMetadata == null ? s.metadata() : storedMetadata))
              .param("flags", Json.write(Texts.merge(s.piiFlags(), texts.flags())))
              .param("trainOk", trainOk)
              .param("ttl", ttl)
              .param("now", Sql.ts(now))
              .param("expires", Sql.ts(now.plusSeconds(ttl)))
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .update();
          if (!trainOk && s.trainOk()) {
            for (String table : List.of("session_turns", "session_blackboard")) {
              jdbc.sql(
                      "UPDATE "
                          + table
                          + " SET train_ok = false WHERE tenant_id = :t AND env = :e AND user_id = :u"
                          + " AND session_id = :id AND train_ok")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("u", user)
                  .param("id", sessionId)
                  .update();
            }
          }
          events.output(caller, RefType.SESSION, sessionId);
          return store.find(scope, user, sessionId, false).orElseThrow().session();
        });
  }

  /**
   * Deletes a session with its turns, memory, blackboard and inbox under {@code preconditions}; a
   * tombstone answers pointers to its turns with {@code deleted}.
   */
  public void delete(Caller caller, String sessionId, Preconditions preconditions) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    Instant now = clock.instant();
    tx.write(
        caller,
        () -> {
          SessionStore.Row row = store.live(scope, user, sessionId, now, true);
          preconditions.check(OptionalLong.of(row.session().version()), "The session");
          store.remove(
              scope, List.of(new SessionStore.Key(user, sessionId)), ResolvedPointer.DELETED, now);
          events.output(caller, RefType.SESSION, sessionId);
          return null;
        });
  }

  /**
   * A turn to append.
   *
   * @param role one of {@link #ROLES}
   * @param content 1 to the slot's {@code max_turn_chars} chars
   * @param seq the position the caller expects the turn to take, or null for the next one. With it
   *     an append is safe to retry: the same turn at that position answers the stored turn (a
   *     replay), anything else there, or a gap, 409 {@code turn_seq_conflict}
   */
  public record NewTurn(String role, String content, Map<String, Object> metadata, Integer seq) {}

  /** Appends a turn to one of the caller's sessions. */
  public Written<Turn> append(Caller caller, String sessionId, NewTurn in) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    SessionSlot slot = slots.session(caller);
    List<FieldError> errors = new ArrayList<>();
    if (in.role() == null || !ROLES.contains(in.role())) {
      errors.add(new FieldError("role", "must be one of " + new TreeSet<>(ROLES)));
    }
    if (in.content() == null
        || in.content().isEmpty()
        || in.content().length() > slot.maxTurnChars()) {
      errors.add(
          new FieldError(
              "content",
              "must be 1 to " + slot.maxTurnChars() + " chars (the env's max_turn_chars)"));
    }
    if (in.seq() != null && in.seq() < 1) {
      errors.add(new FieldError("seq", "must be 1 or more"));
    }
    Map<String, Object> metadata = Texts.flat("metadata", in.metadata(), errors);
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The turn is invalid.", errors);
    }
    String originalSha256 = Ids.sha256Hex(in.content());
    Texts texts = new Texts(pii, caller);
    String content = texts.redact(in.content());
    Map<String, Object> storedMetadata = redactFlat(texts, metadata);
    Instant now = clock.instant();
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          SessionStore.Row row = store.live(scope, user, sessionId, now, true);
          Session s = row.session();
          int next = s.turnCount() + 1;
          if (in.seq() != null && in.seq() != next) {
            String expectedId =
                TurnIds.turnId(idKeys, scope, user, sessionId, in.seq(), in.role(), originalSha256);
            Optional<Turn> there =
                in.seq() < next ? turnAt(scope, user, sessionId, in.seq()) : Optional.empty();
            if (there.isPresent() && there.get().turnId().equals(expectedId)) {
              return new Written<>(there.get(), false);
            }
            throw EnginesException.conflict(
                SessionProblems.TURN_SEQ_CONFLICT,
                "The session's next turn is seq "
                    + next
                    + "; seq "
                    + in.seq()
                    + (in.seq() < next ? " holds another turn." : " would leave a gap."));
          }
          if (s.turnCount() >= slot.maxTurns()) {
            throw EnginesException.conflict(
                SessionProblems.TURN_LIMIT_REACHED,
                "The session holds "
                    + s.turnCount()
                    + " turns, the env's max_turns; start a new session.");
          }
          String turnId =
              TurnIds.turnId(idKeys, scope, user, sessionId, next, in.role(), originalSha256);
          jdbc.sql(
                  "INSERT INTO session_turns (tenant_id, env, user_id, session_id, seq, turn_id, role, content, content_sha256,"
                      + " metadata, pii_flags, train_ok, created_at, created_by)"
                      + " VALUES (:t, :e, :u, :id, :seq, :turn, :role, :content, :sha, CAST(:metadata AS jsonb), CAST(:flags AS jsonb),"
                      + " :trainOk, :now, :by)")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .param("seq", next)
              .param("turn", turnId)
              .param("role", in.role())
              .param("content", content)
              .param("sha", Ids.sha256Hex(content))
              .param("metadata", Json.write(storedMetadata))
              .param("flags", Json.write(texts.flags()))
              .param("trainOk", texts.trainOk() && s.trainOk())
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .update();
          jdbc.sql(
                  "UPDATE sessions SET turn_count = :seq, last_turn_id = :turn, "
                      + SessionStore.TOUCH
                      + " WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id")
              .param("seq", next)
              .param("turn", turnId)
              .param("now", Sql.ts(now))
              .param("expires", Sql.ts(row.expiresAfterWrite(now)))
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .update();
          events.output(caller, RefType.TURN, turnId);
          return new Written<>(turnAt(scope, user, sessionId, next).orElseThrow(), true);
        });
  }

  /** The turns of one of the caller's sessions in seq order. */
  public Page<Turn> turns(Caller caller, String sessionId, String cursor, int limit) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    int after = Cursors.decodeInt(cursor, 0);
    Instant now = clock.instant();
    return tx.read(
        caller,
        () -> {
          store.live(scope, user, sessionId, now, false);
          return Page.of(
              jdbc.sql(
                      "SELECT * FROM session_turns WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id"
                          + " AND seq > :after ORDER BY seq LIMIT :limit")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("u", user)
                  .param("id", sessionId)
                  .param("after", after)
                  .param("limit", limit + 1)
                  .query(Sessions::turn)
                  .list(),
              limit,
              t -> Integer.toString(t.seq()));
        });
  }

  /** One turn of one of the caller's sessions. */
  public Turn turn(Caller caller, String sessionId, String turnId) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    Instant now = clock.instant();
    return tx.read(
            caller,
            () -> {
              store.live(scope, user, sessionId, now, false);
              return jdbc.sql(
                      "SELECT * FROM session_turns WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id"
                          + " AND turn_id = :turn")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("u", user)
                  .param("id", sessionId)
                  .param("turn", turnId)
                  .query(Sessions::turn)
                  .optional();
            })
        .orElseThrow(() -> EnginesException.notFound("Turn"));
  }

  private Optional<Turn> turnAt(Scope scope, String user, String sessionId, int seq) {
    return jdbc.sql(
            "SELECT * FROM session_turns WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id"
                + " AND seq = :seq")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("u", user)
        .param("id", sessionId)
        .param("seq", seq)
        .query(Sessions::turn)
        .optional();
  }

  /**
   * The stored session, when a create names it with the same settings; else 409 {@code
   * session_exists}.
   */
  private static Written<Session> replay(
      Session s, String title, int ttl, boolean trainOk, Map<String, Object> metadata) {
    if (Objects.equals(s.title(), title)
        && s.ttlSeconds() == ttl
        && s.trainOk() == trainOk
        && Json.write(s.metadata()).equals(Json.write(metadata))) {
      return new Written<>(s, false);
    }
    throw EnginesException.conflict(
        SessionProblems.SESSION_EXISTS,
        "This user already has a session with this id, with other settings; change it with PATCH or pick another id.");
  }

  private static void checkTtl(int ttl, SessionSlot slot, List<FieldError> errors) {
    if (ttl < 1 || ttl > slot.maxTtlSeconds()) {
      errors.add(
          new FieldError(
              "ttl_seconds",
              "must be between 1 and " + slot.maxTtlSeconds() + " (the env's max_ttl_seconds)"));
    }
  }

  private static void checkTitle(String title, List<FieldError> errors) {
    if (title != null && title.length() > MAX_TITLE) {
      errors.add(new FieldError("title", "must be at most " + MAX_TITLE + " chars"));
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  /** A flat map with its strings redacted. */
  static Map<String, Object> redactFlat(Texts texts, Map<String, Object> map) {
    Map<String, Object> out = new TreeMap<>();
    map.forEach((key, value) -> out.put(key, value instanceof String s ? texts.redact(s) : value));
    return out;
  }

  static Turn turn(ResultSet rs, int n) throws SQLException {
    return new Turn(
        rs.getString("turn_id"),
        rs.getString("session_id"),
        rs.getInt("seq"),
        rs.getString("role"),
        rs.getString("content"),
        rs.getString("content_sha256"),
        Json.map(rs.getString("metadata")),
        Json.map(rs.getString("pii_flags")),
        rs.getBoolean("train_ok"),
        Sql.instant(rs, "created_at"),
        rs.getString("created_by"));
  }
}
