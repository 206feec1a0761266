package dev.engines.config;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Field rules shared by the slots' validators: unknown fields, bounded integers and the one problem
 * that names every invalid field. Messages name the field and the bound, never echo a value.
 */
public final class SlotFields {

  private SlotFields() {}

  /** Names every field of {@code in} that is not one of {@code known}. */
  public static void unknown(Map<String, Object> in, Set<String> known, List<FieldError> errors) {
    in.keySet().stream()
        .filter(k -> !known.contains(k))
        .sorted()
        .forEach(
            k ->
                errors.add(
                    new FieldError(
                        k, "is not a field of this slot; fields are " + new TreeSet<>(known))));
  }

  /** A required integer field in 1..cap, stored as a long. */
  public static void bounded(
      Map<String, Object> in,
      Map<String, Object> out,
      List<FieldError> errors,
      String field,
      long cap) {
    Object value = in.get(field);
    if (value == null) {
      errors.add(new FieldError(field, "is required (1 to " + cap + ")"));
      return;
    }
    if (!(value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof Short)) {
      errors.add(new FieldError(field, "must be an integer (1 to " + cap + ")"));
      return;
    }
    BigInteger number =
        value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
    if (number.signum() < 1 || number.compareTo(BigInteger.valueOf(cap)) > 0) {
      errors.add(new FieldError(field, "must be between 1 and the deployment cap " + cap));
      return;
    }
    out.put(field, number.longValue());
  }

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
