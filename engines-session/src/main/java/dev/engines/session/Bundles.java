package dev.engines.session;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ids.IdKeys;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Message bundles: a set of pointers one session forwards to another session of the same user,
 * tenant and env (threads of one orchestration handing work over). The receiving session lists them
 * in its inbox. Another user's session, or one in another env or tenant, is not found (404),
 * exactly like an id that never existed. Forwarding the same pointers between the same sessions
 * again answers the bundle already there.
 */
public final class Bundles {

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final SessionSlots slots;
  private final EventRecorder events;
  private final PurgeFence fence;
  private final IdKeys idKeys;
  private final SessionStore store;

  /**
   * @param idKeys the keys bundle ids are made with
   */
  public Bundles(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      SessionSlots slots,
      EventRecorder events,
      PurgeFence fence,
      IdKeys idKeys) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.events = Objects.requireNonNull(events, "events");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.idKeys = Objects.requireNonNull(idKeys, "idKeys");
    this.store = new SessionStore(jdbc);
  }

  /**
   * Forwards {@code refs} (1 to {@value Pointer#MAX_PER_LIST} pointers) from one of the caller's
   * sessions to another. The event names both sessions: the sender as input, the receiver and the
   * bundle as outputs.
   */
  public Written<MessageBundle> forward(
      Caller caller, String fromSessionId, String toSessionId, List<Pointer> refs) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    List<FieldError> errors = new ArrayList<>();
    if (toSessionId == null || !SessionStore.SESSION_ID.matcher(toSessionId).matches()) {
      errors.add(
          new FieldError(
              "to_session_id", "must be a session id (" + SessionStore.SESSION_ID.pattern() + ")"));
    } else if (toSessionId.equals(fromSessionId)) {
      errors.add(new FieldError("to_session_id", "must be another session than the sender"));
    }
    List<Pointer> pointers = Pointer.validate("refs", refs, 1, errors);
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The bundle is invalid.", errors);
    }
    String bundleId =
        idKeys.id(
            scope,
            "bu",
            Ids.contentAddressed(
                "bu",
                scope.tenantId(),
                scope.env().wire(),
                user,
                fromSessionId,
                toSessionId,
                Json.write(pointers)));
    Instant now = clock.instant();
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          // Both rows locked in one order, so two forwards in opposite directions cannot deadlock.
          boolean fromFirst = fromSessionId.compareTo(toSessionId) < 0;
          SessionStore.Row first =
              store.live(scope, user, fromFirst ? fromSessionId : toSessionId, now, true);
          SessionStore.Row second =
              store.live(scope, user, fromFirst ? toSessionId : fromSessionId, now, true);
          SessionStore.Row from = fromFirst ? first : second;
          int inserted =
              jdbc.sql(
                      "INSERT INTO session_bundles (tenant_id, env, user_id, bundle_id, from_session_id, to_session_id,"
                          + " refs, created_at, created_by) VALUES (:t, :e, :u, :id, :from, :to, CAST(:refs AS jsonb), :now, :by)"
                          + " ON CONFLICT (tenant_id, env, user_id, bundle_id) DO NOTHING")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("u", user)
                  .param("id", bundleId)
                  .param("from", fromSessionId)
                  .param("to", toSessionId)
                  .param("refs", Json.write(pointers))
                  .param("now", Sql.ts(now))
                  .param("by", caller.actorId())
                  .update();
          if (inserted > 0) {
            store.touch(scope, from, now);
          }
          events.output(caller, RefType.SESSION, toSessionId);
          events.output(caller, RefType.BUNDLE, bundleId);
          return new Written<>(
              find(scope, user, toSessionId, bundleId).orElseThrow(), inserted > 0);
        });
  }

  /** The bundles forwarded to one of the caller's sessions, oldest first. */
  public Page<MessageBundle> inbox(Caller caller, String sessionId, String cursor, int limit) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    long after = Cursors.decodeLong(cursor, 0);
    Instant now = clock.instant();
    return tx.read(
        caller,
        () -> {
          store.live(scope, user, sessionId, now, false);
          Page<Listed> page =
              Page.of(
                  jdbc.sql(
                          "SELECT * FROM session_bundles WHERE tenant_id = :t AND env = :e AND user_id = :u"
                              + " AND to_session_id = :id AND seq > :after ORDER BY seq LIMIT :limit")
                      .param("t", scope.tenantId())
                      .param("e", scope.env().wire())
                      .param("u", user)
                      .param("id", sessionId)
                      .param("after", after)
                      .param("limit", limit + 1)
                      .query((rs, n) -> new Listed(map(rs, n), rs.getLong("seq")))
                      .list(),
                  limit,
                  l -> Long.toString(l.seq()));
          return new Page<>(page.items().stream().map(Listed::bundle).toList(), page.nextCursor());
        });
  }

  /** One bundle of a session's inbox. */
  public MessageBundle get(Caller caller, String sessionId, String bundleId) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    Instant now = clock.instant();
    return tx.read(
            caller,
            () -> {
              store.live(scope, user, sessionId, now, false);
              return find(scope, user, sessionId, bundleId);
            })
        .orElseThrow(() -> EnginesException.notFound("Bundle"));
  }

  /** A bundle with its inbox position. */
  private record Listed(MessageBundle bundle, long seq) {}

  private Optional<MessageBundle> find(
      Scope scope, String user, String toSessionId, String bundleId) {
    return jdbc.sql(
            "SELECT * FROM session_bundles WHERE tenant_id = :t AND env = :e AND user_id = :u AND bundle_id = :id"
                + " AND to_session_id = :to")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("u", user)
        .param("id", bundleId)
        .param("to", toSessionId)
        .query(Bundles::map)
        .optional();
  }

  private static MessageBundle map(ResultSet rs, int n) throws SQLException {
    return new MessageBundle(
        rs.getString("bundle_id"),
        rs.getString("from_session_id"),
        rs.getString("to_session_id"),
        Json.pointers(rs.getString("refs")),
        Sql.instant(rs, "created_at"),
        rs.getString("created_by"));
  }
}
