package dev.engines.ledger.internal;

import dev.engines.core.scope.Scope;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.LedgerSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each DatasetEvent as one structured log line on logger {@code dev.engines.ledger} (ids
 * and refs only, like the ledger itself), for log pipelines that feed a SIEM or a lake.
 */
final class LogSink implements LedgerSink {

  private static final Logger log = LoggerFactory.getLogger("dev.engines.ledger");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void deliver(Scope scope, List<DatasetEvent> events) {
    for (DatasetEvent e : events) {
      log.atInfo()
          .addKeyValue("event_id", e.eventId())
          .addKeyValue("tenant_id", scope.tenantId())
          .addKeyValue("env", scope.env().wire())
          .addKeyValue("surface", e.surface())
          .addKeyValue("action", e.action())
          .addKeyValue("kind", e.kind())
          .addKeyValue("outcome", e.outcome())
          .addKeyValue("error_code", e.errorCode())
          .addKeyValue("actor_type", e.actorType())
          .addKeyValue("actor_id", e.actorId())
          .addKeyValue("event_trace_id", e.traceId())
          .addKeyValue("event_request_id", e.requestId())
          .log("dataset_event {} {}.{} {}", e.eventId(), e.surface(), e.action(), e.outcome());
    }
  }
}
