package dev.engines.core.db;

import dev.engines.core.scope.Scope;

/**
 * Called around the commit of every read-write transaction bound to a tenant/env, on the
 * transaction's own connection. The ledger uses it to append the request's DatasetEvent in the
 * same transaction as the change (a transactional outbox).
 */
public interface CommitHook {

  /** Before commit, inside the transaction; an exception here rolls the transaction back. */
  void beforeCommit(Scope scope);

  /** After the transaction ended. */
  void afterCompletion(Scope scope, boolean committed);
}
