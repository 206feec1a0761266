package dev.engines.ledger;

import dev.engines.core.scope.Caller;
import dev.engines.core.scope.RouteAction;
import java.util.List;
import java.util.Map;

/**
 * What a service adds to the DatasetEvent of the request it is serving: the refs it read and wrote,
 * and the PII flags of the text it handled. The API records one event per request from this plus
 * the route's surface/action and the caller; it is written in the same transaction as the request's
 * change. Each method names the {@link Caller} it serves, whose context carries the request's
 * event; a caller without a request (a job, {@link Caller#system}) adds nothing: work outside a
 * request records its own event ({@link #job}).
 */
public interface EventRecorder {

  /** A thing {@code caller}'s request read or acted on. */
  void input(Caller caller, RefType type, String id);

  /** A thing {@code caller}'s request created or changed. */
  void output(Caller caller, RefType type, String id);

  /** PII findings (counts per type + policy version) and whether the data may train models. */
  void pii(Caller caller, Map<String, Object> flags, boolean trainOk);

  /**
   * Another event the request gives rise to besides its own, with the request's actor, trace and
   * request ids: a gate's decision ({@code safety.decision}), a usage warning. It is written with
   * the request's own event (inside its write transaction, or with its standalone event) and keeps
   * its own outcome, whatever becomes of the request. Ignored outside a request.
   *
   * @param errorCode null for a success, else the problem code the event records
   * @param inputs what it concerns, ids only
   */
  default void related(
      Caller caller,
      String surface,
      String action,
      String errorCode,
      List<DatasetEvent.Ref> inputs) {}

  /**
   * Records the event of work outside any request, which has no request event to add to: a job run
   * as {@link Caller#system} (the retention purge). Appended in the current transaction, which must
   * be a write bound to {@code caller}'s scope, so the work and its event commit together. The
   * event carries the caller's context (trace id, the run's id) and succeeds: a failed run rolls
   * back with its event.
   *
   * @param caller the job, with the context of its run
   * @param inputs what the work read or acted on, ids only
   * @param outputs what it created or changed, ids only
   */
  void job(
      Caller caller,
      RouteAction action,
      List<DatasetEvent.Ref> inputs,
      List<DatasetEvent.Ref> outputs);
}
