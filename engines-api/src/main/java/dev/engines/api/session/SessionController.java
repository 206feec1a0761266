package dev.engines.api.session;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.version.Preconditions;
import dev.engines.session.Session;
import dev.engines.session.SessionActions;
import dev.engines.session.Sessions;
import dev.engines.session.Turn;
import dev.engines.session.Written;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sessions and their turns. Sessions are user-scoped: the caller's user (a service key names one
 * with {@code X-User-Id}, else 400 {@code user_required}) owns them, another user's session answers
 * 404, and only admins list another user's sessions. Every route needs the env's {@code session}
 * slot (409 {@code config_missing}); an expired session answers 410 {@code session_expired}. A
 * session's version is its {@code ETag}; {@code PATCH} and {@code DELETE} take {@code If-Match}
 * (412 {@code precondition_failed} when stale).
 */
@RestController
@Tag(name = "sessions", description = "Sessions and turns (user-scoped, with TTL)")
public class SessionController {

  private final Sessions sessions;

  public SessionController(Sessions sessions) {
    this.sessions = sessions;
  }

  /**
   * A session to create.
   *
   * @param sessionId your id for it ({@code ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$}); the same id with
   *     the same settings again answers the session (200), with other settings 409 {@code
   *     session_exists}; leave it out for a new {@code se_…} id
   * @param title redacted by the PII pipeline before it is stored
   * @param ttlSeconds seconds the session lives after its last write; the env's default when left
   *     out
   * @param trainOk false withdraws it for the session, its turns and blackboard (default true)
   * @param metadata up to 32 entries, keys {@code ^[a-z][a-z0-9_]{0,63}$}, values strings
   *     (redacted), numbers or booleans
   */
  public record CreateSession(
      String sessionId,
      String title,
      Integer ttlSeconds,
      Boolean trainOk,
      Map<String, Object> metadata) {}

  /**
   * Changes to a session; what is left out stays.
   *
   * @param title {@code ""} removes it
   * @param ttlSeconds a new TTL, counted from now
   * @param trainOk only false: once withdrawn it stays withdrawn (409 {@code train_ok_withdrawn})
   * @param metadata replaces the metadata
   */
  public record UpdateSession(
      String title, Integer ttlSeconds, Boolean trainOk, Map<String, Object> metadata) {}

  /**
   * A turn to append.
   *
   * @param content 1 to the env's {@code max_turn_chars} chars; stored redacted
   * @param seq the position you expect the turn to take: a retry with the same turn answers it
   *     (200), anything else 409 {@code turn_seq_conflict}; leave it out for the next position
   */
  public record AppendTurn(
      @Schema(allowableValues = {"user", "assistant", "system", "tool"}) String role,
      String content,
      Map<String, Object> metadata,
      Integer seq) {}

