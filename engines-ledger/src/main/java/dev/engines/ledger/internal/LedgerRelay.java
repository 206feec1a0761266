package dev.engines.ledger.internal;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.Ledger;
import dev.engines.ledger.LedgerSink;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox relay: for every tenant/env and sink, reads the events after the sink's durable
 * cursor, hands them to the sink and moves the cursor only once the sink accepted them, in one
 * transaction. Delivery is at least once (a crash between the sink's ack and the commit resends the
 * batch); after a clean ack nothing is sent twice. The cursor row is locked with {@code SKIP
 * LOCKED}, so relays in several replicas share the work without sending in parallel.
 */
public final class LedgerRelay {

  private static final Logger log = LoggerFactory.getLogger(LedgerRelay.class);

  /** The job name of the relay's transactions. */
  private static final String JOB = "ledger.relay";

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Ledger ledger;
  private final List<LedgerSink> sinks;
  private final int batchSize;
  private final Clock clock;

  public LedgerRelay(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Ledger ledger,
      List<LedgerSink> sinks,
      int batchSize,
      Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.ledger = ledger;
    this.sinks = List.copyOf(sinks);
    this.batchSize = batchSize;
    this.clock = clock;
  }

  /** What one pass did. */
  public record Pass(int delivered, int failedBatches) {}

  /** One pass over every tenant/env and sink; a failing sink is retried on the next pass. */
  public Pass runOnce() {
    return runFor(
        tx.operator(
            () ->
                jdbc.sql("SELECT tenant_id FROM tenants ORDER BY tenant_id")
                    .query(String.class)
                    .list()));
  }

  /** The scheduled pass: never throws, so one database outage does not end the schedule. */
  void runScheduled() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.warn("ledger relay pass failed; retrying on the next pass", e);
    }
  }

  /** One pass over the given tenants' envs and every sink. */
  public Pass runFor(List<String> tenants) {
    int delivered = 0;
    int failed = 0;
    for (String tenant : tenants) {
      for (Env env : Env.values()) {
        Scope scope = Scope.of(tenant, env.wire());
        for (LedgerSink sink : sinks) {
          try {
            delivered += drain(scope, sink);
          } catch (Exception e) {
            failed++;
            log.warn("ledger relay: sink {} failed for {}; will retry", sink.name(), scope, e);
          }
        }
      }
    }
    return new Pass(delivered, failed);
  }

  private int drain(Scope scope, LedgerSink sink) {
    int total = 0;
    while (true) {
      int sent = tx.write(Caller.system(scope, JOB), () -> deliverBatch(scope, sink));
      total += sent;
      if (sent < batchSize) {
        return total;
      }
    }
  }

  private int deliverBatch(Scope scope, LedgerSink sink) {
    jdbc.sql(
            "INSERT INTO ledger_relay_cursors (tenant_id, env, sink, updated_at) VALUES (:t, :e, :s, :now)"
                + " ON CONFLICT DO NOTHING")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("s", sink.name())
        .param("now", Sql.ts(clock.instant()))
        .update();
    var cursor =
        jdbc.sql(
                "SELECT last_tx_id::text AS tx, last_seq FROM ledger_relay_cursors"
                    + " WHERE tenant_id = :t AND env = :e AND sink = :s FOR UPDATE SKIP LOCKED")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("s", sink.name())
            .query((rs, n) -> new Object[] {rs.getString("tx"), rs.getLong("last_seq")})
            .optional();
    if (cursor.isEmpty()) {
      return 0;
    }
    List<Ledger.Positioned> batch =
        ledger.after(scope, (String) cursor.get()[0], (Long) cursor.get()[1], batchSize);
    if (batch.isEmpty()) {
      return 0;
    }
    try {
      sink.deliver(scope, batch.stream().map(Ledger.Positioned::event).toList());
    } catch (Exception e) {
      throw new RelayException(e);
    }
    Ledger.Positioned last = batch.get(batch.size() - 1);
    jdbc.sql(
            "UPDATE ledger_relay_cursors SET last_tx_id = CAST(:tx AS xid8), last_seq = :seq,"
                + " delivered = delivered + :n, updated_at = :now WHERE tenant_id = :t AND env = :e AND sink = :s")
        .param("tx", last.txId())
        .param("seq", last.seq())
        .param("n", batch.size())
        .param("now", Sql.ts(clock.instant()))
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("s", sink.name())
        .update();
    return batch.size();
  }

  /** A sink refused a batch; the transaction rolls back and the cursor stays. */
  static final class RelayException extends RuntimeException {
    RelayException(Exception cause) {
      super("sink refused the batch", cause);
    }
  }

  /** For tests and operators: the events relayed so far to a sink in a scope. */
  public long delivered(Scope scope, String sink) {
    return tx.read(
        Caller.system(scope, JOB),
        () ->
            jdbc.sql(
                    "SELECT coalesce(sum(delivered), 0) FROM ledger_relay_cursors"
                        + " WHERE tenant_id = :t AND env = :e AND sink = :s")
                .param("t", scope.tenantId())
                .param("e", scope.env().wire())
                .param("s", sink)
                .query(Long.class)
                .single());
  }
}
