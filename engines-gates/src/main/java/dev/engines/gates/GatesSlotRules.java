package dev.engines.gates;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
 * deployment.
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

  private GatesSlotRules() {}

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
   * @param actions the action names of this deployment, which alone may have a price
   * @throws InvalidFieldsException naming every invalid field by its JSON path
   */
  public static Map<String, Object> validate(
      Map<String, Object> settings, GatesSettings deployment, Set<String> actions) {
    Map<String, Object> in = settings == null ? Map.of() : settings;
    List<FieldError> errors = new ArrayList<>();
    unknown("", in, Set.of("four_eyes", RATE_LIMITS, QUOTAS, BUDGETS), errors);
    Map<String, Object> out = new TreeMap<>();
    if (in.get("four_eyes") instanceof Boolean fourEyes) {
      out.put("four_eyes", fourEyes);
    } else {
      errors.add(new FieldError("four_eyes", "is required: true or false"));
    }
    group(in, out, errors, RATE_LIMITS, SLOT_RATE_LIMITS, deployment, Set.of());
    group(in, out, errors, QUOTAS, GatesSettings.QUOTAS, deployment, Set.of());
    Map<String, Object> budgets =
        group(in, out, errors, BUDGETS, GatesSettings.BUDGETS, deployment, Set.of(PRICES));
    if (budgets != null
        && in.get(BUDGETS) instanceof Map<?, ?> given
        && given.containsKey(PRICES)) {
      prices(given.get(PRICES), budgets, errors, actions);
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The " + SLOT + " settings are invalid.", errors);
    }
    return out;
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

  /** One optional group of limits; answers what it copied to {@code out}, or null when absent. */
  private static Map<String, Object> group(
      Map<String, Object> in,
      Map<String, Object> out,
      List<FieldError> errors,
      String group,
      List<String> names,
      GatesSettings deployment,
      Set<String> extra) {
    Object value = in.get(group);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> raw)) {
      errors.add(new FieldError(group, "must be an object of limits by name " + names));
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> given = (Map<String, Object>) raw;
    TreeSet<String> known = new TreeSet<>(names);
    known.addAll(extra);
    unknown(group + ".", given, known, errors);
    Map<String, Object> copied = new TreeMap<>();
    for (String name : names) {
      if (given.containsKey(name)) {
        Long ceiling = deployment.limit(group, name).ceiling();
        Long number = integer(given.get(name), 1, ceiling == null ? Long.MAX_VALUE : ceiling);
        if (number == null) {
          errors.add(
              new FieldError(
                  group + "." + name,
                  "must be an integer from 1 to "
                      + (ceiling == null
                          ? Long.MAX_VALUE
                          : ceiling + ", the deployment's ceiling")));
        } else {
          copied.put(name, number);
        }
      }
    }
    out.put(group, copied);
    return copied;
  }

  private static void prices(
      Object value, Map<String, Object> budgets, List<FieldError> errors, Set<String> actions) {
    String field = BUDGETS + "." + PRICES;
    if (!(value instanceof Map<?, ?> raw)) {
      errors.add(new FieldError(field, "must be an object of cost units by action name"));
      return;
    }
    Map<String, Object> table = new TreeMap<>();
    raw.forEach(
        (key, price) -> {
          String action = String.valueOf(key);
          if (!GateActions.NAME.matcher(action).matches() || !actions.contains(action)) {
            errors.add(new FieldError(field + "." + action, "is not an action of this deployment"));
            return;
          }
          Long number = integer(price, 0, MAX_PRICE);
          if (number == null) {
            errors.add(
                new FieldError(field + "." + action, "must be an integer from 0 to " + MAX_PRICE));
          } else {
            table.put(action, number);
          }
        });
    budgets.put(PRICES, table);
  }

  /** An integer in min..max, or null. */
  private static Long integer(Object value, long min, long max) {
    if (!(value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof Short)) {
      return null;
    }
    BigInteger number =
        value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
    if (number.compareTo(BigInteger.valueOf(min)) < 0
        || number.compareTo(BigInteger.valueOf(max)) > 0) {
      return null;
    }
    return number.longValue();
  }

  private static void unknown(
      String prefix, Map<String, Object> in, Set<String> known, List<FieldError> errors) {
    in.keySet().stream()
        .filter(k -> !known.contains(k))
        .sorted()
        .forEach(
            k ->
                errors.add(
                    new FieldError(
                        prefix + k,
                        "is not a field of this slot; fields "
                            + (prefix.isEmpty()
                                ? ""
                                : "of " + prefix.substring(0, prefix.length() - 1) + " ")
                            + "are "
                            + new TreeSet<>(known))));
  }
}
