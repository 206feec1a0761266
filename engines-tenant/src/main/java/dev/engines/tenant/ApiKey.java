package dev.engines.tenant;

import dev.engines.core.scope.Env;
import dev.engines.core.scope.Role;
import java.time.Instant;
import java.util.Set;

/**
 * An API key's metadata. The secret is never stored or returned after issue; {@code prefix} is the
 * public part that identifies the key in listings and logs.
 *
 * @param kind {@code personal} (acts as its user, with the user's current role) or {@code service}
 * @param userId the owning user for personal keys, else null
 * @param role the service key's role, else null
 * @param envs the envs a key may use, or null for all
 * @param actOnBehalf whether a service key may send {@code X-User-Id}
 */
public record ApiKey(
    String tenantId,
    String keyId,
    String prefix,
    String kind,
    String name,
    String userId,
    Role role,
    Set<Env> envs,
    boolean actOnBehalf,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Instant lastUsedAt,
    Instant previousSecretValidUntil) {

  public static final String PERSONAL = "personal";
  public static final String SERVICE = "service";
}
