package dev.engines.ledger;

import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.RouteAction;
import dev.engines.core.scope.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DatasetEvent a request will produce, filled in while it runs; opaque outside the ledger.
 * Lives in one request's context only (attached by {@link RequestLedger#begin}); it is written
 * exactly once, either inside the request's committing write transaction or, for reads and
 * failures, when the request ends.
 */
public final class PendingEvent {

  /** The flag that names a policy version rather than counting findings. */
  static final String POLICY_VERSION = "policy_version";

  /**
   * One id for whichever event the request ends up with: the one its write transaction appended or
   * the standalone one. If a commit's outcome was in doubt, both may be attempted, and the ledger's
   * primary key lets at most one of them exist.
   */
  final String eventId = Ids.random("ev");

  final Caller caller;
  final RouteAction policy;
  final Trace trace;
  final String agentId;
  final List<DatasetEvent.Ref> inputs = new ArrayList<>();
  final List<DatasetEvent.Ref> outputs = new ArrayList<>();

  /**
   * Events the request gives rise to besides its own (gate decisions, usage warnings), in order.
   */
  final List<DatasetEvent> related = new ArrayList<>();

  /** How many of {@link #related} are committed; the rest go with the next commit or the end. */
  int relatedRecorded;

  /** How many of {@link #related} the commit in flight carries. */
  int relatedInFlight;

  /** Whether the commit in flight carries the request's own event. */
  boolean ownInFlight;

  TreeMap<String, Object> piiFlags;
  boolean trainOk = true;

  /** Set while a commit carrying the event is in flight, so nested hooks don't write it twice. */
  boolean inFlight;

  boolean recorded;

  /** The request replays an earlier request's response ({@code Idempotency-Key}). */
  boolean replay;

  PendingEvent(Caller caller, RouteAction policy, Trace trace, String agentId) {
    this.caller = caller;
    this.policy = policy;
    this.trace = trace;
    this.agentId = agentId;
  }

  /**
   * Adds the flags of one record the request read or wrote: counts per type add up, the policy
   * version is the newest of the records', and train_ok holds only if it holds for every record.
   */
  void pii(Map<String, Object> flags, boolean ok) {
    if (piiFlags == null) {
      piiFlags = new TreeMap<>();
    }
    flags.forEach((type, value) -> piiFlags.merge(type, value, (a, b) -> merge(type, a, b)));
    trainOk &= ok;
  }

  private static Object merge(String type, Object a, Object b) {
    if (!(a instanceof Number x) || !(b instanceof Number y)) {
      return b;
    }
    return POLICY_VERSION.equals(type)
        ? Math.max(x.longValue(), y.longValue())
        : x.longValue() + y.longValue();
  }
}
