package dev.engines.gates;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.core.ledger.EventRecorder;
import dev.engines.core.ledger.RefType;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The gates a request passes, always in this order: kill switch → strategy lock → quota and rate
 * limit → the action → audit. Every tenant route passes the first gate before its handler runs
 * ({@link #admit}); a gated action runs through the whole chain in one transaction ({@link #run}),
 * so the lock that permitted it, the change and the audit entry naming that lock commit together.
 * A refusal is a problem the request's DatasetEvent records as its error code.
 */
public final class GateChain {

  /** Problem code: the env's kill switch disables the action or a provider it needs. */
  public static final String KILL_SWITCH_BLOCKED = "kill_switch_blocked";

  /** Problem code: no approved strategy lock valid now permits the gated action. */
  public static final String STRATEGY_LOCK_REQUIRED = "strategy_lock_required";

  private final ScopedTransactions tx;
  private final Clock clock;
  private final KillSwitchStore killSwitches;
  private final StrategyLocks locks;
  private final AuditTrail audit;
  private final EventRecorder events;

  GateChain(ScopedTransactions tx, Clock clock, KillSwitchStore killSwitches, StrategyLocks locks, AuditTrail audit,
      EventRecorder events) {
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.killSwitches = Objects.requireNonNull(killSwitches, "killSwitches");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * What a gated action did, for the audit entry the chain appends after it.
   *
   * @param result what the action answers
   * @param auditAction the audit action ({@code noun.verb})
   * @param details ids, names and numbers only (never free text or secrets); the chain adds the
   *     gate action and the lock that permitted it
   */
  public record Audited<T>(T result, String auditAction, String targetType, String targetId, Map<String, ?> details) {}

  /**
   * The first gate, for every tenant route before its handler: 403 {@value #KILL_SWITCH_BLOCKED}
   * when the caller's env disables {@code action}. Reads the switch in force now, one round trip.
   */
  public void admit(Caller caller, String action) {
    requireEnabled(killSwitches.lookup(caller.scope()), action);
  }

  /**
   * 403 {@value #KILL_SWITCH_BLOCKED} when the env's kill switch disables {@code provider}, for
   * services about to call one (the raw storage backends).
   */
  public void admitProvider(Scope scope, String provider) {
    if (killSwitches.lookup(scope).disabledProviders().contains(provider)) {
      throw EnginesException.forbidden(KILL_SWITCH_BLOCKED, "The kill switch of this env disables the provider " + provider + ".");
    }
  }

  /**
   * Runs a gated action through the whole chain, in one write transaction bound to the caller's
   * scope (joining the caller's own, if it has one open): kill switch, then an approved lock valid
   * now for {@code surface} (or for every surface) listing {@code action} or {@code *} — otherwise
   * 409 {@value #STRATEGY_LOCK_REQUIRED} naming the action — then the action, then its audit entry,
   * which names the lock. The lock is also an input ref of the request's DatasetEvent.
   *
   * @param surface the surface the action changes; null for an action that concerns none (then only
   *     a lock for every surface permits it)
   */
  public <T> T run(Caller caller, String action, String surface, Supplier<Audited<T>> work) {
    Scope scope = caller.scope();
    return tx.write(scope, () -> {
      requireEnabled(killSwitches.latest(scope), action);
      String lockId = locks.allowing(scope, action, surface, clock.instant()).orElseThrow(() ->
          EnginesException.conflict(STRATEGY_LOCK_REQUIRED, action + " needs an approved strategy lock, valid now, for "
              + (surface == null ? "every surface" : "surface " + surface + " or every surface") + ", that lists "
              + action + " or *."));
      events.input(RefType.STRATEGY_LOCK, lockId);
      // Quotas and rate limits are the next gate: between the lock and the action.
      Audited<T> done = work.get();
      Map<String, Object> details = new TreeMap<>(done.details());
      details.put("gate_action", action);
      details.put("strategy_lock_id", lockId);
      audit.record(caller, done.auditAction(), done.targetType(), done.targetId(), details);
      return done.result();
    });
  }

  private static void requireEnabled(KillSwitch killSwitch, String action) {
    if (killSwitch.disabledActions().contains(action)) {
      throw EnginesException.forbidden(KILL_SWITCH_BLOCKED, "The kill switch of this env disables " + action + ".");
    }
  }
}
