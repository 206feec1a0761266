package dev.engines.api.events;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.TenantId;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.Ledger;
import dev.engines.ledger.RefType;
import dev.engines.tenant.RetainedRecords;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ledger of the caller's tenant/env and the console's read-model built from it alone; once a
 * tenant is purged, the operator reads its ledger ({@link RetainedRecords}).
 */
@RestController
@Tag(name = "events", description = "DatasetEvent ledger")
public class EventController {

  private static final Set<String> KINDS = Set.of(DatasetEvent.READ, DatasetEvent.WRITE);
  private static final Set<String> OUTCOMES = Set.of(DatasetEvent.SUCCESS, DatasetEvent.FAILURE);
  private static final Duration MAX_WINDOW = Duration.ofDays(90);
  private static final Pattern TRACE_ID = Pattern.compile("^[0-9a-f]{32}$");

  private final Ledger ledger;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final EventRecorder events;
  private final RetainedRecords retained;

  public EventController(
      Ledger ledger,
      ScopedTransactions tx,
      Clock clock,
      EventRecorder events,
      RetainedRecords retained) {
    this.ledger = ledger;
    this.tx = tx;
    this.clock = clock;
    this.events = events;
    this.retained = retained;
  }

  /** The wire shape of an event. */
  public record EventView(
      String eventId,
      String tenantId,
      String env,
      Instant occurredAt,
      String surface,
      String action,
      @Schema(allowableValues = {"read", "write"}) String kind,
      String actorType,
      String actorId,
      String onBehalfOf,
      String keyId,
      String agentId,
      List<DatasetEvent.Ref> inputRefs,
      List<DatasetEvent.Ref> outputRefs,
      Map<String, Object> piiFlags,
      boolean trainOk,
      @Schema(allowableValues = {"success", "failure"}) String outcome,
      String errorCode,
      String traceId,
      String requestId) {

    static EventView of(DatasetEvent e) {
      return new EventView(
          e.eventId(),
          e.scope().tenantId(),
          e.scope().env().wire(),
          e.occurredAt(),
          e.surface(),
          e.action(),
          e.kind(),
          e.actorType(),
          e.actorId(),
          e.onBehalfOf(),
          e.keyId(),
          e.agentId(),
          e.inputRefs(),
          e.outputRefs(),
          e.piiFlags(),
          e.trainOk(),
          e.outcome(),
          e.errorCode(),
          e.traceId(),
          e.requestId());
    }
  }

