package dev.engines.core.db;

import dev.engines.core.scope.Caller;
import java.util.List;

/**
 * Called around the commit of every read-write transaction bound to a tenant/env, on the
 * transaction's own connection, with the caller the transaction was opened for. The ledger uses it
 * to append the request's DatasetEvent in the same transaction as the change (a transactional
 * outbox); it finds that event in the caller's context.
 */
public interface CommitHook {

  /** Before commit, inside the transaction; an exception here rolls the transaction back. */
  void beforeCommit(Caller caller);

  /**
   * After the transaction ended, with its true outcome: when the connection failed during the
   * commit, only once the database said whether it committed (false while that is unknown).
   */
  void afterCompletion(Caller caller, boolean committed);

  /**
   * The hooks in order, as one: each {@link #beforeCommit} in turn (the first that throws rolls the
   * transaction back, and the later ones are not called), then every {@link #afterCompletion}.
   */
  static CommitHook all(List<? extends CommitHook> hooks) {
    List<CommitHook> ordered = List.copyOf(hooks);
    return new CommitHook() {
      @Override
      public void beforeCommit(Caller caller) {
        ordered.forEach(hook -> hook.beforeCommit(caller));
      }

      @Override
      public void afterCompletion(Caller caller, boolean committed) {
        ordered.forEach(hook -> hook.afterCompletion(caller, committed));
      }
    };
  }
}
