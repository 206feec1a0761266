package dev.engines.core.db;

import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs work in a database transaction bound to one tenant/env (and optionally one user) for
 * PostgreSQL Row-Level Security. The binding uses {@code set_config(..., true)}, which lasts only
 * until the transaction ends, so a pooled connection never carries a tenant to its next borrower. A
 * transaction that was not opened through this class has no tenant and RLS shows it nothing.
 *
 * <p>A tenant/env transaction is opened for a {@link Caller}: its scope binds the transaction, and
 * the commit hook hears the caller (whose context carries the request's pending DatasetEvent and
 * idempotency claim), so nothing about the request is looked up in thread state. Work outside a
 * request passes {@link Caller#system}.
 *
 * <p>Nested calls join the outer transaction only when they name the same binding; a different
 * binding inside an open transaction is a programming error and fails loudly. A joining call's
 * caller is not seen by the hook: the outer transaction's is.
 *
 * <p>A commit whose connection fails on the way is in doubt: the server may have committed it.
 * Every read-write transaction learns its id when it is bound, and such a commit is looked up
 * ({@code pg_xact_status}) before anything is answered: committed, the work's result is returned as
 * if nothing happened; rolled back or still unknown, a 503 {@link DatabaseUnavailableException}.
 * The commit hook hears the same outcome (docs/adr/0012-commit-in-doubt.md).
 */
public final class ScopedTransactions {

  private static final Object BINDING_KEY = new Object();
  private static final Logger log = LoggerFactory.getLogger(ScopedTransactions.class);

  /**
   * How long a commit whose connection failed is looked up before its outcome is called unknown.
   */
  private static final Duration RESOLVE_BUDGET = Duration.ofSeconds(5);

  private static final Duration RESOLVE_POLL = Duration.ofMillis(100);
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final TransactionTemplate readWrite;
  private final TransactionTemplate readOnly;
  private final CommitHook commitHook;

  public ScopedTransactions(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
    this(jdbc, transactionManager, null);
  }

  /**
   * @param commitHook called around commits of read-write tenant/env transactions, or null
   */
  public ScopedTransactions(
      JdbcClient jdbc, PlatformTransactionManager transactionManager, CommitHook commitHook) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.commitHook = commitHook;
    this.readWrite = new TransactionTemplate(transactionManager);
    this.readOnly = new TransactionTemplate(transactionManager);
    this.readOnly.setReadOnly(true);
    this.readWrite.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
    this.readOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
  }

  /** Runs {@code work} in a read-write transaction scoped to {@code caller}'s tenant/env. */
  public <T> T write(Caller caller, Supplier<T> work) {
    return run(readWrite, Binding.tenant(caller, null), work);
  }

  /**
   * Runs {@code work} in a read-write transaction scoped to {@code scope} whose commit does not
   * wait for the WAL flush ({@code synchronous_commit = off}, set with the binding, for this
   * transaction only): a database crash may lose it, a rollback never half-applies it. For records
   * that stand alone, such as the DatasetEvents of reads.
   */
  public <T> T writeUnflushed(Caller caller, Supplier<T> work) {
    return run(readWrite, Binding.tenant(caller, null).withoutFlush(), work);
  }

  /**
   * Runs {@code work} in a read-write transaction scoped to {@code scope} that the commit hook does
   * not see: bookkeeping of a request that is no part of its change (its idempotency key's claim
   * and kept response), so the request's DatasetEvent is not committed with it. Joins an open
   * transaction of the same scope like any other call.
   */
  public <T> T writeAside(Caller caller, Supplier<T> work) {
    return run(readWrite, Binding.tenant(caller, null).unhooked(), work);
  }

  /** Runs {@code work} in a read-only transaction scoped to {@code caller}'s tenant/env. */
  public <T> T read(Caller caller, Supplier<T> work) {
    return run(readOnly, Binding.tenant(caller, null), work);
  }

  /**
   * Runs {@code work} scoped to a tenant/env and one user, for user-owned rows (sessions, memory).
   */
  public <T> T writeAsUser(Caller caller, String userId, Supplier<T> work) {
    return run(readWrite, Binding.tenant(caller, Objects.requireNonNull(userId, "userId")), work);
  }

  /** Runs {@code work} scoped to a tenant/env and one user, read-only. */
  public <T> T readAsUser(Caller caller, String userId, Supplier<T> work) {
    return run(readOnly, Binding.tenant(caller, Objects.requireNonNull(userId, "userId")), work);
  }

  /**
   * Runs {@code work} as the platform operator: RLS lets it see the tenant registry only, never a
   * tenant's data tables.
   */
  public <T> T operator(Supplier<T> work) {
    return run(readWrite, new Binding(null, null, null, true), work);
  }

  /**
   * Runs {@code work} as the operator acting on one tenant: it may write the registry row and that
   * tenant's tenant-level rows (a new tenant's first owner and key, the tenant's audit chain)
   * atomically, nothing else.
   */
  public <T> T provisionTenant(TenantId tenant, Supplier<T> work) {
    return run(
        readWrite,
        new Binding(Objects.requireNonNull(tenant, "tenant").value(), null, null, true),
        work);
  }

  /**
   * Runs {@code work} bound to a tenant but no env, for housekeeping on tenant-level rows (users,
   * keys) outside a request, such as recording a key's last use. Env-scoped tables show nothing.
   */
  public <T> T tenantLevel(TenantId tenant, Supplier<T> work) {
    return run(
        readWrite,
        new Binding(Objects.requireNonNull(tenant, "tenant").value(), null, null, false),
        work);
  }

  /**
   * Runs {@code work} read-only as the operator reading one tenant's retained records: RLS shows
   * the tenant registry and that tenant's audit chain, ledger and purge fence (migration V33), no
   * other table of it and nothing of other tenants.
   */
  public <T> T operatorRecords(TenantId tenant, Supplier<T> work) {
    return run(
        readOnly,
        new Binding(
            null, null, null, true, false, Objects.requireNonNull(tenant, "tenant").value()),
        work);
  }

  /** The binding of the transaction open on this thread, or null. */
  public static Scope currentScope() {
    Object binding = TransactionSynchronizationManager.getResource(BINDING_KEY);
    return binding instanceof Binding b && b.tenant() != null && b.env() != null
        ? Scope.of(b.tenant(), b.env())
        : null;
  }

  private <T> T run(TransactionTemplate template, Binding binding, Supplier<T> work) {
    Object existing = TransactionSynchronizationManager.getResource(BINDING_KEY);
    if (existing != null) {
      // Joining: the outer transaction decides how it commits; only the scope must match.
      if (!(existing instanceof Binding outer) || !outer.sameScope(binding)) {
        throw new IllegalStateException(
            "A transaction bound to another scope is already open on this thread");
      }
      // A read needs no WAL flush: it may join an unflushed transaction (a search carrying its
      // event).
      if (outer.unflushed() && !binding.unflushed() && !template.isReadOnly()) {
        throw new IllegalStateException(
            "A write that must reach the WAL cannot join an unflushed transaction");
      }
      return work.get();
    }
    Attempt<T> attempt = new Attempt<>();
    try {
      T result =
          template.execute(
              status -> {
                bind(binding, template.isReadOnly(), attempt);
                attempt.result = work.get();
                attempt.workDone = true;
                return attempt.result;
              });
      attempt.completed(commitHook, attempt.status == TransactionSynchronization.STATUS_COMMITTED);
      return result;
    } catch (RuntimeException e) {
      if (!attempt.workDone || attempt.xid == null || !DatabaseFailures.unavailable(e)) {
        attempt.completed(commitHook, false);
        throw e;
      }
      // The work was done and the commit was under way when the connection failed: the database may
      // have committed it or not. Ask it, so the answer and the ledger tell the truth.
      Outcome outcome = outcome(attempt.xid);
      attempt.completed(commitHook, outcome == Outcome.COMMITTED);
      if (outcome == Outcome.COMMITTED) {
        log.warn(
            "the connection failed at commit, but transaction {} committed; carrying on",
            attempt.xid);
        return attempt.result;
      }
      throw new DatabaseUnavailableException(
          outcome == Outcome.ABORTED
              ? "The database connection failed before the change committed; nothing was changed. Retry later."
              : "The database connection failed while the change was committing and the outcome is not known yet. Retry later.",
          e);
    }
  }

  /** What became of a transaction whose commit failed on the way. */
  private enum Outcome {
    COMMITTED,
    ABORTED,
    UNKNOWN
  }

  /**
   * Asks the server what became of transaction {@code xid} ({@code pg_xact_status}) on a connection
   * of its own, for up to {@link #RESOLVE_BUDGET}: a transaction whose connection broke before its
   * commit arrived stays "in progress" until the server notices, and an unreachable server cannot
   * answer at all (then the outcome stays unknown).
   */
  private Outcome outcome(String xid) {
    long deadline = System.nanoTime() + RESOLVE_BUDGET.toNanos();
    while (true) {
      try {
        String status =
            jdbc.sql("SELECT coalesce(pg_xact_status(CAST(:xid AS xid8)), 'unknown')")
                .param("xid", xid)
                .query(String.class)
                .single();
        if (status.equals("committed")) {
          return Outcome.COMMITTED;
        }
        if (status.equals("aborted")) {
          return Outcome.ABORTED;
        }
        if (!status.equals("in progress")) {
          return Outcome.UNKNOWN;
        }
      } catch (RuntimeException e) {
        if (!DatabaseFailures.unavailable(e)) {
          log.error("could not resolve the outcome of transaction {}", xid, e);
          return Outcome.UNKNOWN;
        }
      }
      if (System.nanoTime() > deadline) {
        log.error("the outcome of transaction {} is unknown: its connection failed at commit", xid);
        return Outcome.UNKNOWN;
      }
      try {
        Thread.sleep(RESOLVE_POLL.toMillis());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return Outcome.UNKNOWN;
      }
    }
  }

  /** One transaction run by {@link #run}: what it did, and what to tell the commit hook. */
  private static final class Attempt<T> {
    /** The transaction id of a read-write transaction, assigned when it was bound. */
    String xid;

    boolean workDone;
    T result;
    int status = TransactionSynchronization.STATUS_UNKNOWN;

    /** The caller whose transaction the commit hook watches, or null. */
    Caller hooked;

    void completed(CommitHook hook, boolean committed) {
      if (hooked != null) {
        hook.afterCompletion(hooked, committed);
      }
    }
  }

  private void bind(Binding binding, boolean readOnlyTransaction, Attempt<?> attempt) {
    // synchronous_commit is only ever lowered here, never set: a server or role setting (say,
    // remote_apply for a replica) stays in force for every other transaction. app.auth_lookup is
    // only ever on inside api_key_lookup (V27); it is cleared here all the same. A read-write
    // transaction learns its id now, so a commit whose connection fails can be looked up after.
    // A standalone (unflushed) write waits at most LOCK_TIMEOUT for a row lock: the only one it can
    // meet is the event of a request whose commit is still in doubt (RequestLedger).
    jdbc.sql(
            "SELECT set_config('app.tenant_id', :tenant, true), set_config('app.env', :env, true),"
                + " set_config('app.user_id', :user, true), set_config('app.operator', :operator, true),"
                + " set_config('app.operator_tenant', :operatorTenant, true), set_config('app.auth_lookup', '', true)"
                + (binding.unflushed()
                    ? ", set_config('synchronous_commit', 'off', true), set_config('lock_timeout', '"
                        + LOCK_TIMEOUT.toMillis()
                        + "ms', true)"
                    : "")
                + (readOnlyTransaction ? ", NULL" : ", pg_current_xact_id()::text"))
        .param("tenant", binding.tenant() == null ? "" : binding.tenant())
        .param("env", binding.env() == null ? "" : binding.env())
        .param("user", binding.userId() == null ? "" : binding.userId())
        .param("operator", binding.operator() ? "on" : "")
        .param("operatorTenant", binding.operatorTenant() == null ? "" : binding.operatorTenant())
        .query(
            (RowCallbackHandler)
                rs -> attempt.xid = rs.getString(rs.getMetaData().getColumnCount()));
    TransactionSynchronizationManager.bindResource(BINDING_KEY, binding);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(BINDING_KEY);
            attempt.status = status;
          }
        });
    if (commitHook != null
        && !readOnlyTransaction
        && !binding.aside()
        && binding.caller() != null) {
      Caller caller = binding.caller();
      attempt.hooked = caller;
      // afterCompletion is called by run() once the outcome is known, not here: a commit whose
      // connection failed reports no outcome Spring can know.
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
              commitHook.beforeCommit(caller);
            }
          });
    }
  }

  /**
   * @param operatorTenant the tenant whose retained records the operator reads, or null
   * @param aside true for bookkeeping the commit hook does not see ({@link #writeAside})
   * @param caller who a tenant/env transaction was opened for, or null for the others
   */
  private record Binding(
      String tenant,
      String env,
      String userId,
      boolean operator,
      boolean unflushed,
      String operatorTenant,
      boolean aside,
      Caller caller) {
    Binding(String tenant, String env, String userId, boolean operator) {
      this(tenant, env, userId, operator, false, null, false, null);
    }

    Binding(
        String tenant,
        String env,
        String userId,
        boolean operator,
        boolean unflushed,
        String operatorTenant) {
      this(tenant, env, userId, operator, unflushed, operatorTenant, false, null);
    }

    static Binding tenant(Caller caller, String userId) {
      Scope scope = Objects.requireNonNull(caller, "caller").scope();
      return new Binding(
          scope.tenantId(), scope.env().wire(), userId, false, false, null, false, caller);
    }

    Binding withoutFlush() {
      return new Binding(tenant, env, userId, operator, true, operatorTenant, aside, caller);
    }

    Binding unhooked() {
      return new Binding(tenant, env, userId, operator, unflushed, operatorTenant, true, caller);
    }

    boolean sameScope(Binding other) {
      return Objects.equals(tenant, other.tenant)
          && Objects.equals(env, other.env)
          && Objects.equals(userId, other.userId)
          && operator == other.operator
          && Objects.equals(operatorTenant, other.operatorTenant);
    }
  }
}
