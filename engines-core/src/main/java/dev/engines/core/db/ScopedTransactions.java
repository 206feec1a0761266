package dev.engines.core.db;

import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs work in a database transaction bound to one tenant/env (and optionally one user) for
 * PostgreSQL Row-Level Security. The binding uses {@code set_config(..., true)}, which lasts only
 * until the transaction ends, so a pooled connection never carries a tenant to its next borrower.
 * A transaction that was not opened through this class has no tenant and RLS shows it nothing.
 *
 * <p>Nested calls join the outer transaction only when they name the same binding; a different
 * binding inside an open transaction is a programming error and fails loudly.
 */
public final class ScopedTransactions {

  private static final Object BINDING_KEY = new Object();

  private final JdbcClient jdbc;
  private final TransactionTemplate readWrite;
  private final TransactionTemplate readOnly;
  private final CommitHook commitHook;

  public ScopedTransactions(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
    this(jdbc, transactionManager, null);
  }

  /** @param commitHook called around commits of read-write tenant/env transactions, or null */
  public ScopedTransactions(JdbcClient jdbc, PlatformTransactionManager transactionManager, CommitHook commitHook) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.commitHook = commitHook;
    this.readWrite = new TransactionTemplate(transactionManager);
    this.readOnly = new TransactionTemplate(transactionManager);
    this.readOnly.setReadOnly(true);
    this.readWrite.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
    this.readOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
  }

  /** Runs {@code work} in a read-write transaction scoped to {@code scope}. */
  public <T> T write(Scope scope, Supplier<T> work) {
    return run(readWrite, Binding.tenant(scope, null), work);
  }

  /**
   * Runs {@code work} in a read-write transaction scoped to {@code scope} whose commit does not wait
   * for the WAL flush ({@code synchronous_commit = off}, set with the binding, for this transaction
   * only): a database crash may lose it, a rollback never half-applies it. For records that stand
   * alone, such as the DatasetEvents of reads.
   */
  public <T> T writeUnflushed(Scope scope, Supplier<T> work) {
    return run(readWrite, Binding.tenant(scope, null).withoutFlush(), work);
  }

  /** Runs {@code work} in a read-only transaction scoped to {@code scope}. */
  public <T> T read(Scope scope, Supplier<T> work) {
    return run(readOnly, Binding.tenant(scope, null), work);
  }

  /** Runs {@code work} scoped to a tenant/env and one user, for user-owned rows (sessions, memory). */
  public <T> T writeAsUser(Scope scope, String userId, Supplier<T> work) {
    return run(readWrite, Binding.tenant(scope, Objects.requireNonNull(userId, "userId")), work);
  }

  /** Runs {@code work} scoped to a tenant/env and one user, read-only. */
  public <T> T readAsUser(Scope scope, String userId, Supplier<T> work) {
    return run(readOnly, Binding.tenant(scope, Objects.requireNonNull(userId, "userId")), work);
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
    return run(readWrite, new Binding(Objects.requireNonNull(tenant, "tenant").value(), null, null, true), work);
  }

  /**
   * Runs {@code work} bound to a tenant but no env, for housekeeping on tenant-level rows (users,
   * keys) outside a request, such as recording a key's last use. Env-scoped tables show nothing.
   */
  public <T> T tenantLevel(TenantId tenant, Supplier<T> work) {
    return run(readWrite, new Binding(Objects.requireNonNull(tenant, "tenant").value(), null, null, false), work);
  }

  /**
   * Runs {@code work} read-only as the operator reading one tenant's retained records: RLS shows
   * the tenant registry and that tenant's audit chain, ledger and purge fence (migration V33), no
   * other table of it and nothing of other tenants.
   */
  public <T> T operatorRecords(TenantId tenant, Supplier<T> work) {
    return run(readOnly, new Binding(null, null, null, true, false, Objects.requireNonNull(tenant, "tenant").value()), work);
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
        throw new IllegalStateException("A transaction bound to another scope is already open on this thread");
      }
      if (outer.unflushed() && !binding.unflushed()) {
        throw new IllegalStateException("A write that must reach the WAL cannot join an unflushed transaction");
      }
      return work.get();
    }
    return template.execute(status -> {
      bind(binding, template.isReadOnly());
      return work.get();
    });
  }

  private void bind(Binding binding, boolean readOnlyTransaction) {
    // synchronous_commit is only ever lowered here, never set: a server or role setting (say,
    // remote_apply for a replica) stays in force for every other transaction. app.auth_lookup is
    // only ever on inside api_key_lookup (V27); it is cleared here all the same.
    jdbc.sql("SELECT set_config('app.tenant_id', :tenant, true), set_config('app.env', :env, true),"
            + " set_config('app.user_id', :user, true), set_config('app.operator', :operator, true),"
            + " set_config('app.operator_tenant', :operatorTenant, true), set_config('app.auth_lookup', '', true)"
            + (binding.unflushed() ? ", set_config('synchronous_commit', 'off', true)" : ""))
        .param("tenant", binding.tenant() == null ? "" : binding.tenant())
        .param("env", binding.env() == null ? "" : binding.env())
        .param("user", binding.userId() == null ? "" : binding.userId())
        .param("operator", binding.operator() ? "on" : "")
        .param("operatorTenant", binding.operatorTenant() == null ? "" : binding.operatorTenant())
        .query()
        .singleRow();
    TransactionSynchronizationManager.bindResource(BINDING_KEY, binding);
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCompletion(int status) {
        TransactionSynchronizationManager.unbindResourceIfPossible(BINDING_KEY);
      }
    });
    if (commitHook != null && !readOnlyTransaction && binding.tenant() != null && binding.env() != null) {
      Scope scope = Scope.of(binding.tenant(), binding.env());
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void beforeCommit(boolean readOnly) {
          commitHook.beforeCommit(scope);
        }

        @Override
        public void afterCompletion(int status) {
          commitHook.afterCompletion(scope, status == STATUS_COMMITTED);
        }
      });
    }
  }

  /** @param operatorTenant the tenant whose retained records the operator reads, or null */
  private record Binding(String tenant, String env, String userId, boolean operator, boolean unflushed,
      String operatorTenant) {
    Binding(String tenant, String env, String userId, boolean operator) {
      this(tenant, env, userId, operator, false, null);
    }

    static Binding tenant(Scope scope, String userId) {
      Objects.requireNonNull(scope, "scope");
      return new Binding(scope.tenantId(), scope.env().wire(), userId, false);
    }

    Binding withoutFlush() {
      return new Binding(tenant, env, userId, operator, true, operatorTenant);
    }

    boolean sameScope(Binding other) {
      return Objects.equals(tenant, other.tenant) && Objects.equals(env, other.env) && Objects.equals(userId, other.userId)
          && operator == other.operator && Objects.equals(operatorTenant, other.operatorTenant);
    }
  }
}
