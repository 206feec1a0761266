package dev.engines.api.tenancy;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Role;
import dev.engines.tenant.ApiKey;
import dev.engines.tenant.ApiKeys;
import dev.engines.tenant.TenantActions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * API keys. Every caller manages its own keys (its user's personal keys, the key it uses); admins
 * also manage the keys of the ranks below their own, owners every key (the rank rule of {@link
 * ApiKeys}, the same as for role changes).
 */
@RestController
@Tag(name = "api-keys", description = "Personal and service API keys")
public class ApiKeyController {

  private final ApiKeys keys;

  public ApiKeyController(ApiKeys keys) {
    this.keys = keys;
  }

  /**
   * Body of a key creation.
   *
   * @param kind personal or service
   * @param userId personal keys: the owner (default: the caller)
   * @param role service keys: owner/admin/member/viewer
   * @param envs service keys: env grants (omit for all)
   * @param actOnBehalf service keys: may send X-User-Id
   * @param expiresAt optional; at most the configured maximum lifetime
   */
  public record CreateKey(
      @Schema(allowableValues = {"personal", "service"}) @NotBlank String kind,
      @NotBlank String name,
      String userId,
      String role,
      List<String> envs,
      Boolean actOnBehalf,
      Instant expiresAt) {}

  /** Body of a rotation. @param overlapSeconds how long the old secret keeps working */
  public record RotateKey(Long overlapSeconds) {}

  @PostMapping("/v1/api-keys")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      operationId = "createApiKey",
      summary = "Create an API key; the token is in the response once and never again")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "api_key.create",
      kind = Kind.WRITE,
      gate = TenantActions.API_KEY_CREATE,
      creates = true)
  public ResponseEntity<Views.IssuedKeyView> create(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody CreateKey body) {
    Set<Env> envs = null;
    if (body.envs() != null) {
      envs = EnumSet.noneOf(Env.class);
      for (String env : body.envs()) {
        envs.add(Env.parse(env));
      }
    }
    Views.IssuedKeyView issued =
        Views.issued(
            keys.create(
                caller,
                new ApiKeys.NewKey(
                    body.kind(),
                    body.name(),
                    body.userId(),
                    body.role() == null ? null : Role.parse(body.role()),
                    envs,
                    Boolean.TRUE.equals(body.actOnBehalf()),
                    body.expiresAt())));
    return ResponseEntity.created(URI.create("/v1/api-keys/" + issued.key().keyId())).body(issued);
  }

  @GetMapping("/v1/api-keys")
  @Operation(
      operationId = "listApiKeys",
      summary = "List keys by id (admins: all; others: their own personal keys)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "api_key.list",
      kind = Kind.READ,
      gate = TenantActions.API_KEY_LIST)
  public Page<Views.KeyView> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    Page<ApiKey> page = keys.list(caller, cursor, Cursors.limit(limit, 100));
    return new Page<>(page.items().stream().map(Views::key).toList(), page.nextCursor());
  }

  @GetMapping("/v1/api-keys/{keyId}")
  @Operation(operationId = "getApiKey", summary = "Read one key's metadata")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "api_key.get",
      kind = Kind.READ,
      gate = TenantActions.API_KEY_GET)
  public Views.KeyView get(@Parameter(hidden = true) Caller caller, @PathVariable String keyId) {
    return Views.key(keys.get(caller, keyId));
  }

  @PostMapping("/v1/api-keys/{keyId}/revoke")
  @Operation(
      operationId = "revokeApiKey",
      summary = "Revoke a key: it fails from the next request on")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "api_key.revoke",
      kind = Kind.WRITE,
      gate = TenantActions.API_KEY_REVOKE)
  public Views.KeyView revoke(@Parameter(hidden = true) Caller caller, @PathVariable String keyId) {
    return Views.key(keys.revoke(caller, keyId));
  }

  @PostMapping("/v1/api-keys/{keyId}/rotate")
  @Operation(
      operationId = "rotateApiKey",
      summary = "Issue a new secret; the old one keeps working for the overlap")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "api_key.rotate",
      kind = Kind.WRITE,
      gate = TenantActions.API_KEY_ROTATE)
  public Views.IssuedKeyView rotate(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String keyId,
      @RequestBody(required = false) RotateKey body) {
    Duration overlap = null;
    if (body != null && body.overlapSeconds() != null) {
      if (body.overlapSeconds() < 0) {
        throw EnginesException.validation("overlap_seconds must not be negative.");
      }
      overlap = Duration.ofSeconds(body.overlapSeconds());
    }
    return Views.issued(keys.rotate(caller, keyId, overlap));
  }
}
