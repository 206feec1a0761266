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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * An optional setting that picks some of the deployment's values ({@code List<String>} component;
 * absent means all of them): not empty, every item one of the {@link SlotBounds#choices(String)}
 * named {@link #of()}, none twice. An item is named by its index ({@code atomizers[2]}). Stored
 * sorted ({@link SlotRecords#canonical}). In the messages {@code {choices}} stands for the allowed
 * values, e.g. {@code [cosine, dot, l2]}.
 */
@Documented
@Constraint(validatedBy = SlotSubset.Check.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface SlotSubset {

  /** The name of the allowed values in {@link SlotBounds}. */
  String of();

  /** When the value is not a list, or an empty one (the binding's message too). */
  String list() default "must be a non-empty list of {choices} (leave it out for all of them)";

  /** When an item is not one of the choices (or not a string). */
  String item() default "must be one of {choices}";

  /** When an item repeats an earlier one. */
  String twice() default "is listed twice";

  /**
   * Unused: the messages above are built from the choices (Bean Validation requires the attribute).
   */
  String message() default "";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check: non-empty, known items, no repeats. */
  final class Check implements ConstraintValidator<SlotSubset, List<String>> {

    private SlotSubset rule;

    @Override
    public void initialize(SlotSubset constraint) {
      this.rule = constraint;
    }

    @Override
    public boolean isValid(List<String> value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      HibernateConstraintValidatorContext hibernate =
          context.unwrap(HibernateConstraintValidatorContext.class);
      SortedSet<String> allowed =
          hibernate.getConstraintValidatorPayload(SlotBounds.class).choices(rule.of());
      hibernate.disableDefaultConstraintViolation();
      if (value.isEmpty()) {
        hibernate
            .buildConstraintViolationWithTemplate(fill(rule.list(), allowed))
            .addConstraintViolation();
        return false;
      }
      boolean valid = true;
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < value.size(); i++) {
        String item = value.get(i);
        String message = null;
        if (item == null || !allowed.contains(item)) {
          message = fill(rule.item(), allowed);
        } else if (!seen.add(item)) {
          message = fill(rule.twice(), allowed);
        }
        if (message != null) {
          hibernate
              .buildConstraintViolationWithTemplate(message)
              .addBeanNode()
              .inIterable()
              .atIndex(i)
              .addConstraintViolation();
          valid = false;
        }
      }
      return valid;
    }

    /** The template with the allowed values filled in. */
    static String fill(String template, SortedSet<String> allowed) {
      return template.replace("{choices}", allowed.toString());
    }
  }
}
