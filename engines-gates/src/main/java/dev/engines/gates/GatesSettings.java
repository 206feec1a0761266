package dev.engines.gates;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code engines.gates} block: for every rate limit, quota and budget, the value an env gets
 * when its {@code gates} slot sets none, and the ceiling a slot may set at most. Optional: a
 * deployment that sets nothing gets {@link #DEFAULTS}. A limit left without a value is unlimited
 * until a slot sets one; one without a ceiling may be set to anything. An unknown name, a value
 * below 1 or above its ceiling fails startup.
 *
 * @param rateLimits requests per minute, by name: {@code tenant} (every request of the tenant, any
 *     env: a deployment setting only, no slot sets it), {@code env}, {@code api_key} (one caller
 *     across its envs: an API key, or a person's token), {@code read}, {@code write}, {@code heavy}
 *     (the route classes of the env)
 * @param quotas by name: {@code requests_per_day}, {@code requests_per_month} (UTC); what the env
 *     holds: {@code assets}, {@code stored_bytes}, {@code atoms}, {@code vectors}, {@code sessions}
 * @param budgets cost units by name: {@code cost_units_per_day}, {@code cost_units_per_month}; what
 *     an action costs is the env's price table ({@code budgets.prices} in its slot)
 */
@ConfigurationProperties("engines.gates")
public record GatesSettings(
    Map<String, Limit> rateLimits, Map<String, Limit> quotas, Map<String, Limit> budgets) {

  /** The rate limits, in the order their buckets are named in a refusal's headers. */
  public static final List<String> RATE_LIMITS =
      List.of("tenant", "env", "api_key", "read", "write", "heavy");

  /** The request quotas. */
  public static final List<String> QUOTAS =
      List.of(
          "requests_per_day",
          "requests_per_month",
          "assets",
          "stored_bytes",
          "atoms",
          "vectors",
          "sessions");

  /** The budgets. */
  public static final List<String> BUDGETS = List.of("cost_units_per_day", "cost_units_per_month");

  private static final Map<String, Limit> RATE_DEFAULTS =
      Map.of(
          "tenant",
          new Limit(60_000L, 600_000L),
          "env",
          new Limit(30_000L, 300_000L),
          "api_key",
          new Limit(12_000L, 120_000L),
          "read",
          new Limit(30_000L, 300_000L),
          "write",
          new Limit(6_000L, 60_000L),
          "heavy",
          new Limit(1_200L, 12_000L));

  /**
   * What a deployment that sets nothing gets: rate limits generous enough for one busy tenant on
   * one replica, ceilings ten times higher, no quota and no budget.
   */
  public static final GatesSettings DEFAULTS = new GatesSettings(null, null, null);

  public GatesSettings {
    rateLimits = merged("rate-limits", RATE_LIMITS, RATE_DEFAULTS, rateLimits);
    quotas = merged("quotas", QUOTAS, Map.of(), quotas);
    budgets = merged("budgets", BUDGETS, Map.of(), budgets);
  }

  /**
   * One limit of the deployment.
   *
   * @param value what an env whose slot sets none gets; null: unlimited
   * @param ceiling the most a slot may set; null: no ceiling
   */
  public record Limit(Long value, Long ceiling) {

    static final Limit UNLIMITED = new Limit(null, null);

    /** The limit in force for an env whose slot says {@code slot} (null: nothing). */
    public Long effective(Long slot) {
      Long chosen = slot != null ? slot : value;
      if (chosen == null) {
        return ceiling;
      }
      return ceiling == null ? chosen : Math.min(chosen, ceiling);
    }
  }

  /** The deployment's limit of {@code name} in {@code group} (rate_limits, quotas, budgets). */
  public Limit limit(String group, String name) {
    Map<String, Limit> limits =
        switch (group) {
          case GatesSlotRules.RATE_LIMITS -> rateLimits;
          case GatesSlotRules.QUOTAS -> quotas;
          case GatesSlotRules.BUDGETS -> budgets;
          default -> throw new IllegalArgumentException("unknown limit group " + group);
        };
    Limit limit = limits.get(name);
    if (limit == null) {
      throw new IllegalArgumentException("unknown limit " + group + "." + name);
    }
    return limit;
  }

  private static Map<String, Limit> merged(
      String property, List<String> names, Map<String, Limit> defaults, Map<String, Limit> given) {
    // YAML keys arrive as written (api-key); the names are the slot's (api_key).
    Map<String, Limit> in = new LinkedHashMap<>();
    if (given != null) {
      given.forEach(
          (name, limit) -> in.put(name.replace('-', '_'), limit == null ? Limit.UNLIMITED : limit));
    }
    TreeSet<String> unknown = new TreeSet<>(in.keySet());
    names.forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "engines.gates."
              + property
              + " has no limit named "
              + unknown
              + "; the names are "
              + names);
    }
    Map<String, Limit> out = new LinkedHashMap<>();
    for (String name : names) {
      Limit limit = in.getOrDefault(name, defaults.getOrDefault(name, Limit.UNLIMITED));
      if (limit.value() != null && limit.value() < 1
          || limit.ceiling() != null && limit.ceiling() < 1) {
        throw new IllegalArgumentException(
            "engines.gates." + property + "." + name + ": value and ceiling must be at least 1");
      }
      if (limit.value() != null && limit.ceiling() != null && limit.value() > limit.ceiling()) {
        throw new IllegalArgumentException(
            "engines.gates."
                + property
                + "."
                + name
                + ": value "
                + limit.value()
                + " is above the ceiling "
                + limit.ceiling());
      }
      out.put(name, limit);
    }
    return Collections.unmodifiableMap(out);
  }
}
