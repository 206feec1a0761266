package dev.engines.tenant.internal;

import dev.engines.core.error.EnginesException;
import java.util.regex.Pattern;

/** Input checks shared by the tenancy services; messages name the field, never echo its value. */
public final class Validation {

  private static final Pattern EMAIL =
      Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}$");

  private Validation() {}

  /**
   * {@code value} when present, at most {@code max} chars and free of control characters; else 400.
   */
  public static String text(String field, String value, int max) {
    if (value == null
        || value.isBlank()
        || value.length() > max
        || value.chars().anyMatch(c -> c < 0x20)) {
      throw EnginesException.validation(
          field + " is required, at most " + max + " characters, without control characters.");
    }
    return value;
  }

  /** {@code value} when it is shaped like an e-mail address (at most 320 chars); else 400. */
  public static String email(String value) {
    if (value == null || value.length() > 320 || !EMAIL.matcher(value).matches()) {
      throw EnginesException.validation("email must be a valid address.");
    }
    return value;
  }

  /** An OIDC identity is both issuer and subject, or neither; else 400. */
  public static void idp(String issuer, String subject) {
    if ((issuer == null) != (subject == null)) {
      throw EnginesException.validation("idp_issuer and idp_subject go together.");
    }
    if (issuer != null) {
      text("idp_issuer", issuer, 500);
      text("idp_subject", subject, 500);
    }
  }
}
