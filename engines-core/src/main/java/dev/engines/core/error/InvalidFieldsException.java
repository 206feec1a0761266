package dev.engines.core.error;

import java.util.List;
import java.util.Objects;

/**
 * A 400 {@code validation_failed} problem that names every invalid field of a request at once, so a
 * caller fixes them in one round trip. The API renders {@link #errors()} as the problem's {@code
 * errors} member, like bean-validation failures. Messages name rules and bounds, never values.
 */
public class InvalidFieldsException extends EnginesException {

  /**
   * One invalid field.
   *
   * @param field the field's wire name, dotted for nested members (e.g. {@code atomizers[2]})
   * @param message which rule it breaks
   */
  public record FieldError(String field, String message) {

    public FieldError {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }
  }

  private final List<FieldError> errors;

  /**
   * @param errors at least one
   */
  public InvalidFieldsException(String detail, List<FieldError> errors) {
    super(400, ProblemCodes.VALIDATION_FAILED, detail);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException(
          "an InvalidFieldsException needs at least one field error");
    }
    this.errors = List.copyOf(errors);
  }

  /** The invalid fields, in the order they were checked. */
  public List<FieldError> errors() {
    return errors;
  }
}
