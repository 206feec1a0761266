package dev.engines.ledger;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one vocabulary of the things a DatasetEvent's refs name. One entity has one type, whether a
 * path variable, a service's output or a caller's usage item names it (docs/api.md, "Refs").
 */
public enum RefType {
  /** A member ({@code u_…}). */
  USER,
  /** An API key ({@code ak_…}). */
  API_KEY,
  /** A tenant ({@code t_…}), named by a request that asked for one. */
  TENANT,
  /** A raw asset ({@code ra_…}). */
  ASSET,
  /** A stored object without an asset row, removed by reconcile (its would-be asset id). */
  OBJECT,
  /** A derivation ({@code dv_…}). */
  DERIVATION,
  /** An atom ({@code at_…}). */
  ATOM,
  /** A usage record ({@code us_…}). */
  USAGE,
  /** A card of the caller's (outside Engines; its id as given). */
  CARD,
  /** An audit entry ({@code au_…}). */
  AUDIT,
  /** A DatasetEvent ({@code ev_…}). */
  EVENT,
  /** A config slot ({@code storage}, {@code nexus}) or one of its versions ({@code nexus/2}). */
  CONFIG,
  /** A PII policy version of the env ({@code 3}). */
  PII_POLICY,
  /** A PII allow/deny lists version of the env ({@code 2}). */
  PII_LISTS,
  /** A retention policy, by its data class ({@code deleted_assets}). */
  RETENTION,
  /** A legal hold ({@code lh_…}). */
  LEGAL_HOLD,
  /** A KPI definition, by name. */
  KPI,
  /** A version of a KPI's corridor ({@code <kpi>/<version>}). */
  KPI_CORRIDOR,
  /** A KPI observation. */
  OBSERVATION,
  /** A surface that KPIs and Temperature are defined for, by name. */
  SURFACE,
  /**
   * A version of one part of a surface's Temperature configuration ({@code
   * <surface>/<part>/<version>}).
   */
  TEMPERATURE_CONFIG,
  /** A stored Temperature snapshot. */
  TEMPERATURE_SNAPSHOT,
  /** A strategy lock. */
  STRATEGY_LOCK,
  /** A version of the env's kill switch. */
  KILL_SWITCH,
  /** A session. */
  SESSION,
  /** A turn of a session. */
  TURN,
  /** A session's memory (its pointers), by the session's id. */
  MEMORY,
  /** A blackboard entry: its key ({@code {blackboardKey}}) or {@code <session>/<key>}. */
  BLACKBOARD_ENTRY,
  /** A message bundle forwarded between sessions. */
  BUNDLE,
  /** A vector space, by name ({@code {space}}). */
  VECTOR_SPACE,
  /** A vector, by its id within the space the event also names ({@code {vectorId}}). */
  VECTOR,
  /**
   * A gate or limit that decided on a request: {@code kill_switch}, {@code strategy_lock}, {@code
   * rate_limit/<name>}, {@code quota/<name>}, {@code budget/<name>}.
   */
  GATE,
  /** An action name of the gates ({@code nexus:derive}), named by the decision on it. */
  ACTION;

  /**
   * Names that events written before this vocabulary used for the same entities; they read back as
   * the type of today.
   */
  private static final Map<String, RefType> LEGACY =
      Map.of("key", API_KEY, "slot", CONFIG, "hold", LEGAL_HOLD);

  private static final Map<String, RefType> BY_WIRE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(RefType::wire, Function.identity()));

  /** The name on the wire and in the ledger, e.g. {@code api_key}. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code wire}, if it is one of the vocabulary. */
  public static Optional<RefType> of(String wire) {
    return Optional.ofNullable(wire == null ? null : BY_WIRE.get(wire));
  }

  /** The names this type is stored under: its own and those older events used for it. */
  public List<String> storedNames() {
    List<String> names = new ArrayList<>(List.of(wire()));
    LEGACY.forEach(
        (name, type) -> {
          if (type == this) {
            names.add(name);
          }
        });
    return names;
  }

  /** A stored type name, also one of the names older events used; fails on anything else. */
  static RefType stored(String wire) {
    RefType type = BY_WIRE.getOrDefault(wire, LEGACY.get(wire));
    if (type == null) {
      throw new IllegalStateException("The ledger holds an unknown ref type: " + wire);
    }
    return type;
  }
}
