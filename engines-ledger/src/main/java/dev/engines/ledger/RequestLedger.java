package dev.engines.ledger;

import dev.engines.core.db.CommitHook;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.CallContext;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.RouteAction;
import dev.engines.core.scope.Trace;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * One DatasetEvent per tenant-scoped request. A request's write transaction appends the event
 * before it commits (so the change and its event commit or roll back together); a request that
 * committed no write — a read, or any failure — gets its event when it ends, committed together
 * with other requests' such events ({@link StandaloneEventWriter}). Services add refs and PII flags
 * through {@link EventRecorder}. The request's event is attached to its caller's {@link
 * CallContext}: the recorder and the commit hook find it through the caller they are given, never
 * in thread state.
 */
public final class RequestLedger implements CommitHook, EventRecorder, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RequestLedger.class);

  /** The request attribute under which the web layer keeps the request's {@link PendingEvent}. */
  public static final String ATTRIBUTE = "engines.ledger.pending";

  /** The suffix of a replay's action: {@code user.create.replay}. */
  public static final String REPLAY = ".replay";

  /** Path variables by the ref type of the entity they name. */
  private static final Map<String, RefType> PATH_REFS =
      Map.ofEntries(
          Map.entry("userId", RefType.USER),
          Map.entry("keyId", RefType.API_KEY),
          Map.entry("tenantId", RefType.TENANT),
          Map.entry("assetId", RefType.ASSET),
          Map.entry("atomId", RefType.ATOM),
          Map.entry("holdId", RefType.LEGAL_HOLD),
          Map.entry("slot", RefType.CONFIG),
          Map.entry("kpi", RefType.KPI),
          Map.entry("surface", RefType.SURFACE),
          Map.entry("lockId", RefType.STRATEGY_LOCK),
          Map.entry("sessionId", RefType.SESSION),
          Map.entry("turnId", RefType.TURN),
          Map.entry("bundleId", RefType.BUNDLE),
          Map.entry("blackboardKey", RefType.BLACKBOARD_ENTRY),
          Map.entry("space", RefType.VECTOR_SPACE),
          Map.entry("vectorId", RefType.VECTOR),
          Map.entry("snapshotId", RefType.TEMPERATURE_SNAPSHOT));

  private final Ledger ledger;
  private final Clock clock;
  private final boolean enabled;
  private final StandaloneEventWriter standalone;

  /**
   * @param enabled false only to measure the ledger's own cost; the production-readiness check
   *     refuses a disabled ledger under a production deployment
   * @param standaloneTransactions the transactions standalone events commit in: ones without this
   *     hook, which would have nothing to add to them
   */
  public RequestLedger(
      Ledger ledger, Clock clock, boolean enabled, ScopedTransactions standaloneTransactions) {
    this.ledger = ledger;
    this.clock = clock;
    this.enabled = enabled;
    this.standalone = new StandaloneEventWriter(ledger, standaloneTransactions);
  }

  /** Commits the standalone events still queued; called when the application stops. */
  @Override
  public void close() {
    standalone.close();
  }

  /**
   * Starts the request's event once its caller is known, with the path ids as input refs, and
   * attaches it to the caller's context, where services' refs and the commit hook find it. The web
   * layer also keeps it under {@link #ATTRIBUTE} for the rest of the request.
   *
   * @param caller the request's caller, within the request's context
   * @return the request's pending event, or null when the ledger is disabled
   */
  public PendingEvent begin(
      Caller caller,
      RouteAction policy,
      Trace trace,
      String agentId,
      Map<String, String> pathVariables) {
    if (!enabled) {
      return null;
    }
    if (caller.context() == null || caller.context().isSystem()) {
      throw new IllegalStateException("a request's event begins with the request's context");
    }
    PendingEvent pending = new PendingEvent(caller, policy, trace, agentId);
    pathVariables.forEach(
        (name, value) -> pending.inputs.add(new DatasetEvent.Ref(refType(name), value)));
    caller.context().attachments().put(PendingEvent.class, pending);
    return pending;
  }

  /** The id of the request's event, or null for a request that has none (not tenant-scoped). */
  public String eventId(PendingEvent pending) {
    return pending == null ? null : pending.eventId;
  }

  /**
   * Marks the request as the replay of an earlier one's response (an {@code Idempotency-Key}
   * retry): its event is a read of action {@code <action>.replay}, naming the first request's
   * event.
   *
   * @param firstEventId the first request's event, or null when it had none
   */
  public void replay(PendingEvent pending, String firstEventId) {
    if (pending == null) {
      return;
    }
    pending.replay = true;
    if (firstEventId != null) {
      pending.inputs.add(new DatasetEvent.Ref(RefType.EVENT, firstEventId));
    }
  }

  /**
   * What became of a request's event, for the ledger's metrics.
   *
   * @param surface the route's surface
   * @param kind {@code read} or {@code write}
   * @param outcome {@code success} or {@code failure}
   * @param recorded false when the event could not be committed (logged as an error)
   */
  public record Outcome(String surface, String kind, String outcome, boolean recorded) {}

  /**
   * Writes the request's event if no write transaction did: reads, failures, rolled-back writes.
   *
   * @return what became of the event, or null for a request that has none (not tenant-scoped)
   */
  public Outcome finish(PendingEvent pending, int status, String problemCode) {
    if (pending == null) {
      return null;
    }
    String kind = kind(pending);
    if (pending.recorded) {
      // committed with the request's write, before any failure could follow
      appendRelated(pending);
      return new Outcome(pending.policy.surface(), kind, DatasetEvent.SUCCESS, true);
    }
    boolean failed = status >= 400;
    String outcome = failed ? DatasetEvent.FAILURE : DatasetEvent.SUCCESS;
    pending.inFlight = true;
    try {
      standalone.append(
          event(pending, failed ? (problemCode == null ? "http_" + status : problemCode) : null));
      pending.recorded = true;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof DuplicateKeyException) {
        // The request's write committed with its event after all: its commit was in doubt when the
        // answer was chosen (and could not be looked up). That event is the true one.
        log.warn(
            "ledger: request {} answered {} but its write committed; its committed event stands",
            pending.trace.requestId(),
            status);
        pending.recorded = true;
        appendRelated(pending);
        return new Outcome(pending.policy.surface(), kind, DatasetEvent.SUCCESS, true);
      }
      // The response is already sent; losing this event must be loud, never silent.
      log.error("ledger: could not record the event of request {}", pending.trace.requestId(), e);
    } finally {
      pending.inFlight = false;
    }
    appendRelated(pending);
    return new Outcome(pending.policy.surface(), kind, outcome, pending.recorded);
  }

  /**
   * Writes the related events no commit carried (a request refused by a gate, a read's decision).
   */
  private void appendRelated(PendingEvent pending) {
    while (pending.relatedRecorded < pending.related.size()) {
      DatasetEvent event = pending.related.get(pending.relatedRecorded);
      try {
        standalone.append(event);
      } catch (RuntimeException e) {
        if (!(e.getCause() instanceof DuplicateKeyException)) {
          log.error(
              "ledger: could not record the {}.{} event of request {}",
              event.surface(),
              event.action(),
              pending.trace.requestId(),
              e);
        }
      }
      pending.relatedRecorded++;
    }
  }

  @Override
  public void beforeCommit(Caller caller) {
    PendingEvent pending = CallContext.attached(caller, PendingEvent.class);
    if (pending == null
        || pending.inFlight
        || !pending.caller.scope().equals(caller.scope())
        || pending.recorded && pending.relatedRecorded == pending.related.size()) {
      return;
    }
    pending.inFlight = true;
    pending.ownInFlight = !pending.recorded;
    pending.relatedInFlight = pending.related.size();
    if (pending.ownInFlight) {
      ledger.append(event(pending, null));
    }
    pending
        .related
        .subList(pending.relatedRecorded, pending.relatedInFlight)
        .forEach(ledger::append);
  }

  @Override
  public void afterCompletion(Caller caller, boolean committed) {
    PendingEvent pending = CallContext.attached(caller, PendingEvent.class);
    if (pending != null && pending.inFlight && pending.caller.scope().equals(caller.scope())) {
      pending.inFlight = false;
      if (committed) {
        pending.recorded |= pending.ownInFlight;
        pending.relatedRecorded = pending.relatedInFlight;
      }
    }
  }

  @Override
  public void input(Caller caller, RefType type, String id) {
    PendingEvent pending = CallContext.attached(caller, PendingEvent.class);
    if (pending != null) {
      pending.inputs.add(new DatasetEvent.Ref(type, id));
    }
  }

  @Override
  public void output(Caller caller, RefType type, String id) {
    output(caller == null ? null : caller.context(), type, id);
  }

  /**
   * {@link #output} for an actor that is no {@link Caller} (the operator's audit entries), by the
   * context of its request.
   */
  void output(CallContext context, RefType type, String id) {
    PendingEvent pending = context == null ? null : context.attachments().get(PendingEvent.class);
    if (pending != null) {
      pending.outputs.add(new DatasetEvent.Ref(type, id));
    }
  }

  @Override
  public void pii(Caller caller, Map<String, Object> flags, boolean trainOk) {
    PendingEvent pending = CallContext.attached(caller, PendingEvent.class);
    if (pending != null) {
      pending.pii(flags, trainOk);
    }
  }

  @Override
  public void related(
      Caller caller,
      String surface,
      String action,
      String errorCode,
      List<DatasetEvent.Ref> inputs) {
    PendingEvent p = CallContext.attached(caller, PendingEvent.class);
    if (p != null) {
      Caller c = p.caller;
      p.related.add(
          new DatasetEvent(
              Ids.random("ev"),
              c.scope(),
              clock.instant(),
              surface,
              action,
              kind(p),
              c.actorType().wire(),
              c.actorId(),
              c.onBehalfOf(),
              c.keyId(),
              p.agentId,
              inputs,
              List.of(),
              null,
              true,
              errorCode == null ? DatasetEvent.SUCCESS : DatasetEvent.FAILURE,
              errorCode,
              p.trace.traceId(),
              p.trace.requestId()));
    }
  }

  /**
   * The request's event; a failure names no output refs: whatever the request wrote was rolled back
   * (a committed write carries the event itself), and it returned nothing.
   */
  private DatasetEvent event(PendingEvent p, String errorCode) {
    Caller c = p.caller;
    return new DatasetEvent(
        p.eventId,
        c.scope(),
        clock.instant(),
        p.policy.surface(),
        p.replay ? p.policy.action() + REPLAY : p.policy.action(),
        kind(p),
        c.actorType().wire(),
        c.actorId(),
        c.onBehalfOf(),
        c.keyId(),
        p.agentId,
        p.inputs,
        errorCode == null ? p.outputs : List.of(),
        p.piiFlags,
        p.trainOk,
        errorCode == null ? DatasetEvent.SUCCESS : DatasetEvent.FAILURE,
        errorCode,
        p.trace.traceId(),
        p.trace.requestId());
  }

  /** A replay changes nothing: it reads the response kept under its key. */
  private static String kind(PendingEvent p) {
    return p.replay || p.policy.kind() == RouteAction.Kind.READ
        ? DatasetEvent.READ
        : DatasetEvent.WRITE;
  }

  @Override
  public void job(
      Caller caller,
      RouteAction action,
      List<DatasetEvent.Ref> inputs,
      List<DatasetEvent.Ref> outputs) {
    if (caller.context() == null || !caller.context().isSystem()) {
      throw new IllegalStateException(
          "a job records its event as Caller.system, with the context of its run");
    }
    ledger.append(
        new DatasetEvent(
            Ids.random("ev"),
            caller.scope(),
            clock.instant(),
            action.surface(),
            action.action(),
            action.kind() == RouteAction.Kind.READ ? DatasetEvent.READ : DatasetEvent.WRITE,
            caller.actorType().wire(),
            caller.actorId(),
            caller.onBehalfOf(),
            caller.keyId(),
            null,
            inputs,
            outputs,
            null,
            true,
            DatasetEvent.SUCCESS,
            null,
            caller.context().traceId(),
            caller.context().requestId()));
  }

  /**
   * The ref type of a route's path variable: the same vocabulary the services use for the same
   * entity. A path variable without one fails the request loudly (and the route inventory test).
   */
  public static RefType refType(String pathVariable) {
    RefType type = PATH_REFS.get(pathVariable);
    if (type == null) {
      throw new IllegalStateException("The path variable {" + pathVariable + "} has no ref type");
    }
    return type;
  }
}
