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
import dev.engines.session.Bundles;
import dev.engines.session.Memories;
import dev.engines.session.MessageBundle;
import dev.engines.session.Pointer;
import dev.engines.session.SessionActions;
import dev.engines.session.SessionMemory;
import dev.engines.session.Written;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Session memory (pointers and preferences, never content) and message bundles (pointers forwarded
 * to another session of the same user, tenant and env). Pointers resolve under the reader's scope:
 * another tenant's, env's or user's target reads as not found.
 */
@RestController
@Tag(name = "session memory", description = "Memory pointers and message bundles of a session")
public class MemoryController {

  private final Memories memories;
  private final Bundles bundles;

  public MemoryController(Memories memories, Bundles bundles) {
    this.memories = memories;
    this.bundles = bundles;
  }

  /**
   * A typed pointer: ids only, never content.
   *
   * @param id an atom ({@code at_…}), asset ({@code ra_…}) or turn ({@code tu_…}) id, a vector as
   *     {@code <space>/<vector id>}, or an external id ({@code ^[A-Za-z0-9_.:-]{1,200}$})
   */
  public record PointerBody(
      @Schema(allowableValues = {"atom", "asset", "turn", "vector", "external"}) String type,
      String id) {}

  /**
   * The memory to write, whole.
   *
   * @param pinnedRefs at most 200 (empty for none)
   * @param summaryRefs at most 200 (empty for none)
   * @param preferences up to 32 entries, keys {@code ^[a-z][a-z0-9_]{0,63}$}, values strings
   *     (redacted by the PII pipeline), numbers or booleans
   */
  public record MemoryBody(
      List<PointerBody> pinnedRefs,
      List<PointerBody> summaryRefs,
      Map<String, Object> preferences) {}

  /**
   * Pointers to forward.
   *
   * @param toSessionId another session of the same user, tenant and env
   * @param refs 1 to 200 pointers
   */
  public record BundleBody(String toSessionId, List<PointerBody> refs) {}

  @PutMapping("/v1/sessions/{sessionId}/memory")
  @Operation(
      operationId = "putSessionMemory",
      summary =
          "Write the session's memory: pinned_refs, summary_refs (typed pointers)"
              + " and preferences; If-Match: the version read, If-None-Match: * for the first write (412 precondition_failed)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "session",
      action = "memory.put",
      kind = Kind.WRITE,
      gate = SessionActions.MEMORY_PUT)
  public ResponseEntity<SessionMemory> put(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch,
      @RequestBody(required = false) MemoryBody body) {
    if (body == null) {
      throw EnginesException.validation(
          "The request body must be {pinned_refs, summary_refs, preferences}.");
    }
    SessionMemory memory =
        memories.put(
            caller,
            sessionId,
            new Memories.NewMemory(
                pointers(body.pinnedRefs()), pointers(body.summaryRefs()), body.preferences()),
            Preconditions.of(ifMatch, ifNoneMatch));
    return ResponseEntity.ok().eTag(Preconditions.etag(memory.version())).body(memory);
  }

  @GetMapping("/v1/sessions/{sessionId}/memory")
  @Operation(
      operationId = "getSessionMemory",
      summary =
          "The session's memory (version 0: never written); with resolve=true"
              + " every pointer resolved under the caller's scope: resolved, not_found, tombstones deleted|erased|expired, external")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "memory.get",
      kind = Kind.READ,
      gate = SessionActions.MEMORY_GET)
  public ResponseEntity<SessionMemory> get(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestParam(required = false) Boolean resolve) {
    if (Boolean.TRUE.equals(resolve)) {
      // What the pointers resolve to changes without the memory's version changing: no ETag.
      return ResponseEntity.ok(memories.resolve(caller, sessionId));
    }
    SessionMemory memory = memories.get(caller, sessionId);
    return memory.version() == 0
        ? ResponseEntity.ok(memory)
        : ResponseEntity.ok().eTag(Preconditions.etag(memory.version())).body(memory);
  }

  @PostMapping("/v1/sessions/{sessionId}/bundles")
  @Operation(
      operationId = "forwardBundle",
      summary =
          "Forward pointers to another session of the same user, tenant and env"
              + " (201; 200 when the same bundle was forwarded before; 404 for any other session)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "session",
      action = "bundle.forward",
      kind = Kind.WRITE,
      gate = SessionActions.BUNDLE_FORWARD,
      creates = true)
  public ResponseEntity<MessageBundle> forward(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestBody(required = false) BundleBody body) {
    if (body == null) {
      throw EnginesException.validation("The request body must be {to_session_id, refs}.");
    }
    Written<MessageBundle> written =
        bundles.forward(caller, sessionId, body.toSessionId(), pointers(body.refs()));
    MessageBundle bundle = written.value();
    return written.created()
        ? ResponseEntity.status(HttpStatus.CREATED)
            .location(
                URI.create("/v1/sessions/" + bundle.toSessionId() + "/inbox/" + bundle.bundleId()))
            .body(bundle)
        : ResponseEntity.ok(bundle);
  }

  @GetMapping("/v1/sessions/{sessionId}/inbox")
  @Operation(
      operationId = "listInbox",
      summary = "The bundles forwarded to this session, oldest first")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "inbox.list",
      kind = Kind.READ,
      gate = SessionActions.INBOX_LIST)
  public Page<MessageBundle> inbox(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return bundles.inbox(caller, sessionId, cursor, Cursors.limit(limit, 50));
  }

  @GetMapping("/v1/sessions/{sessionId}/inbox/{bundleId}")
  @Operation(operationId = "getInboxBundle", summary = "One bundle of the session's inbox")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "session",
      action = "inbox.get",
      kind = Kind.READ,
      gate = SessionActions.INBOX_GET)
  public MessageBundle bundle(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String sessionId,
      @PathVariable String bundleId) {
    return bundles.get(caller, sessionId, bundleId);
  }

  /**
   * The pointers as the engine takes them; null stays null (the engine names the missing field).
   */
  private static List<Pointer> pointers(List<PointerBody> bodies) {
    return bodies == null
        ? null
        : bodies.stream().map(p -> p == null ? null : new Pointer(p.type(), p.id())).toList();
  }
}
