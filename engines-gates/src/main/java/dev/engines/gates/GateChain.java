package dev.engines.gates;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The gates a request passes, in this order: kill switch → strategy lock → budget, quota and rate
 * limit → the action → audit. Every tenant route is admitted before its handler runs ({@link
 * #admit}): the kill switch, then the env's rate limits, budgets and request quotas, whose state
 * all replicas share. A gated action then runs through the chain again in one transaction ({@link
 * #run}): kill switch, an approved strategy lock, the action, and its audit entry naming that lock,
 * committed together; a request refused there gets back what its admission took, so its outcome is
 * the chain's order.
 *
 * <p>A refusal is a problem the request's DatasetEvent records as its error code, with the gate or
 * limit that fired as an input ref ({@code gate}). Each refusal, and each decision on a gated
 * action, is also a {@code safety.decision} DatasetEvent of its own (allow or block, the gate, the
 * action, the reason code). A request that takes a budget or quota past {@value #WARNING_PERCENT} %
 * of its limit gives rise to a {@code safety.usage_warning} event.
 */
public final class GateChain {

  /** Problem code: the env's kill switch disables the action or a provider it needs. */
  public static final String KILL_SWITCH_BLOCKED = "kill_switch_blocked";

  /** Problem code: no approved strategy lock valid now permits the gated action. */
  public static final String STRATEGY_LOCK_REQUIRED = "strategy_lock_required";

  /** The ledger surface of the gates' own events. */
  public static final String SURFACE = "safety";

  /** The event of a gate's decision: success (allow) or failure with the refusal's code (block). */
  public static final String DECISION = "decision";

  /** The event of a budget or quota passing {@value #WARNING_PERCENT} % of its limit. */
  public static final String USAGE_WARNING = "usage_warning";

  /** Where a budget or quota warns. */
  public static final int WARNING_PERCENT = 80;

  /** The counts every request adds to: path in the gates slot, meter, period. */
  private static final String[][] COUNTS = {
    {"quotas.requests_per_day", "requests", "day"},
    {"quotas.requests_per_month", "requests", "month"},
    {"budgets.cost_units_per_day", "cost_units", "day"},
    {"budgets.cost_units_per_month", "cost_units", "month"}
  };

  private final ScopedTransactions tx;
  private final Clock clock;
  private final KillSwitchStore killSwitches;
  private final StrategyLocks locks;
  private final AuditTrail audit;
  private final EventRecorder events;
  private final Limiter limiter;
  private final TokenReservations reservations;
  private final LocalCounts localCounts;
  private final GateStateCache stateCache;

  /**
   * The admissions of the requests in flight on this replica, by tenant, env, actor and request id,
   * so that {@link #run} can give back what a request it refuses took; {@link #completed} ends
   * each.
   */
  private final Map<List<String>, Admission> inFlight = new ConcurrentHashMap<>();

  private final GatesSettings settings;

  GateChain(
      ScopedTransactions tx,
      Clock clock,
      KillSwitchStore killSwitches,
      StrategyLocks locks,
      AuditTrail audit,
      EventRecorder events,
      Limiter limiter,
      TokenReservations reservations,
      LocalCounts localCounts,
      GateStateCache stateCache,
      GatesSettings settings) {
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.killSwitches = Objects.requireNonNull(killSwitches, "killSwitches");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.events = Objects.requireNonNull(events, "events");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.reservations = Objects.requireNonNull(reservations, "reservations");
    this.localCounts = Objects.requireNonNull(localCounts, "localCounts");
    this.stateCache = Objects.requireNonNull(stateCache, "stateCache");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * What a gated action did, for the audit entry the chain appends after it.
   *
   * @param result what the action answers
   * @param auditAction the audit action ({@code noun.verb})
   * @param details ids, names and numbers only (never free text or secrets); the chain adds the
   *     gate action and the lock that permitted it
   */
  public record Audited<T>(
      T result, String auditAction, String targetType, String targetId, Map<String, ?> details) {}

  /**
   * Admits one request of a tenant route before its handler runs: 403 {@value #KILL_SWITCH_BLOCKED}
   * when the caller's env disables {@code action}; 429 {@code rate_limited} when a rate limit (the
   * tenant, the env, the caller's key, the route class in the env) has no request left; then 402
   * {@code budget_exceeded} when its price would take the env past a budget, 429 {@code
   * quota_exceeded} past a request quota. Only an admitted request takes tokens and counts; the
   * gates' own actions and the config slots never count against quotas and budgets, so an env can
   * always raise them again.
   *
   * <p>The kill switch and the env's gates slot come from this replica's {@link GateStateCache},
   * which the database's change notifications keep current (a statement only on a miss). The tokens
   * come from this replica's reservation of the shared buckets ({@link TokenReservations}: a
   * statement per batch, not per request). The request's counts are checked and written in a
   * statement of their own ({@code gate_admit_periods}) only where a request quota or a budget
   * applies to them; otherwise they are counted in memory and written at the next sync ({@link
   * LocalCounts}).
   *
   * @throws GateRefusal when a limit refuses
   */
  public Admission admit(Caller caller, String action, RouteClass routeClass) {
    Scope scope = caller.scope();
    String env = scope.env().wire();
    List<String> rates = GatesSettings.RATE_LIMITS;
    String[] names = new String[] {rates.get(0), rates.get(1), rates.get(2), routeClass.wire()};
    String[] buckets =
        new String[] {
          "tenant",
          "env:" + env,
          caller.keyId() != null ? "key:" + caller.keyId() : "user:" + caller.actorId(),
          "env:" + env + ":" + routeClass.wire()
        };
    boolean counted = !GateActions.UNCOUNTED.contains(action);
    int n = counted ? COUNTS.length : 0;
    // The slot paths: the four rate limits (the tenant's has none: no env's slot may set it), then
    // the counts.
    String[] paths = new String[4 + n];
    paths[0] = "";
    for (int i = 1; i < 4; i++) {
      paths[i] = "rate_limits." + names[i];
    }
    for (int i = 0; i < n; i++) {
      paths[4 + i] = COUNTS[i][0];
    }
    GateStateCache.State found = stateCache.get(scope);
    if (found.disabledActions().contains(action)) {
      refused(caller, "kill_switch", action, KILL_SWITCH_BLOCKED);
      throw EnginesException.forbidden(
          KILL_SWITCH_BLOCKED, "The kill switch of this env disables " + action + ".");
    }
    Double[] rateLimits = new Double[4];
    for (int i = 0; i < 4; i++) {
      rateLimits[i] =
          number(
              settings
                  .limit(GatesSlotRules.RATE_LIMITS, names[i])
                  .effective(whole(found.value(paths[i]))));
    }
    TokenReservations.Taken taken = reservations.take(scope.tenantId(), buckets, rateLimits);
    List<RateLimitState> states = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      if (rateLimits[i] != null) {
        double remaining = taken.remaining()[i];
        states.add(
            new RateLimitState(
                names[i],
                rateLimits[i].longValue(),
                (long) Math.floor(Math.max(0, remaining)),
                (long) Math.ceil(Math.max(0, rateLimits[i] - remaining) * 60.0 / rateLimits[i])));
      }
    }
    if (!taken.admitted()) {
      int i = taken.refused();
      String gate = "rate_limit/" + names[i];
      long limit = rateLimits[i].longValue();
      refused(caller, gate, action, GateRefusal.RATE_LIMITED);
      throw new GateRefusal(
          429,
          GateRefusal.RATE_LIMITED,
          "The rate limit "
              + names[i]
              + " ("
              + limit
              + " requests per minute) has no request left; retry after "
              + taken.retryAfter()
              + " s.",
          gate,
          limit,
          taken.retryAfter(),
          states);
    }
    // The counts: checked and written at once where a quota or budget limits them, else counted
    // here.
    String[] countPaths = new String[n];
    String[] meters = new String[n];
    String[] periods = new String[n];
    Double[] countDefaults = new Double[n];
    Double[] countCeilings = new Double[n];
    boolean atOnce = false;
    for (int i = 0; i < n; i++) {
      countPaths[i] = COUNTS[i][0];
      meters[i] = COUNTS[i][1];
      periods[i] = COUNTS[i][2];
      String[] path = COUNTS[i][0].split("\\.");
      GatesSettings.Limit limit = settings.limit(path[0], path[1]);
      countDefaults[i] = number(limit.value());
      countCeilings[i] = number(limit.ceiling());
      double amount = meters[i].equals("cost_units") ? found.price(action) : 1;
      if (amount > 0 && limit.effective(whole(found.value(paths[4 + i]))) != null) {
        atOnce = true;
      }
    }
    List<Object[]> counts = new ArrayList<>();
    if (atOnce) {
      Limiter.Result result;
      try {
        result =
            limiter.admit(
                scope,
                new Limiter.Request(
                    action,
                    new String[0],
                    new String[0],
                    new Double[0],
                    new Double[0],
                    countPaths,
                    meters,
                    periods,
                    countDefaults,
                    countCeilings));
      } catch (RuntimeException e) {
        reservations.giveBack(taken);
        throw e;
      }
      if (result.code() != null) {
        reservations.giveBack(taken);
        if (KILL_SWITCH_BLOCKED.equals(result.code())) {
          refused(caller, "kill_switch", action, KILL_SWITCH_BLOCKED);
          throw EnginesException.forbidden(
              KILL_SWITCH_BLOCKED, "The kill switch of this env disables " + action + ".");
        }
        throw refusal(caller, action, result, states);
      }
      for (int i = 0; i < n; i++) {
        Double limit = result.countLimits()[i];
        Double used = result.countUsed()[i];
        Double amount = result.countAmounts()[i];
        if (amount != null && amount > 0) {
          // The period gate_admit_periods counted in, by the database's clock: a refund goes back
          // there.
          counts.add(new Object[] {meters[i], result.countPeriods()[i], amount});
        }
        if (limit != null && used != null && amount != null && amount > 0) {
          double threshold = limit * WARNING_PERCENT / 100.0;
          if (used - amount < threshold && used >= threshold) {
            events.related(
                caller,
                SURFACE,
                USAGE_WARNING,
                null,
                List.of(
                    new DatasetEvent.Ref(RefType.GATE, gateOf(countPaths[i])),
                    new DatasetEvent.Ref(RefType.ACTION, action)));
          }
        }
      }
    } else if (n > 0) {
      // No limit to check these counts against: the period is the application's clock's UTC day
      // and month (docs/adr/0018-gate-state-cache.md), which sends no statement.
      String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
      for (int i = 0; i < n; i++) {
        double amount = meters[i].equals("cost_units") ? found.price(action) : 1;
        if (amount > 0) {
          String period = periods[i].equals("day") ? day : day.substring(0, 7);
          localCounts.add(scope, meters[i], period, amount);
          counts.add(new Object[] {meters[i], period, amount});
        }
      }
    }
    Admission admission = new Admission(states, taken, counts, atOnce);
    List<String> key = inFlightKey(caller);
    if (key != null) {
      inFlight.put(key, admission);
    }
    return admission;
  }

  /**
   * Gives back what the request being served took at its admission — its tokens and its counts —
   * when the chain refuses it later (at the strategy lock or the kill switch of {@link #run}),
   * before the refusal is answered: a refused gated action spends no rate limit, no request quota
   * and no budget. The outcome is DESIGN's order (kill switch, strategy lock, then the limits),
   * although the limits are looked at first (the surface a lock is for is known only to the
   * handler).
   */
  private void refund(Caller caller) {
    List<String> key = inFlightKey(caller);
    Admission admission = key == null ? null : inFlight.remove(key);
    if (admission != null) {
      refund(caller, admission);
    }
  }

  /** The request of {@code caller} is answered: its admission is no longer kept. */
  public void completed(Caller caller) {
    List<String> key = inFlightKey(caller);
    if (key != null) {
      inFlight.remove(key);
    }
  }

  /**
   * Tenant, env, actor and request id of a caller within a request; null outside one. The actor is
   * part of the key because a request id may come from the client ({@code X-Request-Id}): two
   * principals sending the same id at once must not take each other's admission.
   */
  private static List<String> inFlightKey(Caller caller) {
    if (caller == null || caller.context() == null || caller.context().isSystem()) {
      return null;
    }
    return List.of(
        caller.scope().tenantId(),
        caller.scope().env().wire(),
        caller.actorType().name(),
        caller.actorId(),
        caller.context().requestId());
  }

  private void refund(Caller caller, Admission admission) {
    reservations.giveBack(admission.tokens);
    if (admission.counts.isEmpty()) {
      return;
    }
    Scope scope = caller.scope();
    if (admission.countedAtOnce && !TransactionSynchronizationManager.isActualTransactionActive()) {
      List<Object[]> rows = new ArrayList<>(admission.counts);
      rows.sort(
          Comparator.comparing((Object[] r) -> (String) r[0]).thenComparing(r -> (String) r[1]));
      limiter.count(
          scope.tenantId(),
          scope.env().wire(),
          rows.stream().map(r -> (String) r[0]).toArray(String[]::new),
          rows.stream().map(r -> (String) r[1]).toArray(String[]::new),
          rows.stream().map(r -> -(Double) r[2]).toArray(Double[]::new));
    } else {
      // Inside a caller's transaction, which the refusal rolls back: the next sync writes them.
      for (Object[] c : admission.counts) {
        localCounts.add(scope, (String) c[0], (String) c[1], -(Double) c[2]);
      }
    }
  }

  /** A slot's limit as a whole number (the slot's rules admit only those), or null. */
  private static Long whole(Double value) {
    return value == null ? null : (long) Math.floor(value);
  }

  /** The refusal of a request quota or a budget. */
  private GateRefusal refusal(
      Caller caller, String action, Limiter.Result result, List<RateLimitState> states) {
    int i = result.fired();
    String gate = gateOf(COUNTS[i][0]);
    long limit = result.countLimits()[i].longValue();
    boolean budget = GateRefusal.BUDGET_EXCEEDED.equals(result.code());
    int status = budget ? 402 : 429;
    String detail =
        budget
            ? "The budget "
                + gate.substring(gate.indexOf('/') + 1)
                + " ("
                + limit
                + " cost units) has "
                + (long) (limit - result.countUsed()[i])
                + " left; "
                + action
                + " costs "
                + result.countAmounts()[i].longValue()
                + ". It renews in "
                + result.retryAfter()
                + " s."
            : "The quota "
                + gate.substring(gate.indexOf('/') + 1)
                + " ("
                + limit
                + ") is used up; it renews in "
                + result.retryAfter()
                + " s.";
    refused(caller, gate, action, result.code());
    return new GateRefusal(status, result.code(), detail, gate, limit, result.retryAfter(), states);
  }

  /**
   * Records a refusal: the limit on the request's own event, and the decision as an event of its
   * own.
   */
  private void refused(Caller caller, String gate, String action, String code) {
    events.input(caller, RefType.GATE, gate);
    events.related(
        caller,
        SURFACE,
        DECISION,
        code,
        List.of(
            new DatasetEvent.Ref(RefType.GATE, gate),
            new DatasetEvent.Ref(RefType.ACTION, action)));
  }

  /** {@code quotas.requests_per_day} → {@code quota/requests_per_day}. */
  private static String gateOf(String path) {
    int dot = path.indexOf('.');
    String group = path.substring(0, dot);
    return (group.equals(GatesSlotRules.QUOTAS) ? "quota" : "budget")
        + "/"
        + path.substring(dot + 1);
  }

  private static Double number(Long value) {
    return value == null ? null : value.doubleValue();
  }

  /**
   * 403 {@value #KILL_SWITCH_BLOCKED} when the env's kill switch disables {@code provider}, for
   * services about to call one (the raw storage backends).
   */
  public void admitProvider(Scope scope, String provider) {
    if (stateCache.get(scope).disabledProviders().contains(provider)) {
      throw EnginesException.forbidden(
          KILL_SWITCH_BLOCKED,
          "The kill switch of this env disables the provider " + provider + ".");
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
    boolean[] refusedHere = {false};
    try {
      return gated(caller, action, surface, work, refusedHere);
    } finally {
      if (refusedHere[0]) {
        // After the transaction the refusal rolled back, so that what is given back stays given
        // back.
        refund(caller);
      }
    }
  }

  private <T> T gated(
      Caller caller,
      String action,
      String surface,
      Supplier<Audited<T>> work,
      boolean[] refusedHere) {
    Scope scope = caller.scope();
    return tx.write(
        caller,
        () -> {
          if (killSwitches.latest(scope).disabledActions().contains(action)) {
            refusedHere[0] = true;
            refused(caller, "kill_switch", action, KILL_SWITCH_BLOCKED);
            throw EnginesException.forbidden(
                KILL_SWITCH_BLOCKED, "The kill switch of this env disables " + action + ".");
          }
          String lockId = locks.allowing(scope, action, surface, clock.instant()).orElse(null);
          if (lockId == null) {
            refusedHere[0] = true;
            refused(caller, "strategy_lock", action, STRATEGY_LOCK_REQUIRED);
            throw EnginesException.conflict(
                STRATEGY_LOCK_REQUIRED,
                action
                    + " needs an approved strategy lock, valid now, for "
                    + (surface == null
                        ? "every surface"
                        : "surface " + surface + " or every surface")
                    + ", that lists "
                    + action
                    + " or *.");
          }
          events.input(caller, RefType.STRATEGY_LOCK, lockId);
          // Kept in memory, not in the transaction: if the action fails, the allow still goes with
          // the request's event.
          events.related(
              caller,
              SURFACE,
              DECISION,
              null,
              List.of(
                  new DatasetEvent.Ref(RefType.GATE, "strategy_lock"),
                  new DatasetEvent.Ref(RefType.ACTION, action),
                  new DatasetEvent.Ref(RefType.STRATEGY_LOCK, lockId)));
          Audited<T> done = work.get();
          Map<String, Object> details = new TreeMap<>(done.details());
          details.put("gate_action", action);
          details.put("strategy_lock_id", lockId);
          audit.record(caller, done.auditAction(), done.targetType(), done.targetId(), details);
          return done.result();
        });
  }
}
