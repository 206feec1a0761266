package dev.engines.api.audit;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.audit.AuditEntry;
import dev.engines.core.audit.AuditLog;
import dev.engines.core.audit.AuditVerification;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.core.ledger.EventRecorder;
import dev.engines.core.ledger.RefType;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.tenant.RetainedRecords;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Map;
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

  private final AuditLog audit;
  private final ScopedTransactions tx;
  private final EventRecorder events;
  private final RetainedRecords retained;

  public AuditController(AuditLog audit, ScopedTransactions tx, EventRecorder events, RetainedRecords retained) {
    this.audit = audit;
    this.tx = tx;
    this.events = events;
    this.retained = retained;
  }

  /** The wire shape of an audit entry. */
  public record EntryView(String entryId, long seq, String tenantId, String env, Instant occurredAt, String actorType,
      String actorId, String onBehalfOf, String keyId, String action, String targetType, String targetId, String outcome,
      Map<String, Object> details, String traceId, String requestId, String prevHash, String hash) {

    public static EntryView of(AuditEntry e) {
      return new EntryView(e.entryId(), e.seq(), e.tenantId(), e.env(), e.occurredAt(), e.actor().type(), e.actor().id(),
          e.actor().onBehalfOf(), e.actor().keyId(), e.action(), e.targetType(), e.targetId(), e.outcome(), e.details(),
          e.traceId(), e.requestId(), e.prevHash(), e.hash());
    }
  }

  @GetMapping("/v1/audit")
  @Operation(operationId = "listAuditEntries", summary = "List the tenant's audit entries in chain order (all envs), optionally one action only")
  @RoutePolicy(audience = Audience.TENANT, role = Role.ADMIN, surface = "audit", action = "audit.list",
      kind = Kind.READ, gate = "audit:list")
  public Page<EntryView> list(@Parameter(hidden = true) Caller caller, @RequestParam(required = false) String action,
      @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
    checkAction(action);
    int size = Cursors.limit(limit, 100);
    Page<AuditEntry> page = tx.read(caller.scope(), () -> audit.list(caller.scope().tenantId(), action, cursor, size));
    page.items().forEach(e -> events.output(RefType.AUDIT, e.entryId()));
    return views(page);
  }

  @GetMapping("/v1/audit/verify")
  @Operation(operationId = "verifyAuditChain", summary = "Recompute the tenant's chain: detects modified, inserted and deleted entries")
  @RoutePolicy(audience = Audience.TENANT, role = Role.ADMIN, surface = "audit", action = "audit.verify",
      kind = Kind.READ, gate = "audit:verify")
  public AuditVerification verify(@Parameter(hidden = true) Caller caller) {
    return tx.read(caller.scope(), () -> audit.verify(caller.scope().tenantId()));
  }

  @GetMapping("/v1/operator/tenants/{tenantId}/audit")
  @Operation(operationId = "listRetainedAuditEntries", summary = "A purged tenant's audit entries in chain order (all envs), optionally one action only;"
      + " page through them to export the chain")
  @RoutePolicy(audience = Audience.OPERATOR, surface = "operator", action = "tenant.audit_list", kind = Kind.READ)
  public Page<EntryView> operatorList(@PathVariable String tenantId, @RequestParam(required = false) String action,
      @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
    checkAction(action);
    int size = Cursors.limit(limit, 100);
    return views(retained.read(tenantId, () -> audit.list(tenantId, action, cursor, size)));
  }

  @GetMapping("/v1/operator/tenants/{tenantId}/audit/verify")
  @Operation(operationId = "verifyRetainedAuditChain", summary = "Recompute a purged tenant's chain: detects modified, inserted and deleted entries")
  @RoutePolicy(audience = Audience.OPERATOR, surface = "operator", action = "tenant.audit_verify", kind = Kind.READ)
  public AuditVerification operatorVerify(@PathVariable String tenantId) {
    return retained.read(tenantId, () -> audit.verify(tenantId));
  }

  private static void checkAction(String action) {
    if (action != null && !action.matches(dev.engines.core.audit.AuditTrail.ACTION_PATTERN)) {
      throw EnginesException.validation("action must be noun.verb in lower case.");
    }
  }

  private static Page<EntryView> views(Page<AuditEntry> page) {
    return new Page<>(page.items().stream().map(EntryView::of).toList(), page.nextCursor());
  }
}
