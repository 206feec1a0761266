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
import dev.engines.session.BlackboardEntry;
import dev.engines.session.Blackboards;
import dev.engines.session.SessionActions;
import dev.engines.session.Written;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A session's blackboard: JSON values under keys, shared by the session's threads. Each entry's
 * version is its {@code ETag}: write with {@code If-Match} to never overwrite another thread's
 * update (412 {@code precondition_failed}), {@code If-Match: *} to change only an existing entry,
 * {@code If-None-Match: *} to create only a new one.
 */
@RestController
@Tag(name = "session blackboard", description = "Shared JSON state of a session's threads")
public class BlackboardController {

  private final Blackboards blackboards;

  public BlackboardController(Blackboards blackboards) {
    this.blackboards = blackboards;
  }

  /**
   * A value to write.
   *
   * @param value any JSON value but null, at most the env's {@code blackboard_max_bytes} (64 KiB);
   *     its strings are redacted by the PII pipeline
   */
  public record BlackboardValue(Object value) {}

  @PutMapping("/v1/sessions/{sessionId}/blackboard/{blackboardKey}")
  @Operation(
      operationId = "putBlackboardEntry",
      summary =
          "Write one entry (201 new, 200 replaced); If-Match / If-None-Match"
              + " on its version (412 precondition_failed); 413 value_too_large; 409 blackboard_full")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "session",
      action = "blackboard.put",
      kind = Kind.WRITE,
      gate = SessionActions.BLACKBOARD_PUT)
  public ResponseEntity<BlackboardEntry> put(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @PathVariable String blackboardKey,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch,
      @RequestBody(required = false) BlackboardValue body) {
    if (body == null) {
      throw EnginesException.validation("The request body must be {value}.");
    }
    Written<BlackboardEntry> written =
        blackboards.put(
            caller, sessionId, blackboardKey, body.value(), Preconditions.of(ifMatch, ifNoneMatch));
    BlackboardEntry entry = written.value();
    return (written.created()
            ? ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/v1/sessions/" + sessionId + "/blackboard/" + entry.key()))
            : ResponseEntity.ok())
        .eTag(Preconditions.etag(entry.version()))
        .body(entry);
  }

  @GetMapping("/v1/sessions/{sessionId}/blackboard/{blackboardKey}")
  @Operation(operationId = "getBlackboardEntry", summary = "One entry; ETag is its version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "blackboard.get",
      kind = Kind.READ,
      gate = SessionActions.BLACKBOARD_GET)
  public ResponseEntity<BlackboardEntry> get(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @PathVariable String blackboardKey) {
    BlackboardEntry entry = blackboards.get(caller, sessionId, blackboardKey);
    return ResponseEntity.ok().eTag(Preconditions.etag(entry.version())).body(entry);
  }

  @DeleteMapping("/v1/sessions/{sessionId}/blackboard/{blackboardKey}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(
      operationId = "deleteBlackboardEntry",
      summary = "Delete one entry; If-Match optional (412 precondition_failed)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "session",
      action = "blackboard.delete",
      kind = Kind.WRITE,
      gate = SessionActions.BLACKBOARD_DELETE)
  public void delete(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @PathVariable String blackboardKey,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    blackboards.delete(caller, sessionId, blackboardKey, Preconditions.of(ifMatch, null));
  }

  @GetMapping("/v1/sessions/{sessionId}/blackboard")
  @Operation(
      operationId = "listBlackboardEntries",
      summary = "The session's entries with their values, in key order")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "blackboard.list",
      kind = Kind.READ,
      gate = SessionActions.BLACKBOARD_LIST)
  public Page<BlackboardEntry> list(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return blackboards.list(caller, sessionId, cursor, Cursors.limit(limit, 20));
  }
}
