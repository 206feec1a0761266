package dev.engines.core.scope;

import dev.engines.core.error.EnginesException;
import java.util.regex.Pattern;

/**
 * A tenant identifier such as {@code t_acme}. Validated on construction, so any instance is safe to
 * use in SQL parameters, object keys and log fields.
 */
public record TenantId(String value) {

  private static final Pattern FORMAT = Pattern.compile("^t_[a-z0-9_-]{1,62}$");

  public TenantId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw EnginesException.badRequest(
          "tenant_invalid", "Tenant id must match ^t_[a-z0-9_-]+$ (at most 64 characters).");
    }
  }

  /** Parses a header or path value. */
  public static TenantId of(String value) {
    return new TenantId(value);
  }

  /** Whether {@code value} is a well-formed tenant id. */
  public static boolean isValid(String value) {
    return value != null && FORMAT.matcher(value).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
