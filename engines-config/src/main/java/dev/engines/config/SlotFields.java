package dev.engines.config;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.util.List;

/**
 * The one problem that names every invalid field of a slot's settings, shared by {@link
 * SlotRecords} and the slots' cross-field checks. Messages name the field and the bound, never echo
 * a value.
 */
public final class SlotFields {

  private SlotFields() {}

  /**
   * Throws the problem naming every invalid field of {@code slot}'s settings, if there is one.
   *
   * @throws InvalidFieldsException 400 when {@code errors} is not empty
   */
  public static void requireValid(String slot, List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The " + slot + " settings are invalid.", errors);
    }
  }
}
