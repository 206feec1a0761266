package dev.engines.core.ledger;

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
}
