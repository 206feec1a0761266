package dev.engines.ledger;

import java.util.List;
import java.util.Map;

/**
 * What a service adds to the DatasetEvent of the request it is serving: the refs it read and
 * wrote, and the PII flags of the text it handled. The API records one event per request from
 * this plus the route's surface/action and the caller; it is written in the same transaction as
 * the request's change.
 */
public interface EventRecorder {

  /** A thing the request read or acted on. */
  void input(RefType type, String id);

  /** A thing the request created or changed. */
  void output(RefType type, String id);

  /** PII findings (counts per type + policy version) and whether the data may train models. */
  void pii(Map<String, Object> flags, boolean trainOk);

  /**
   * Another event the request gives rise to besides its own, with the request's actor, trace and
   * request ids: a gate's decision ({@code safety.decision}), a usage warning. It is written with
   * the request's own event (inside its write transaction, or with its standalone event) and keeps
   * its own outcome, whatever becomes of the request. Ignored outside a request.
   *
   * @param errorCode null for a success, else the problem code the event records
   * @param inputs what it concerns, ids only
   */
  default void related(String surface, String action, String errorCode, List<DatasetEvent.Ref> inputs) {}
}
