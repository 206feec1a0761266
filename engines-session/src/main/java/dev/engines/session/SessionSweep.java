package dev.engines.session;

import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.core.scope.Trace;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.Ledger;
import dev.engines.ledger.RefType;
import dev.engines.tenant.Tenant;
import dev.engines.tenant.TenantDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Removes expired sessions for good: for every tenant and env, the sessions whose TTL had passed
 * when the run started, with their turns, memory, blackboards and inboxes, in batches of {@code
 * engines.session.sweep-batch-size} (one transaction each), leaving tombstones; then tombstones
 * older than {@code engines.session.tombstone-retention}.
 *
 * <p>One replica per scheduled tick: {@link #tick()} runs it under the job's cluster lock ({@link
 * ClusterJobs}); the other replicas skip that tick. Rows are taken {@code FOR UPDATE SKIP LOCKED},
 * so even a run that overlaps another (a lapsed lock, a direct {@link #run()}) never removes a
 * session twice.
 *
 * <p>What a run removed is in the ledger: per tenant/env and user, in the transaction that removed
 * them, one DatasetEvent {@code session.sweep} (surface {@code session}, actor {@code
 * system}/{@value #ACTOR}) with the user as input ref and the removed sessions as output refs. Work
 * outside a request has no request context to record into, so the run carries its own: a request id
 * {@code sweep_…} and a trace id shared by all of its events.
 */
public final class SessionSweep {

  /** The actor id of the sweep's events. */
  public static final String ACTOR = "session-sweep";

  /** The ledger action of the sweep's events. */
  public static final String ACTION = "session.sweep";

  /** The job's name in the cluster lock. */
  public static final String CLUSTER_JOB = "session.sweep";

  private static final Logger log = LoggerFactory.getLogger(SessionSweep.class);

  private final ClusterJobs cluster;
  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final Ledger ledger;
  private final TenantDirectory tenants;
  private final SessionSettings settings;
  private final SessionStore store;

  public SessionSweep(
      ClusterJobs cluster,
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      Ledger ledger,
      TenantDirectory tenants,
      SessionSettings settings) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = new SessionStore(jdbc);
  }

  /**
   * What a run did.
   *
   * @param sessions sessions removed
   * @param tombstones tombstones removed (with their turns')
   * @param requestId the request id of the run's events
   */
  public record Report(int sessions, int tombstones, String requestId) {}

  /**
   * The scheduled tick: runs on the one instance that takes the job's cluster lock; answers whether
   * it ran here.
   */
  public boolean tick() {
    return cluster.tick(CLUSTER_JOB, this::run);
  }

  /** Runs the sweep once. */
  public Report run() {
    return sweep();
  }

  private Report sweep() {
    Instant now = clock.instant();
    Trace trace = new Trace("sweep_" + Ids.randomToken(16), Ids.randomHex(16), Ids.randomHex(8));
    Instant tombstoneCutoff = now.minus(settings.tombstoneRetention());
    int sessions = 0;
    int tombstones = 0;
    String cursor = null;
    do {
      Page<Tenant> page = tenants.list(cursor, 100);
      for (Tenant tenant : page.items()) {
        for (Env env : Env.values()) {
          Scope scope = new Scope(TenantId.of(tenant.tenantId()), env);
          Caller job = Caller.system(scope, ACTOR);
          try {
            int removed = expired(job, now, trace);
            int aged =
                tx.write(
                    job,
                    () ->
                        jdbc.sql(
                                "DELETE FROM session_tombstones WHERE tenant_id = :t AND env = :e"
                                    + " AND removed_at < :cutoff")
                            .param("t", scope.tenantId())
                            .param("e", scope.env().wire())
                            .param("cutoff", Sql.ts(tombstoneCutoff))
                            .update());
            if (removed > 0 || aged > 0) {
              log.info(
                  "session sweep: {} removed {} expired sessions and {} old tombstones ({})",
                  scope,
                  removed,
                  aged,
                  trace.requestId());
            }
            sessions += removed;
            tombstones += aged;
          } catch (RuntimeException e) {
            // One tenant/env failing must not stop the others; the next run retries it.
            log.error("session sweep: {} failed ({})", scope, trace.requestId(), e);
          }
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return new Report(sessions, tombstones, trace.requestId());
  }

  /** Removes the scope's sessions expired at {@code now}, batch by batch; answers how many. */
  private int expired(Caller job, Instant now, Trace trace) {
    Scope scope = job.scope();
    int total = 0;
    int batch;
    do {
      batch =
          tx.write(
              job,
              () -> {
                List<SessionStore.Key> keys =
                    jdbc.sql(
                            "SELECT user_id, session_id FROM sessions WHERE tenant_id = :t AND env = :e"
                                + " AND expires_at <= :now ORDER BY expires_at, user_id, session_id LIMIT :limit FOR UPDATE SKIP LOCKED")
                        .param("t", scope.tenantId())
                        .param("e", scope.env().wire())
                        .param("now", Sql.ts(now))
                        .param("limit", settings.sweepBatchSize())
                        .query(
                            (rs, n) ->
                                new SessionStore.Key(
                                    rs.getString("user_id"), rs.getString("session_id")))
                        .list();
                store.remove(scope, keys, ResolvedPointer.EXPIRED, now);
                Map<String, List<DatasetEvent.Ref>> byUser = new LinkedHashMap<>();
                for (SessionStore.Key key : keys) {
                  byUser
                      .computeIfAbsent(key.userId(), u -> new ArrayList<>())
                      .add(new DatasetEvent.Ref(RefType.SESSION, key.sessionId()));
                }
                byUser.forEach(
                    (user, removed) ->
                        ledger.append(
                            new DatasetEvent(
                                Ids.random("ev"),
                                scope,
                                clock.instant(),
                                "session",
                                ACTION,
                                DatasetEvent.WRITE,
                                "system",
                                ACTOR,
                                null,
                                null,
                                null,
                                List.of(new DatasetEvent.Ref(RefType.USER, user)),
                                removed,
                                null,
                                true,
                                DatasetEvent.SUCCESS,
                                null,
                                trace.traceId(),
                                trace.requestId())));
                return keys.size();
              });
      total += batch;
    } while (batch == settings.sweepBatchSize());
    return total;
  }
}
