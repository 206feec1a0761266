package dev.engines.tenant;

import dev.engines.core.scope.Role;
import java.time.Instant;

/**
 * A member of one tenant. Users are per tenant: the same person in two tenants is two rows, so
 * nothing about a membership can leak across tenants.
 *
 * @param idpIssuer OIDC issuer mapped to this user, or null
 * @param idpSubject OIDC subject mapped to this user, or null
 * @param version bumped by every change of the membership (role, status): its {@code ETag}
 */
public record User(
    String tenantId,
    String userId,
    String email,
    String displayName,
    Role role,
    String status,
    String idpIssuer,
    String idpSubject,
    Instant createdAt,
    Instant updatedAt,
    int version) {

  public static final String ACTIVE = "active";
  public static final String DEACTIVATED = "deactivated";

  public boolean active() {
    return ACTIVE.equals(status);
  }
}
