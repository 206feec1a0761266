package dev.engines.gates;

import dev.engines.config.SlotBounds;
import dev.engines.config.SlotInteger;
import dev.engines.config.SlotKeyedIntegers;
import dev.engines.config.SlotRecords;
import dev.engines.config.SlotType;
import dev.engines.core.error.InvalidFieldsException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What a tenant/env may put in its {@code gates} config slot, bounded by the deployment's {@link
 * GatesSettings}:
 *
 * <pre>{@code
 * {"four_eyes": true,
 *  "rate_limits": {"env": 3000, "api_key": 600, "read": 3000, "write": 600, "heavy": 60},
 *  "quotas": {"requests_per_day": 100000, "requests_per_month": 2000000},
 *  "budgets": {"cost_units_per_day": 500, "cost_units_per_month": 10000,
 *              "prices": {"nexus:derive": 5, "vector:search": 1}}}
 * }</pre>
 *
 * {@code four_eyes} is required; the three limit groups and every name in them are optional (a
 * limit the slot leaves out is the deployment's value), but an unknown name is refused, so a typo
 * never silently leaves a default in force. Limits are integers from 1 to the deployment's ceiling;
 * prices are integers from 0 to {@value #MAX_PRICE} cost units per request, for actions of this
 * deployment. The settings bind to typed records ({@link GatesSlotWrite}) whose constraints Bean
 * Validation checks ({@link SlotRecords}).
 */
public final class GatesSlotRules {

  /** The slot's name in {@code /v1/config/{slot}}. */
  public static final String SLOT = "gates";

  /** The slot's group of rate limits (requests per minute). */
  public static final String RATE_LIMITS = "rate_limits";

  /** The slot's group of quotas. */
  public static final String QUOTAS = "quotas";

  /** The slot's group of budgets (cost units), which also holds {@code prices}. */
  public static final String BUDGETS = "budgets";

  /** The price table inside {@code budgets}: cost units per request, by action name. */
  public static final String PRICES = "prices";

  /** The most one request may cost. */
  public static final long MAX_PRICE = 1_000_000;

  /** The rate limits a slot may set: all but {@code tenant}, which spans envs. */
  static final List<String> SLOT_RATE_LIMITS =
      GatesSettings.RATE_LIMITS.subList(1, GatesSettings.RATE_LIMITS.size());

  /** A limit's message: the range, never the value. */
  private static final String RANGE = "must be an integer from {min} to {max}";

  private final Map<String, Long> bounds;
  private final Supplier<Set<String>> actions;
  private SlotRecords<GatesSlotWrite> records;

  /**
   * @param deployment the deployment's limits, whose ceilings bound the slot's
   * @param actions the action names of this deployment, which alone may have a price; asked for at
   *     the first validation (the web layer knows its routes only once it is up)
   */
  public GatesSlotRules(GatesSettings deployment, Supplier<Set<String>> actions) {
    requireSameNames(RateLimits.class, SLOT_RATE_LIMITS);
    requireSameNames(Quotas.class, GatesSettings.QUOTAS);
    requireSameNames(Budgets.class, budgetNames());
    Map<String, Long> bounds = new HashMap<>();
    for (String group : List.of(RATE_LIMITS, QUOTAS, BUDGETS)) {
      for (String name : names(group)) {
        Long ceiling = deployment.limit(group, name).ceiling();
        bounds.put(group + "." + name, ceiling == null ? Long.MAX_VALUE : ceiling);
      }
    }
    bounds.put(PRICES, MAX_PRICE);
    this.bounds = Map.copyOf(bounds);
    this.actions = Objects.requireNonNull(actions, "actions");
  }

  /**
   * The slot's settings as written. Every limit is optional (the deployment's value holds), from 1
   * to the deployment's ceiling.
   */
  public record GatesSlotWrite(
      @NotNull(message = "is required: true or false") @SlotType("is required: true or false")
          Boolean fourEyes,
      @Valid RateLimits rateLimits,
      @Valid Quotas quotas,
      @Valid Budgets budgets) {}

  /** Requests per minute, by the rate limits a slot may set (all but the tenant's). */
  public record RateLimits(
      @SlotInteger(bound = "rate_limits.env", optional = true, type = RANGE, range = RANGE)
          Long env,
      @SlotInteger(bound = "rate_limits.api_key", optional = true, type = RANGE, range = RANGE)
          Long apiKey,
      @SlotInteger(bound = "rate_limits.read", optional = true, type = RANGE, range = RANGE)
          Long read,
      @SlotInteger(bound = "rate_limits.write", optional = true, type = RANGE, range = RANGE)
          Long write,
      @SlotInteger(bound = "rate_limits.heavy", optional = true, type = RANGE, range = RANGE)
          Long heavy) {}

  /** Request counts per period and resource counts. */
  public record Quotas(
      @SlotInteger(bound = "quotas.requests_per_day", optional = true, type = RANGE, range = RANGE)
          Long requestsPerDay,
      @SlotInteger(
              bound = "quotas.requests_per_month",
              optional = true,
              type = RANGE,
              range = RANGE)
          Long requestsPerMonth,
      @SlotInteger(bound = "quotas.assets", optional = true, type = RANGE, range = RANGE)
          Long assets,
      @SlotInteger(bound = "quotas.stored_bytes", optional = true, type = RANGE, range = RANGE)
          Long storedBytes,
      @SlotInteger(bound = "quotas.atoms", optional = true, type = RANGE, range = RANGE) Long atoms,
      @SlotInteger(bound = "quotas.vectors", optional = true, type = RANGE, range = RANGE)
          Long vectors,
      @SlotInteger(bound = "quotas.sessions", optional = true, type = RANGE, range = RANGE)
          Long sessions) {}

  /** Cost units per period, and what one request of an action costs. */
  public record Budgets(
      @SlotInteger(
              bound = "budgets.cost_units_per_day",
              optional = true,
              type = RANGE,
              range = RANGE)
          Long costUnitsPerDay,
      @SlotInteger(
              bound = "budgets.cost_units_per_month",
              optional = true,
              type = RANGE,
              range = RANGE)
          Long costUnitsPerMonth,
      @SlotKeyedIntegers(
              keys = "actions",
              bound = PRICES,
              key = "is not an action of this deployment")
          Map<String, Long> prices) {}

  /**
   * The limits a slot holds: per group, the values it sets; prices by action name.
   *
   * @param limits by group ({@value #RATE_LIMITS}, {@value #QUOTAS}, {@value #BUDGETS}), by name
   */
  public record Limits(Map<String, Map<String, Long>> limits, Map<String, Long> prices) {

    /** A slot that sets no limit, as an env without a gates slot has. */
    public static final Limits NONE = new Limits(Map.of(), Map.of());

    /** The slot's value of {@code name} in {@code group}, or null. */
    public Long get(String group, String name) {
      return limits.getOrDefault(group, Map.of()).get(name);
    }

    /** What one request of {@code action} costs: its price, 0 when it has none. */
    public long price(String action) {
      return prices.getOrDefault(action, 0L);
    }
  }

  /**
   * Validates {@code settings} and answers their canonical form (sorted keys) to store.
   *
   * @throws InvalidFieldsException naming every invalid field by its JSON path
   */
  public Map<String, Object> validate(Map<String, Object> settings) {
    SlotRecords<GatesSlotWrite> slot = records();
    return slot.canonical(slot.bind(settings));
  }

  private synchronized SlotRecords<GatesSlotWrite> records() {
    if (records == null) {
      records =
          new SlotRecords<>(
              SLOT,
              GatesSlotWrite.class,
              new SlotBounds(bounds, Map.of("actions", new TreeSet<>(actions.get()))));
    }
    return records;
  }

  /** Reads stored settings (validated when written): the four-eyes rule. */
  public static GateSlots.GatesSlot read(Map<String, Object> stored) {
    return new GateSlots.GatesSlot((Boolean) stored.get("four_eyes"));
  }

  /** Reads the limits of stored settings (validated when written); null settings set none. */
  @SuppressWarnings("unchecked")
  public static Limits limits(Map<String, Object> stored) {
    if (stored == null) {
      return Limits.NONE;
    }
    Map<String, Map<String, Long>> limits = new TreeMap<>();
    Map<String, Long> prices = new TreeMap<>();
    for (String group : List.of(RATE_LIMITS, QUOTAS, BUDGETS)) {
      if (stored.get(group) instanceof Map<?, ?> values) {
        Map<String, Long> numbers = new TreeMap<>();
        ((Map<String, Object>) values)
            .forEach(
                (name, value) -> {
                  if (name.equals(PRICES) && value instanceof Map<?, ?> table) {
                    ((Map<String, Object>) table)
                        .forEach(
                            (action, price) -> prices.put(action, ((Number) price).longValue()));
                  } else if (value instanceof Number number) {
                    numbers.put(name, number.longValue());
                  }
                });
        limits.put(group, Collections.unmodifiableMap(numbers));
      }
    }
    return new Limits(Collections.unmodifiableMap(limits), Collections.unmodifiableMap(prices));
  }

  private static List<String> names(String group) {
    return switch (group) {
      case RATE_LIMITS -> SLOT_RATE_LIMITS;
      case QUOTAS -> GatesSettings.QUOTAS;
      default -> GatesSettings.BUDGETS;
    };
  }

  private static List<String> budgetNames() {
    List<String> names = new ArrayList<>(GatesSettings.BUDGETS);
    names.add(PRICES);
    return names;
  }

  /** The records must name exactly the deployment's limits: else a limit could not be set. */
  private static void requireSameNames(Class<? extends Record> type, List<String> names) {
    Set<String> components = new TreeSet<>();
    for (RecordComponent component : type.getRecordComponents()) {
      components.add(component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT));
    }
    if (!components.equals(new TreeSet<>(names))) {
      throw new IllegalStateException(
          type.getSimpleName()
              + " names "
              + components
              + ", the deployment "
              + new TreeSet<>(names));
    }
  }
}
