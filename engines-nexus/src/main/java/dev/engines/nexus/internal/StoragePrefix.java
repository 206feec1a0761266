package dev.engines.nexus.internal;

import dev.engines.config.SlotBounds;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.ObjectKey;
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
 * The storage slot's {@code prefix}: a {@link BucketPrefix} that still is one once the deployment's
 * own prefix ({@link SlotBounds#text(String)} {@value #DEPLOYMENT_PREFIX}) goes in front, and
 * without the key layout's reserved segment: else this tenant's keys could lie where another
 * tenant's keys (and its reconcile) are. {@code ""} is no prefix.
 */
@Documented
@Constraint(validatedBy = StoragePrefix.Check.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface StoragePrefix {

  /** The name of the deployment's own prefix in {@link SlotBounds#texts()}. */
  String DEPLOYMENT_PREFIX = "deployment_prefix";

  /** Unused: the message is the prefix rule that failed. */
  String message() default "";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check: the reserved segment, then the prefix rules on the joined prefix. */
  final class Check implements ConstraintValidator<StoragePrefix, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null || value.isEmpty()) {
        return true;
      }
      HibernateConstraintValidatorContext hibernate =
          context.unwrap(HibernateConstraintValidatorContext.class);
      String problem;
      try {
        if (new BucketPrefix(value).overlapsKeyLayout()) {
          problem =
              "must not contain the segment '"
                  + ObjectKey.ROOT
                  + "' in any case or encoding: object keys start with it";
        } else {
          String deployment =
              hibernate.getConstraintValidatorPayload(SlotBounds.class).text(DEPLOYMENT_PREFIX);
          new BucketPrefix(BucketPrefix.join(deployment, value));
          return true;
        }
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
      hibernate.disableDefaultConstraintViolation();
      // A literal message: the prefix rule's text is not a template to interpolate.
      hibernate
          .buildConstraintViolationWithTemplate(problem.replace("{", "\\{").replace("$", "\\$"))
          .addConstraintViolation();
      return false;
    }
  }
}
