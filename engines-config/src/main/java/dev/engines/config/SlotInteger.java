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
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * A required integer setting of a config slot, from {@link #min()} to a bound the deployment sets:
 * the bound is looked up by {@link #bound()} in the {@link SlotBounds} that {@link SlotRecords}
 * hands the validation, so one record type serves every deployment. The messages name the range,
 * never the value: {@code is required (1 to 500)}, {@code must be an integer (1 to 500)} (from the
 * binding), {@code must be between 1 and the deployment cap 500}.
 */
@Documented
@Constraint(validatedBy = SlotInteger.Check.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface SlotInteger {

  /** The least value allowed. */
  long min() default 1;

  /** The name of the deployment's bound in {@link SlotBounds}, usually the field's JSON name. */
  String bound();

  /** How the range message names the bound, e.g. {@code deployment cap} or {@code deployment bound}. */
  String boundName() default "deployment cap";

  /** Unused: the messages are built from the range (Bean Validation requires the attribute). */
  String message() default "";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check: required, then within min..bound. */
  final class Check implements ConstraintValidator<SlotInteger, Long> {

    private SlotInteger rule;

    @Override
    public void initialize(SlotInteger constraint) {
      this.rule = constraint;
    }

    @Override
    public boolean isValid(Long value, ConstraintValidatorContext context) {
      HibernateConstraintValidatorContext hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
      long max = hibernate.getConstraintValidatorPayload(SlotBounds.class).get(rule.bound());
      String message;
      if (value == null) {
        message = "is required " + range(rule, max);
      } else if (value < rule.min() || value > max) {
        message = "must be between " + rule.min() + " and the " + rule.boundName() + " " + max;
      } else {
        return true;
      }
      hibernate.disableDefaultConstraintViolation();
      // Literal text (digits and words only), so no message interpolation can change it.
      hibernate.buildConstraintViolationWithTemplate(message).addConstraintViolation();
      return false;
    }

    /** {@code (min to max)}, as the messages write a range. */
    static String range(SlotInteger rule, long max) {
      return "(" + rule.min() + " to " + max + ")";
    }
  }
}
