package dev.engines.api.tenancy;

import dev.engines.core.scope.Env;
import dev.engines.tenant.ApiKey;
import dev.engines.tenant.IssuedKey;
import dev.engines.tenant.Tenant;
import dev.engines.tenant.User;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** Response shapes of the tenancy routes. Secrets appear only in {@link IssuedKeyView}. */
final class Views {

  private Views() {}

  /**
   * @param version bumped by every change of the membership; the {@code ETag} of the member's
   *     routes
   */
  record UserView(
      String userId,
      String email,
      String displayName,
      String role,
      String status,
      String idpIssuer,
      String idpSubject,
      Instant createdAt,
      Instant updatedAt,
      int version) {}

  record KeyView(
      String keyId,
      String prefix,
      @Schema(allowableValues = {"personal", "service"}) String kind,
      String name,
      String userId,
      String role,
      List<String> envs,
      boolean actOnBehalf,
      String createdBy,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt,
      Instant lastUsedAt,
      Instant previousSecretValidUntil) {}

  /**
   * @param token the full API key; shown once, never retrievable again
   */
  record IssuedKeyView(KeyView key, String token) {}

  record ProvisionedView(Tenant tenant, UserView owner, IssuedKeyView ownerKey) {}

  static UserView user(User u) {
    return new UserView(
        u.userId(),
        u.email(),
        u.displayName(),
        u.role().wire(),
        u.status(),
        u.idpIssuer(),
        u.idpSubject(),
        u.createdAt(),
        u.updatedAt(),
        u.version());
  }

  static KeyView key(ApiKey k) {
    return new KeyView(
        k.keyId(),
        k.prefix(),
        k.kind(),
        k.name(),
        k.userId(),
        k.role() == null ? null : k.role().wire(),
        k.envs() == null ? null : k.envs().stream().sorted().map(Env::wire).toList(),
        k.actOnBehalf(),
        k.createdBy(),
        k.createdAt(),
        k.expiresAt(),
        k.revokedAt(),
        k.lastUsedAt(),
        k.previousSecretValidUntil());
  }

  static IssuedKeyView issued(IssuedKey issued) {
    return new IssuedKeyView(key(issued.key()), issued.token());
  }
}
