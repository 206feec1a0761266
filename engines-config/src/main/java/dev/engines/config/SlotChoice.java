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
import java.util.SortedSet;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * A setting that names one of the deployment's values ({@link String} component): one of the {@link
 * SlotBounds#choices(String)} named {@link #of()}; required unless the deployment offers none, and
 * then it must be left out (a bucket on a backend without buckets). In the messages {@code
 * {choices}} stands for the allowed values.
 */
@Documented
@Constraint(validatedBy = SlotChoice.Check.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface SlotChoice {

  /** The name of the allowed values in {@link SlotBounds}. */
  String of();

  /** When the field is missing and the deployment offers values. */
  String required() default "is required: one of {choices}";

  /** When the value is not one of them. */
  String item() default "must be one of {choices}";

  /** When the field is given but the deployment offers no value for it. */
  String absent() default "must be left out: this deployment offers none";

  /** Unused: the messages above are built from the choices. */
  String message() default "";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check: absent when nothing is offered, else present and one of the choices. */
  final class Check implements ConstraintValidator<SlotChoice, String> {

    private SlotChoice rule;

    @Override
    public void initialize(SlotChoice constraint) {
      this.rule = constraint;
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      HibernateConstraintValidatorContext hibernate =
          context.unwrap(HibernateConstraintValidatorContext.class);
      SortedSet<String> allowed =
          hibernate.getConstraintValidatorPayload(SlotBounds.class).choices(rule.of());
      String template;
      if (allowed.isEmpty()) {
        if (value == null) {
          return true;
        }
        template = rule.absent();
      } else if (value == null) {
        template = rule.required();
      } else if (!allowed.contains(value)) {
        template = rule.item();
      } else {
        return true;
      }
      hibernate.disableDefaultConstraintViolation();
      hibernate
          .buildConstraintViolationWithTemplate(SlotSubset.Check.fill(template, allowed))
          .addConstraintViolation();
      return false;
    }
  }
}