  @PostMapping("/v1/sessions")
  @Operation(
      operationId = "createSession",
      summary =
          "Start a session of the caller's user (201; 200 when the same session_id"
              + " and settings exist already); TTL default and maximum from the env's session slot")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "session",
      action = "session.create",
      kind = Kind.WRITE,
      gate = SessionActions.CREATE,
      creates = true)
  public ResponseEntity<Session> create(
      @Parameter(hidden = true) Caller caller, @RequestBody(required = false) CreateSession body) {
    CreateSession in = body == null ? new CreateSession(null, null, null, null, null) : body;
    Written<Session> written =
        sessions.create(
            caller,
            new Sessions.NewSession(
                in.sessionId(), in.title(), in.ttlSeconds(), in.trainOk(), in.metadata()));
    Session session = written.value();
    return (written.created()
            ? ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/v1/sessions/" + session.sessionId()))
            : ResponseEntity.ok())
        .eTag(Preconditions.etag(session.version()))
        .body(session);
  }

  @GetMapping("/v1/sessions")
  @Operation(
      operationId = "listSessions",
      summary =
          "The caller's sessions that have not expired, newest first; admins may"
              + " name another user with user_id")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "session.list",
      kind = Kind.READ,
      gate = SessionActions.LIST)
  public Page<Session> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(name = "user_id", required = false) String userId,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return sessions.list(caller, userId, cursor, Cursors.limit(limit, 50));
  }

  @GetMapping("/v1/sessions/{sessionId}")
  @Operation(
      operationId = "getSession",
      summary =
          "One of the caller's sessions (404: none of theirs; 410 session_expired);"
              + " ETag is its version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "session.get",
      kind = Kind.READ,
      gate = SessionActions.GET)
  public ResponseEntity<Session> get(
      @Parameter(hidden = true) Caller caller, @PathVariable String sessionId) {
    Session session = sessions.get(caller, sessionId);
    return ResponseEntity.ok().eTag(Preconditions.etag(session.version())).body(session);
  }

  @PatchMapping("/v1/sessions/{sessionId}")
  @Operation(
      operationId = "updateSession",
      summary =
          "Change title, TTL, metadata or withdraw train_ok; If-Match: the version"
              + " read (412 precondition_failed when stale)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "session",
      action = "session.update",
      kind = Kind.WRITE,
      gate = SessionActions.UPDATE)
  public ResponseEntity<Session> update(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) UpdateSession body) {
    if (body == null) {
      throw EnginesException.validation("The request body must be a JSON object of the changes.");
    }
    Session session =
        sessions.update(
            caller,
            sessionId,
            new Sessions.Changes(body.title(), body.ttlSeconds(), body.trainOk(), body.metadata()),
            Preconditions.of(ifMatch, null));
    return ResponseEntity.ok().eTag(Preconditions.etag(session.version())).body(session);
  }

  @DeleteMapping("/v1/sessions/{sessionId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(
      operationId = "deleteSession",
      summary =
          "Delete a session with its turns, memory, blackboard and inbox; pointers"
              + " to its turns answer deleted; If-Match optional")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "session",
      action = "session.delete",
      kind = Kind.WRITE,
      gate = SessionActions.DELETE)
  public void delete(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    sessions.delete(caller, sessionId, Preconditions.of(ifMatch, null));
  }

  @PostMapping("/v1/sessions/{sessionId}/turns")
  @Operation(
      operationId = "appendTurn",
      summary =
          "Append a turn: content redacted by the PII pipeline, keyed content-addressed"
              + " id, pii_flags and train_ok (201; 200 for a retry naming the same seq)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "session",
      action = "turn.append",
      kind = Kind.WRITE,
      gate = SessionActions.TURN_APPEND,
      creates = true)
  public ResponseEntity<Turn> append(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestBody(required = false) AppendTurn body) {
    if (body == null) {
      throw EnginesException.validation("The request body must be a turn {role, content}.");
    }
    Written<Turn> written =
        sessions.append(
            caller,
            sessionId,
            new Sessions.NewTurn(body.role(), body.content(), body.metadata(), body.seq()));
    Turn turn = written.value();
    return written.created()
        ? ResponseEntity.status(HttpStatus.CREATED)
            .location(URI.create("/v1/sessions/" + sessionId + "/turns/" + turn.turnId()))
            .body(turn)
        : ResponseEntity.ok(turn);
  }

  @GetMapping("/v1/sessions/{sessionId}/turns")
  @Operation(operationId = "listTurns", summary = "The session's turns in seq order")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "turn.list",
      kind = Kind.READ,
      gate = SessionActions.TURN_LIST)
  public Page<Turn> turns(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return sessions.turns(caller, sessionId, cursor, Cursors.limit(limit, 100));
  }

  @GetMapping("/v1/sessions/{sessionId}/turns/{turnId}")
  @Operation(operationId = "getTurn", summary = "One turn of the session")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "turn.get",
      kind = Kind.READ,
      gate = SessionActions.TURN_GET)
  public Turn turn(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @PathVariable String turnId) {
    return sessions.turn(caller, sessionId, turnId);
  }
}
