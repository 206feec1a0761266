package dev.engines.ledger;

import dev.engines.core.audit.AuditActor;
import dev.engines.core.audit.AuditEntry;
import dev.engines.core.audit.AuditLog;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.TenantId;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The {@link AuditTrail} of the running service: takes the request and trace ids from the logging
 * context the trace filter set (a scheduled job outside any request gets fresh ones), appends to
 * the tenant's chain, and names the entry as an output ref of the request's DatasetEvent. Outside
 * a request (scheduled jobs) there is no request event to join, so an env-scoped entry gets its own
 * DatasetEvent (surface {@code audit}, the entry's action, actor {@code system}) in the same
 * transaction. Tenant-level operator entries have no env and therefore no DatasetEvent.
 */
public final class LedgerAuditTrail implements AuditTrail {

  private final AuditLog log;
  private final EventRecorder events;
  private final Ledger ledger;
  private final Clock clock;

  public LedgerAuditTrail(AuditLog log, EventRecorder events, Ledger ledger, Clock clock) {
    this.log = log;
    this.events = events;
    this.ledger = ledger;
    this.clock = clock;
  }

  @Override
  public AuditEntry record(TenantId tenant, Env env, AuditActor actor, String action, String targetType, String targetId,
      Map<String, ?> details) {
    String requestId = MDC.get("request_id");
    String traceId = MDC.get("trace_id");
    if (requestId == null || traceId == null) {
      requestId = Ids.random("job");
      traceId = Ids.randomHex(16);
    }
    AuditEntry entry = log.append(new AuditLog.Draft(tenant.value(), env == null ? null : env.wire(), clock.instant(), actor,
        action, targetType, targetId, "success", details, traceId, requestId));
    if (RequestContextHolder.getRequestAttributes() != null) {
      events.output(RefType.AUDIT, entry.entryId());
    } else if (env != null) {
      ledger.append(new DatasetEvent(Ids.random("ev"), new Scope(tenant, env), entry.occurredAt(), "audit", action,
          DatasetEvent.WRITE, actor.type(), actor.id(), actor.onBehalfOf(), actor.keyId(), null, List.of(),
          List.of(new DatasetEvent.Ref(RefType.AUDIT, entry.entryId())), null, true, DatasetEvent.SUCCESS, null, traceId, requestId));
    }
    return entry;
  }
}
