package dev.engines.gates;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The action names of the gates engine's own routes, and the rule every action name follows. An
 * action name is {@code <engine>:<verb>} in lower case ({@code nexus:derive}, {@code
 * kpi:corridor_upsert}); every tenant route declares one, the kill switch disables by it and a
 * strategy lock permits by it. Each engine declares the names of its actions beside its code.
 */
public final class GateActions {

  /** What every action name looks like. */
  public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,39}:[a-z][a-z0-9_]{0,59}$");

  /** In a lock's {@code allowed_actions}: every action. */
  public static final String ANY = "*";

  public static final String LOCK_CREATE = "strategy_lock:create";
  public static final String LOCK_APPROVE = "strategy_lock:approve";
  public static final String LOCK_REJECT = "strategy_lock:reject";
  public static final String LOCK_GET = "strategy_lock:get";
  public static final String LOCK_LIST = "strategy_lock:list";
  public static final String KILL_SWITCH_GET = "safety:kill_switch_get";

  /** Gated: changing the kill switch needs an approved lock for all surfaces that lists it. */
  public static final String KILL_SWITCH_UPDATE = "safety:kill_switch_update";

  /** Reading the env's use of its quotas and budgets. */
  public static final String USAGE_GET = "usage:quotas_get";

  /**
   * The actions the kill switch cannot disable: the ones it takes to change the kill switch again
   * (draft, approve and read a lock, read and write the switch). Disabling one of them could lock
   * an env out of its own switch for good.
   */
  public static final Set<String> NEVER_DISABLED =
      Set.of(
          LOCK_CREATE,
          LOCK_APPROVE,
          LOCK_REJECT,
          LOCK_GET,
          LOCK_LIST,
          KILL_SWITCH_GET,
          KILL_SWITCH_UPDATE);

  /**
   * The actions that never count against quotas and budgets (rate limits still apply): the ones it
   * takes to change the kill switch, to read the env's usage and to read and change its config
   * slots (the application's {@code config:*} routes), so an env at its quota can still see it and
   * raise it.
   */
  public static final Set<String> UNCOUNTED;

  static {
    HashSet<String> uncounted = new HashSet<>(NEVER_DISABLED);
    uncounted.addAll(
        Set.of(USAGE_GET, "config:slot_get", "config:slot_update", "config:slot_versions"));
    UNCOUNTED = Set.copyOf(uncounted);
  }

  private GateActions() {}
}
