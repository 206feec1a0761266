package dev.engines.ledger;

import dev.engines.core.audit.AuditActor;
import dev.engines.core.audit.AuditEntry;
import dev.engines.core.audit.AuditLog;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.CallContext;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The {@link AuditTrail} of the running service: takes the trace and request ids from the caller's
 * {@link CallContext} (the operator, who is no {@code Caller}, from the request's), appends to the
 * tenant's chain, and names the entry as an output ref of the request's DatasetEvent. Work outside
 * a request ({@link Caller#system}, or no context at all) has no request event to join, so an
 * env-scoped entry gets its own DatasetEvent (surface {@code audit}, the entry's action, actor
 * {@code system}) in the same transaction, with the run's ids. Tenant-level operator entries have
 * no env and therefore no DatasetEvent.
 */
public final class LedgerAuditTrail implements AuditTrail {

  private final AuditLog log;
  private final RequestLedger events;
  private final Ledger ledger;
  private final Clock clock;

  public LedgerAuditTrail(AuditLog log, RequestLedger events, Ledger ledger, Clock clock) {
    this.log = log;
    this.events = events;
    this.ledger = ledger;
    this.clock = clock;
  }

  @Override
  public AuditEntry record(
      TenantId tenant,
      Env env,
      AuditActor actor,
      CallContext context,
      String action,
      String targetType,
      String targetId,
      Map<String, ?> details) {
    // No context at all: a job that did not say who it is still gets ids of its own.
    CallContext ids = context != null ? context : CallContext.system(actor.id());
    AuditEntry entry =
        log.append(
            new AuditLog.Draft(
                tenant.value(),
                env == null ? null : env.wire(),
                clock.instant(),
                actor,
                action,
                targetType,
                targetId,
                "success",
                details,
                ids.traceId(),
                ids.requestId()));
    if (!ids.isSystem()) {
      events.output(ids, RefType.AUDIT, entry.entryId());
    } else if (env != null) {
      ledger.append(
          new DatasetEvent(
              Ids.random("ev"),
              new Scope(tenant, env),
              entry.occurredAt(),
              "audit",
              action,
              DatasetEvent.WRITE,
              actor.type(),
              actor.id(),
              actor.onBehalfOf(),
              actor.keyId(),
              null,
              List.of(),
              List.of(new DatasetEvent.Ref(RefType.AUDIT, entry.entryId())),
              null,
              true,
              DatasetEvent.SUCCESS,
              null,
              ids.traceId(),
              ids.requestId()));
    }
    return entry;
  }
}
