package dev.engines.ledger;

import dev.engines.core.scope.Scope;
import java.util.List;

/**
 * A destination the ledger relay publishes DatasetEvents to. Delivery is at least once: a batch is
 * acknowledged by returning normally, and only then does the relay move its durable cursor; an
 * exception leaves the cursor where it was and the same batch is offered again later.
 */
public interface LedgerSink {

  /** A stable name, {@code ^[a-z_]+$}; the relay keeps one cursor per tenant/env and sink. */
  String name();

  /**
   * Delivers one batch of one tenant/env, in ledger order. Returns only when the sink accepted it.
   */
  void deliver(Scope scope, List<DatasetEvent> events) throws Exception;
}
