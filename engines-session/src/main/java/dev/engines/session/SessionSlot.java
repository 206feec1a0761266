package dev.engines.session;

import dev.engines.config.SlotBounds;
import dev.engines.config.SlotInteger;
import dev.engines.config.SlotRecords;
import dev.engines.core.error.InvalidFieldsException;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * The settings of a tenant/env's {@code session} config slot. Every field is required (a typo never
 * leaves a default in force) and bounded by the deployment ({@link SessionSettings}); blackboard
 * values are at most {@value #MAX_BLACKBOARD_BYTES} bytes everywhere. Writes bind to {@link
 * Settings}, whose constraints Bean Validation checks ({@link SlotRecords}).
 *
 * @param defaultTtlSeconds the TTL of a session created without {@code ttl_seconds}
 * @param maxTtlSeconds the longest {@code ttl_seconds} a session may ask for
 * @param maxTurns the most turns one session holds
 * @param maxTurnChars the longest turn content, in chars
 * @param blackboardMaxBytes the largest blackboard value, in bytes of its JSON
 * @param blackboardMaxKeys the most blackboard entries one session holds
 */
public record SessionSlot(
    int defaultTtlSeconds,
    int maxTtlSeconds,
    int maxTurns,
    int maxTurnChars,
    int blackboardMaxBytes,
    int blackboardMaxKeys) {

  /** The slot's name in {@code /v1/config/{slot}}. */
  public static final String SLOT = "session";

  /** The largest blackboard value any slot may allow (64 KiB). */
  public static final int MAX_BLACKBOARD_BYTES = 65_536;

  private static final String RANGE = "must be between {min} and the deployment bound {max}";

  /**
   * The slot's settings as written: every field required, from its least value to the deployment's
   * bound; {@code default_ttl_seconds} at most {@code max_ttl_seconds}.
   */
  @DefaultTtlWithinMax
  public record Settings(
      @SlotInteger(min = 60, bound = "max_ttl_seconds", range = RANGE) Long maxTtlSeconds,
      @SlotInteger(min = 60, bound = "max_ttl_seconds", range = RANGE) Long defaultTtlSeconds,
      @SlotInteger(bound = "max_turns", range = RANGE) Long maxTurns,
      @SlotInteger(bound = "max_turn_chars", range = RANGE) Long maxTurnChars,
      @SlotInteger(bound = "blackboard_max_bytes", range = RANGE) Long blackboardMaxBytes,
      @SlotInteger(bound = "blackboard_max_keys", range = RANGE) Long blackboardMaxKeys) {}

  /** The cross-field rule of {@link Settings}, judged once both TTLs are valid on their own. */
  @Constraint(validatedBy = DefaultTtlWithinMax.Check.class)
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @interface DefaultTtlWithinMax {

    String message() default "must not exceed max_ttl_seconds";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Names {@code default_ttl_seconds} when it is above {@code max_ttl_seconds}. */
    final class Check implements ConstraintValidator<DefaultTtlWithinMax, Settings> {

      @Override
      public boolean isValid(Settings settings, ConstraintValidatorContext context) {
        long bound =
            context
                .unwrap(HibernateConstraintValidatorContext.class)
                .getConstraintValidatorPayload(SlotBounds.class)
                .bound("max_ttl_seconds");
        Long max = settings.maxTtlSeconds();
        Long fallback = settings.defaultTtlSeconds();
        if (max == null
            || fallback == null
            || max < 60
            || max > bound
            || fallback < 60
            || fallback > bound
            || fallback <= max) {
          return true;
        }
        context.disableDefaultConstraintViolation();
        context
            .buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
            .addPropertyNode("defaultTtlSeconds")
            .addConstraintViolation();
        return false;
      }
    }
  }

  /** The write rules of a deployment: build once, validate every write with them. */
  public static SlotRecords<Settings> records(SessionSettings deployment) {
    return new SlotRecords<>(
        SLOT,
        Settings.class,
        new SlotBounds(
            Map.of(
                "max_ttl_seconds", (long) deployment.maxTtlSeconds(),
                "max_turns", (long) deployment.maxTurns(),
                "max_turn_chars", (long) deployment.maxTurnChars(),
                "blackboard_max_bytes", (long) MAX_BLACKBOARD_BYTES,
                "blackboard_max_keys", (long) deployment.maxBlackboardKeys())));
  }

  /**
   * Validates {@code settings} against the deployment's bounds and answers their canonical form
   * (sorted keys) to store.
   *
   * @throws InvalidFieldsException naming every invalid field
   */
  public static Map<String, Object> validate(
      Map<String, Object> settings, SessionSettings deployment) {
    return validate(settings, records(deployment));
  }

  /** As {@link #validate(Map, SessionSettings)}, with rules built once by {@link #records}. */
  public static Map<String, Object> validate(
      Map<String, Object> settings, SlotRecords<Settings> records) {
    return records.canonical(records.bind(settings));
  }

  /**
   * Reads stored settings (validated when written). The deployment stays the outer bound for slots
   * written before it changed: values above today's bounds are lowered to them.
   */
  public static SessionSlot read(Map<String, Object> stored, SessionSettings deployment) {
    int maxTtl = Math.min(number(stored, "max_ttl_seconds"), deployment.maxTtlSeconds());
    return new SessionSlot(
        Math.min(number(stored, "default_ttl_seconds"), maxTtl),
        maxTtl,
        Math.min(number(stored, "max_turns"), deployment.maxTurns()),
        Math.min(number(stored, "max_turn_chars"), deployment.maxTurnChars()),
        Math.min(number(stored, "blackboard_max_bytes"), MAX_BLACKBOARD_BYTES),
        Math.min(number(stored, "blackboard_max_keys"), deployment.maxBlackboardKeys()));
  }

  private static int number(Map<String, Object> stored, String field) {
    return ((Number) stored.get(field)).intValue();
  }
}
