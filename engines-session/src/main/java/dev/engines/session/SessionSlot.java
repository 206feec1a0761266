package dev.engines.session;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of a tenant/env's {@code session} config slot. Every field is required (a typo never
 * leaves a default in force) and bounded by the deployment ({@link SessionSettings}); blackboard
 * values are at most {@value #MAX_BLACKBOARD_BYTES} bytes everywhere.
 *
 * @param defaultTtlSeconds the TTL of a session created without {@code ttl_seconds}
 * @param maxTtlSeconds the longest {@code ttl_seconds} a session may ask for
 * @param maxTurns the most turns one session holds
 * @param maxTurnChars the longest turn content, in chars
 * @param blackboardMaxBytes the largest blackboard value, in bytes of its JSON
 * @param blackboardMaxKeys the most blackboard entries one session holds
 */
public record SessionSlot(int defaultTtlSeconds, int maxTtlSeconds, int maxTurns, int maxTurnChars, int blackboardMaxBytes,
    int blackboardMaxKeys) {

  /** The slot's name in {@code /v1/config/{slot}}. */
  public static final String SLOT = "session";

  /** The largest blackboard value any slot may allow (64 KiB). */
  public static final int MAX_BLACKBOARD_BYTES = 65_536;

  private static final Set<String> FIELDS = Set.of("default_ttl_seconds", "max_ttl_seconds", "max_turns", "max_turn_chars",
      "blackboard_max_bytes", "blackboard_max_keys");

  /**
   * Validates {@code settings} against the deployment's bounds and answers their canonical form
   * (sorted keys) to store.
   *
   * @throws InvalidFieldsException naming every invalid field
   */
  public static Map<String, Object> validate(Map<String, Object> settings, SessionSettings deployment) {
    Map<String, Object> in = settings == null ? Map.of() : settings;
    List<FieldError> errors = new ArrayList<>();
    in.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted()
        .forEach(k -> errors.add(new FieldError(k, "is not a field of this slot; fields are " + new TreeSet<>(FIELDS))));
    Map<String, Object> out = new TreeMap<>();
    Long maxTtl = bounded(in, out, errors, "max_ttl_seconds", 60, deployment.maxTtlSeconds());
    Long defaultTtl = bounded(in, out, errors, "default_ttl_seconds", 60, deployment.maxTtlSeconds());
    if (maxTtl != null && defaultTtl != null && defaultTtl > maxTtl) {
      errors.add(new FieldError("default_ttl_seconds", "must not exceed max_ttl_seconds"));
    }
    bounded(in, out, errors, "max_turns", 1, deployment.maxTurns());
    bounded(in, out, errors, "max_turn_chars", 1, deployment.maxTurnChars());
    bounded(in, out, errors, "blackboard_max_bytes", 1, MAX_BLACKBOARD_BYTES);
    bounded(in, out, errors, "blackboard_max_keys", 1, deployment.maxBlackboardKeys());
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The " + SLOT + " settings are invalid.", errors);
    }
    return out;
  }

  /**
   * Reads stored settings (validated when written). The deployment stays the outer bound for
   * slots written before it changed: values above today's bounds are lowered to them.
   */
  public static SessionSlot read(Map<String, Object> stored, SessionSettings deployment) {
    int maxTtl = Math.min(number(stored, "max_ttl_seconds"), deployment.maxTtlSeconds());
    return new SessionSlot(Math.min(number(stored, "default_ttl_seconds"), maxTtl), maxTtl,
        Math.min(number(stored, "max_turns"), deployment.maxTurns()),
        Math.min(number(stored, "max_turn_chars"), deployment.maxTurnChars()),
        Math.min(number(stored, "blackboard_max_bytes"), MAX_BLACKBOARD_BYTES),
        Math.min(number(stored, "blackboard_max_keys"), deployment.maxBlackboardKeys()));
  }

  private static int number(Map<String, Object> stored, String field) {
    return ((Number) stored.get(field)).intValue();
  }

  /** An integer field in min..max, copied to {@code out}; answers it, or null when invalid. */
  private static Long bounded(Map<String, Object> in, Map<String, Object> out, List<FieldError> errors, String field,
      long min, long max) {
    Object value = in.get(field);
    String range = "(" + min + " to " + max + ")";
    if (value == null) {
      errors.add(new FieldError(field, "is required " + range));
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger || value instanceof Short)) {
      errors.add(new FieldError(field, "must be an integer " + range));
      return null;
    }
    BigInteger number = value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
    if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
      errors.add(new FieldError(field, "must be between " + min + " and the deployment bound " + max));
      return null;
    }
    out.put(field, number.longValue());
    return number.longValue();
  }
}
