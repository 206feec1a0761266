package dev.engines.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.SortedSet;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * An optional table of integers by name ({@code Map<String, Long>} component), such as prices by
 * action: every key one of the {@link SlotBounds#choices(String)} named {@link #keys()}, every
 * value from {@link #min()} to the bound named {@link #bound()}. An entry is named by its key
 * ({@code budgets.prices.nexus:derive}); the messages name the range, never the value.
 */
@Documented
@Constraint(validatedBy = SlotKeyedIntegers.Check.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface SlotKeyedIntegers {

  /** The name of the allowed keys in {@link SlotBounds}. */
  String keys();

  /** The least value allowed. */
  long min() default 0;

  /** The name of the largest value allowed in {@link SlotBounds}. */
  String bound();

  /** When a key is not one of the allowed ones. */
  String key() default "is not allowed here";

  /** When a value is out of range; {@code {min}} and {@code {max}} stand for the range. */
  String range() default "must be an integer from {min} to {max}";

  /** Unused: the messages above are built from the rule. */
  String message() default "";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check: known keys, values in range. */
  final class Check implements ConstraintValidator<SlotKeyedIntegers, Map<String, Long>> {

    private SlotKeyedIntegers rule;

    @Override
    public void initialize(SlotKeyedIntegers constraint) {
      this.rule = constraint;
    }

    @Override
    public boolean isValid(Map<String, Long> value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      HibernateConstraintValidatorContext hibernate =
          context.unwrap(HibernateConstraintValidatorContext.class);
      SlotBounds bounds = hibernate.getConstraintValidatorPayload(SlotBounds.class);
      SortedSet<String> keys = bounds.choices(rule.keys());
      long max = bounds.bound(rule.bound());
      hibernate.disableDefaultConstraintViolation();
      boolean valid = true;
      for (Map.Entry<String, Long> entry : value.entrySet()) {
        String message = null;
        if (!keys.contains(entry.getKey())) {
          message = rule.key();
        } else if (entry.getValue() < rule.min() || entry.getValue() > max) {
          message =
              rule.range()
                  .replace("{min}", Long.toString(rule.min()))
                  .replace("{max}", Long.toString(max));
        }
        if (message != null) {
          hibernate
              .buildConstraintViolationWithTemplate(message)
              .addBeanNode()
              .inIterable()
              .atKey(entry.getKey())
              .addConstraintViolation();
          valid = false;
        }
      }
      return valid;
    }
  }
}
