package dev.engines.api.audit;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.audit.AuditAnchors;
import dev.engines.core.audit.AuditEntry;
import dev.engines.core.audit.AuditLog;
import dev.engines.core.audit.AuditVerification;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.tenant.RetainedRecords;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's audit trail: one hash chain per tenant, across its envs. Admins read and verify it;
 * once a tenant is purged, the operator does ({@link RetainedRecords}).
 */
@RestController
@Tag(name = "audit", description = "Hash-chained audit trail")
public class AuditController {

  private static final Pattern TRACE_ID = Pattern.compile("^[0-9a-f]{32}$");
  private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

  private final AuditLog audit;
  private final ScopedTransactions tx;
  private final EventRecorder events;
  private final RetainedRecords retained;
  private final AuditAnchors anchors;

  public AuditController(
      AuditLog audit,
      ScopedTransactions tx,
      EventRecorder events,
      RetainedRecords retained,
      AuditAnchors anchors) {
    this.audit = audit;
    this.tx = tx;
    this.events = events;
    this.retained = retained;
    this.anchors = anchors;
  }

  /** The wire shape of an audit entry. */
  public record EntryView(
      String entryId,
      long seq,
      String tenantId,
      String env,
      Instant occurredAt,
      String actorType,
      String actorId,
      String onBehalfOf,
      String keyId,
      String action,
      String targetType,
      String targetId,
      String outcome,
      Map<String, Object> details,
      String traceId,
      String requestId,
      String prevHash,
      String hash) {

    public static EntryView of(AuditEntry e) {
      return new EntryView(
          e.entryId(),
          e.seq(),
          e.tenantId(),
          e.env(),
          e.occurredAt(),
          e.actor().type(),
          e.actor().id(),
          e.actor().onBehalfOf(),
          e.actor().keyId(),
          e.action(),
          e.targetType(),
          e.targetId(),
          e.outcome(),
          e.details(),
          e.traceId(),
          e.requestId(),
          e.prevHash(),
          e.hash());
    }
  }

  @GetMapping("/v1/audit")
  @Operation(
      operationId = "listAuditEntries",
      summary =
          "List the tenant's audit entries in chain order (all envs), optionally"
              + " one action only, or those appended by one trace (trace_id) or request (request_id)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "audit",
      action = "audit.list",
      kind = Kind.READ,
      gate = "audit:list")
  public Page<EntryView> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String action,
      @RequestParam(name = "trace_id", required = false) String traceId,
      @RequestParam(name = "request_id", required = false) String requestId,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    AuditLog.Query query = query(action, traceId, requestId);
    int size = Cursors.limit(limit, 100);
    Page<AuditEntry> page =
        tx.read(caller, () -> audit.list(caller.scope().tenantId(), query, cursor, size));
    page.items().forEach(e -> events.output(caller, RefType.AUDIT, e.entryId()));
    return views(page);
  }

  @GetMapping("/v1/audit/verify")
  @Operation(
      operationId = "verifyAuditChain",
      summary = "Recompute the tenant's chain: detects modified, inserted and deleted entries")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "audit",
      action = "audit.verify",
      kind = Kind.READ,
      gate = "audit:verify")
  public AuditVerification verify(@Parameter(hidden = true) Caller caller) {
    return tx.read(
        caller,
        () -> anchors.check(caller.scope().tenant(), audit.verify(caller.scope().tenantId())));
  }

  @GetMapping("/v1/operator/tenants/{tenantId}/audit")
  @Operation(
      operationId = "listRetainedAuditEntries",
      summary =
          "A purged tenant's audit entries in chain order (all envs), with the"
              + " filters of GET /v1/audit; page through them to export the chain")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.audit_list",
      kind = Kind.READ)
  public Page<EntryView> operatorList(
      @PathVariable String tenantId,
      @RequestParam(required = false) String action,
      @RequestParam(name = "trace_id", required = false) String traceId,
      @RequestParam(name = "request_id", required = false) String requestId,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    AuditLog.Query query = query(action, traceId, requestId);
    int size = Cursors.limit(limit, 100);
    return views(retained.read(tenantId, () -> audit.list(tenantId, query, cursor, size)));
  }

  @GetMapping("/v1/operator/tenants/{tenantId}/audit/verify")
  @Operation(
      operationId = "verifyRetainedAuditChain",
      summary = "Recompute a purged tenant's chain: detects modified, inserted and deleted entries")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.audit_verify",
      kind = Kind.READ)
  public AuditVerification operatorVerify(@PathVariable String tenantId) {
    return retained.read(tenantId, () -> audit.verify(tenantId));
  }

  /** The listing's filters, checked: 400 {@code validation_failed} naming a malformed one. */
  private static AuditLog.Query query(String action, String traceId, String requestId) {
    if (action != null && !action.matches(dev.engines.core.audit.AuditTrail.ACTION_PATTERN)) {
      throw invalid("action", "must be noun.verb in lower case");
    }
    if (traceId != null && !TRACE_ID.matcher(traceId).matches()) {
      throw invalid("trace_id", "must be 32 lower-case hex digits");
    }
    if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
      throw invalid("request_id", "must match [A-Za-z0-9._:-]{1,128}");
    }
    return new AuditLog.Query(action, traceId, requestId);
  }

  private static InvalidFieldsException invalid(String parameter, String message) {
    return new InvalidFieldsException(
        "The " + parameter + " filter is invalid.",
        List.of(new InvalidFieldsException.FieldError(parameter, message)));
  }

  private static Page<EntryView> views(Page<AuditEntry> page) {
    return new Page<>(page.items().stream().map(EntryView::of).toList(), page.nextCursor());
  }
}
