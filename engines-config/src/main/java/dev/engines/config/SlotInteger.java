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
 * An integer setting of a config slot ({@link Long} component; required unless {@link
 * #optional()}), from {@link #min()} to a bound the deployment sets: the bound is looked up by
 * {@link #bound()} in the {@link SlotBounds} that {@link SlotRecords} hands the validation, so one
 * record type serves every deployment. The messages name the range, never the value; in their
 * templates {@code {min}} and {@code {max}} stand for the range (filled in before Bean Validation
 * sees the text, so nothing else in it is interpolated).
 */
@Documented
@Constraint(validatedBy = SlotInteger.Check.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface SlotInteger {

  /** The least value allowed. */
  long min() default 1;

  /** Whether the field may be left out (then the deployment's value holds). */
  boolean optional() default false;

  /** The name of the deployment's bound in {@link SlotBounds}, usually the field's JSON name. */
  String bound();

  /** When the field is missing. */
  String required() default "is required ({min} to {max})";

  /** When the JSON value is not an integer (the binding's message). */
  String type() default "must be an integer ({min} to {max})";

  /** When the integer is out of range. */
  String range() default "must be between {min} and the deployment cap {max}";

  /**
   * Unused: the messages above are built from the range (Bean Validation requires the attribute).
   */
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
      HibernateConstraintValidatorContext hibernate =
          context.unwrap(HibernateConstraintValidatorContext.class);
      long max = hibernate.getConstraintValidatorPayload(SlotBounds.class).bound(rule.bound());
      String template;
      if (value == null && rule.optional()) {
        return true;
      } else if (value == null) {
        template = rule.required();
      } else if (value < rule.min() || value > max) {
        template = rule.range();
      } else {
        return true;
      }
      hibernate.disableDefaultConstraintViolation();
      hibernate
          .buildConstraintViolationWithTemplate(fill(template, rule, max))
          .addConstraintViolation();
      return false;
    }

    /** The template with its range filled in. */
    static String fill(String template, SlotInteger rule, long max) {
      return template
          .replace("{min}", Long.toString(rule.min()))
          .replace("{max}", Long.toString(max));
    }
  }
}
