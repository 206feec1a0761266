package dev.engines.api.idempotency;

import dev.engines.core.db.CommitHook;
import dev.engines.core.error.EnginesException;
import dev.engines.core.idempotency.Idempotency;
import dev.engines.core.idempotency.IdempotencyStore;
import dev.engines.core.scope.CallContext;
import dev.engines.core.scope.Caller;
import org.springframework.core.Ordered;

/**
 * Moves the key of the running request to committed inside each of the request's write transactions
 * in its scope, just before they commit (the request's {@link IdempotentExchange} is attached to
 * its caller's context, which the transaction hands the hook): the change and the key's record
 * commit together, or neither does. When the claim is no longer the request's (a retry took the key
 * over after the lease), the transaction rolls back with 409 {@code idempotency_key_in_flight}: the
 * change happens once, under the claim that holds. Runs before the ledger's hook ({@link Ordered}).
 */
final class IdempotencyCommitHook implements CommitHook, Ordered {

  private final IdempotencyStore store;

  IdempotencyCommitHook(IdempotencyStore store) {
    this.store = store;
  }

  @Override
  public void beforeCommit(Caller caller) {
    IdempotentExchange exchange = CallContext.attached(caller, IdempotentExchange.class);
    if (exchange == null) {
      return;
    }
    Idempotency.Claim claim = exchange.openClaim();
    if (claim == null || !claim.scope().equals(caller.scope())) {
      return;
    }
    if (!store.markCommitted(claim)) {
      throw EnginesException.conflict(
          Idempotency.IN_FLIGHT,
          "This request ran past its Idempotency-Key's lease and a"
              + " retry with the key took it over; nothing of this request was kept, the retry's answer counts.");
    }
  }

  @Override
  public void afterCompletion(Caller caller, boolean committed) {
    // Nothing to undo: the key's row commits or rolls back with the transaction.
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