  @GetMapping("/v1/events")
  @Operation(
      operationId = "listEvents",
      summary =
          "List DatasetEvents of this tenant/env (oldest first unless order=desc), filtered by surface, action,"
              + " kind, outcome, request_id, trace_id, agent_id, actor_id, ref (ref_id, optionally ref_type), since/until; with a cursor")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "ledger",
      action = "event.list",
      kind = Kind.READ,
      gate = "ledger:event_list")
  public Page<EventView> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String surface,
      @RequestParam(required = false) String action,
      @Parameter(schema = @Schema(allowableValues = {"read", "write"}))
          @RequestParam(required = false)
          String kind,
      @Parameter(schema = @Schema(allowableValues = {"success", "failure"}))
          @RequestParam(required = false)
          String outcome,
      @RequestParam(name = "request_id", required = false) String requestId,
      @RequestParam(name = "trace_id", required = false) String traceId,
      @RequestParam(name = "agent_id", required = false) String agentId,
      @RequestParam(name = "actor_id", required = false) String actorId,
      @Parameter(schema = @Schema(ref = "#/components/schemas/RefType"))
          @RequestParam(name = "ref_type", required = false)
          String refType,
      @RequestParam(name = "ref_id", required = false) String refId,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String until,
      @Parameter(schema = @Schema(allowableValues = {"asc", "desc"}))
          @RequestParam(required = false, defaultValue = "asc")
          String order,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    Ledger.Query query =
        query(
            surface, action, kind, outcome, requestId, traceId, agentId, actorId, refType, refId,
            since, until, order);
    int size = Cursors.limit(limit, 100);
    Page<DatasetEvent> page =
        tx.read(caller, () -> ledger.list(caller.scope(), query, cursor, size));
    page.items().forEach(e -> events.output(caller, RefType.EVENT, e.eventId()));
    return views(page);
  }

  @GetMapping("/v1/operator/tenants/{tenantId}/events")
  @Operation(
      operationId = "listRetainedEvents",
      summary =
          "List a purged tenant's DatasetEvents (one env, or all), with the filters of GET /v1/events;"
              + " page through them to export the ledger")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.event_list",
      kind = Kind.READ)
  public Page<EventView> operatorList(
      @PathVariable String tenantId,
      @Parameter(schema = @Schema(ref = "#/components/schemas/Env")) @RequestParam(required = false)
          String env,
      @RequestParam(required = false) String surface,
      @RequestParam(required = false) String action,
      @Parameter(schema = @Schema(allowableValues = {"read", "write"}))
          @RequestParam(required = false)
          String kind,
      @Parameter(schema = @Schema(allowableValues = {"success", "failure"}))
          @RequestParam(required = false)
          String outcome,
      @RequestParam(name = "request_id", required = false) String requestId,
      @RequestParam(name = "trace_id", required = false) String traceId,
      @RequestParam(name = "agent_id", required = false) String agentId,
      @RequestParam(name = "actor_id", required = false) String actorId,
      @Parameter(schema = @Schema(ref = "#/components/schemas/RefType"))
          @RequestParam(name = "ref_type", required = false)
          String refType,
      @RequestParam(name = "ref_id", required = false) String refId,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String until,
      @Parameter(schema = @Schema(allowableValues = {"asc", "desc"}))
          @RequestParam(required = false, defaultValue = "asc")
          String order,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    TenantId tenant = TenantId.of(tenantId);
    Env only = env == null ? null : Env.parse(env);
    Ledger.Query query =
        query(
            surface, action, kind, outcome, requestId, traceId, agentId, actorId, refType, refId,
            since, until, order);
    int size = Cursors.limit(limit, 100);
    return views(retained.read(tenantId, () -> ledger.list(tenant, only, query, cursor, size)));
  }

  /** The listing's filters, checked: 400 {@code validation_failed} for a malformed one. */
  private static Ledger.Query query(
      String surface,
      String action,
      String kind,
      String outcome,
      String requestId,
      String traceId,
      String agentId,
      String actorId,
      String refType,
      String refId,
      String since,
      String until,
      String order) {
    if (kind != null && !KINDS.contains(kind)) {
      throw EnginesException.validation("kind must be read or write.");
    }
    if (outcome != null && !OUTCOMES.contains(outcome)) {
      throw EnginesException.validation("outcome must be success or failure.");
    }
    if (!order.equals("asc") && !order.equals("desc")) {
      throw EnginesException.validation("order must be asc or desc.");
    }
    if (traceId != null && !TRACE_ID.matcher(traceId).matches()) {
      throw EnginesException.validation("trace_id must be 32 lower-case hex digits.");
    }
    if (refType != null && refId == null) {
      throw EnginesException.validation("ref_type needs ref_id.");
    }
    RefType type =
        refType == null
            ? null
            : RefType.of(refType)
                .orElseThrow(
                    () ->
                        EnginesException.validation(
                            "ref_type must be one of "
                                + Arrays.stream(RefType.values()).map(RefType::wire).toList()
                                + "."));
    return new Ledger.Query(
        surface,
        action,
        kind,
        outcome,
        requestId,
        traceId,
        agentId,
        actorId,
        type,
        refId,
        instant("since", since),
        instant("until", until),
        order.equals("desc"));
  }

  private static Page<EventView> views(Page<DatasetEvent> page) {
    return new Page<>(page.items().stream().map(EventView::of).toList(), page.nextCursor());
  }

  /** The summary read-model. */
  public record Summary(
      String tenantId, String env, Instant since, Instant until, List<Ledger.Count> counts) {}

  @GetMapping("/v1/events/summary")
  @Operation(
      operationId = "getEventSummary",
      summary =
          "Counts per surface/action/outcome over a window (default: the last 24 hours; at most 90 days)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "ledger",
      action = "event.summary",
      kind = Kind.READ,
      gate = "ledger:event_summary")
  public Summary summary(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String until) {
    Instant end = until == null ? clock.instant() : instant("until", until);
    Instant start = since == null ? end.minus(Duration.ofDays(1)) : instant("since", since);
    if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
      throw EnginesException.validation("since must be before until, at most 90 days apart.");
    }
    List<Ledger.Count> counts = tx.read(caller, () -> ledger.summary(caller.scope(), start, end));
    return new Summary(caller.scope().tenantId(), caller.scope().env().wire(), start, end, counts);
  }

  private static Instant instant(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw EnginesException.validation(
          name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z.");
    }
  }
}
