package dev.engines.core.scope;

import dev.engines.core.error.EnginesException;
import java.util.Locale;

/**
 * A member's role in a tenant. Each role includes the ones below it: {@code owner ⊃ admin ⊃ member
 * ⊃ viewer}.
 */
public enum Role {
  VIEWER,
  MEMBER,
  ADMIN,
  OWNER;

  /** Whether this role includes {@code required}. */
  public boolean atLeast(Role required) {
    return compareTo(required) >= 0;
  }

  /** The lower of two roles: what a service acting for a user may do. */
  public static Role min(Role a, Role b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code owner|admin|member|viewer}; anything else is a 400 {@code validation_failed}. */
  public static Role parse(String value) {
    if (value != null) {
      for (Role role : values()) {
        if (role.wire().equals(value)) {
          return role;
        }
      }
    }
    throw EnginesException.validation("role must be one of owner, admin, member, viewer.");
  }

  @Override
  public String toString() {
    return wire();
  }
}
