package dev.engines.gates;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.version.Preconditions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The kill switch of each tenant/env: the actions and providers it disables. Every write is a new
 * version (rows are never changed) and is itself gated: it passes the {@link GateChain} as {@value
 * GateActions#KILL_SWITCH_UPDATE}, so it needs an approved lock for every surface, and its audit
 * entry names that lock. Disabled actions must be actions this deployment has (a misspelt name is
 * refused rather than disabling nothing), and never those it takes to change the switch again.
 */
public final class KillSwitches {

  /** The most entries of each list. */
  public static final int MAX_ENTRIES = 200;

  private static final Pattern PROVIDER = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final KillSwitchStore store;
  private final GateChain chain;
  private final ActionCatalog catalog;
  private final EventRecorder events;
  private final GateStateCache states;

  KillSwitches(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      KillSwitchStore store,
      GateChain chain,
      ActionCatalog catalog,
      EventRecorder events,
      GateStateCache states) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = Objects.requireNonNull(store, "store");
    this.chain = Objects.requireNonNull(chain, "chain");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.events = Objects.requireNonNull(events, "events");
    this.states = Objects.requireNonNull(states, "states");
  }

  /** The switch in force in the caller's env; version 0 (nothing disabled) when never set. */
  public KillSwitch current(Caller caller) {
    Scope scope = caller.scope();
    KillSwitch current = tx.read(caller, () -> store.latest(scope));
    if (current.version() > 0) {
      events.output(caller, RefType.KILL_SWITCH, Integer.toString(current.version()));
    }
    return current;
  }

  /**
   * Writes the next version through the gate chain.
   *
   * @param preconditions on the switch's version ({@code "0"}: never set); when they do not hold,
   *     412 {@code precondition_failed} and nothing is written
   * @throws InvalidFieldsException naming every invalid entry
   */
  public KillSwitch update(
      Caller caller,
      List<String> disabledActions,
      List<String> disabledProviders,
      Preconditions preconditions) {
    List<FieldError> errors = new ArrayList<>();
    List<String> actions = names(errors, "disabled_actions", disabledActions, this::actionProblem);
    List<String> providers =
        names(
            errors,
            "disabled_providers",
            disabledProviders,
            p -> PROVIDER.matcher(p).matches() ? null : "must match " + PROVIDER.pattern());
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The kill switch is invalid.", errors);
    }
    Scope scope = caller.scope();
    return chain.run(
        caller,
        GateActions.KILL_SWITCH_UPDATE,
        null,
        () -> {
          // Serialises writers of this env's switch, so version n+1 is computed from the real
          // current one.
          jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
              .param("k", "kill_switch/" + scope)
              .query()
              .singleRow();
          KillSwitch current = store.latest(scope);
          preconditions.check(current.version(), "The kill switch");
          KillSwitch next =
              new KillSwitch(
                  current.version() + 1, actions, providers, clock.instant(), caller.actorId());
          store.insert(scope, next);
          // This replica's next request sees the new switch, without waiting for the notification.
          states.changedAfterCommit(scope.tenantId());
          events.output(caller, RefType.KILL_SWITCH, Integer.toString(next.version()));
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("version", next.version());
          details.put("previous_version", current.version());
          details.put("disabled_actions", actions);
          details.put("disabled_providers", providers);
          return new GateChain.Audited<>(
              next, "kill_switch.update", "kill_switch", scope.env().wire(), details);
        });
  }

  private String actionProblem(String action) {
    if (!GateActions.NAME.matcher(action).matches()) {
      return "must be an action name <engine>:<verb>";
    }
    if (GateActions.NEVER_DISABLED.contains(action)) {
      return "cannot be disabled: it is needed to change the kill switch again";
    }
    return catalog.names().contains(action) ? null : "is not an action of this deployment";
  }

  /** A list of 0..MAX_ENTRIES distinct names, sorted; problems go to {@code errors}. */
  private static List<String> names(
      List<FieldError> errors, String field, List<String> given, Function<String, String> problem) {
    if (given == null) {
      errors.add(new FieldError(field, "is required (an empty list disables nothing)"));
      return List.of();
    }
    if (given.size() > MAX_ENTRIES) {
      errors.add(new FieldError(field, "must hold at most " + MAX_ENTRIES + " entries"));
      return List.of();
    }
    TreeSet<String> names = new TreeSet<>();
    for (int i = 0; i < given.size(); i++) {
      String name = given.get(i);
      String message = name == null ? "must be a string" : problem.apply(name);
      if (message == null && !names.add(name)) {
        message = "is listed twice";
      }
      if (message != null) {
        errors.add(new FieldError(field + "[" + i + "]", message));
      }
    }
    return List.copyOf(names);
  }
}
