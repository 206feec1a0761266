package dev.engines.api.tenancy;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.version.Preconditions;
import dev.engines.tenant.Members;
import dev.engines.tenant.TenantActions;
import dev.engines.tenant.TenantDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's tenant, its identity and its members. A member is versioned: its version is the
 * {@code ETag} of every answer about it, and a change under {@code If-Match} with another version
 * answers 412 {@code precondition_failed}.
 */
@RestController
@Tag(name = "tenant", description = "The caller's tenant, identity and members")
public class MemberController {

  private final Members members;
  private final TenantDirectory tenants;

  public MemberController(Members members, TenantDirectory tenants) {
    this.members = members;
    this.tenants = tenants;
  }

  /** Body of a member invitation. */
  public record CreateUser(
      @NotBlank String email,
      @NotBlank String displayName,
      @NotBlank String role,
      String idpIssuer,
      String idpSubject) {}

  /** Body of a role change. */
  public record ChangeRole(@NotBlank String role) {}

  /**
   * Who a credential acts as in the requested tenant/env.
   *
   * @param keyId the API key used, null for an OIDC token
   * @param onBehalfOf the user a service key acts for (X-User-Id), else null
   * @param role the effective role
   */
  public record MeView(
      String tenantId,
      String env,
      String actorType,
      String actorId,
      String keyId,
      String onBehalfOf,
      String role) {}

  @GetMapping("/v1/me")
  @Operation(
      operationId = "getMe",
      summary = "Who the credential acts as in this tenant/env, with the effective role")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "me.get",
      kind = Kind.READ,
      gate = TenantActions.ME_GET)
  public MeView me(@Parameter(hidden = true) Caller caller) {
    return new MeView(
        caller.scope().tenantId(),
        caller.scope().env().wire(),
        caller.actorType().wire(),
        caller.actorId(),
        caller.keyId(),
        caller.onBehalfOf(),
        caller.role().wire());
  }

  @GetMapping("/v1/tenant")
  @Operation(operationId = "getCurrentTenant", summary = "The caller's tenant")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "tenant.get",
      kind = Kind.READ,
      gate = TenantActions.TENANT_GET)
  public dev.engines.tenant.Tenant tenant(@Parameter(hidden = true) Caller caller) {
    return tenants.current(caller);
  }

  @GetMapping("/v1/users")
  @Operation(operationId = "listUsers", summary = "List members, ordered by user id")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "user.list",
      kind = Kind.READ,
      gate = TenantActions.USER_LIST)
  public Page<Views.UserView> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    Page<dev.engines.tenant.User> page = members.list(caller, cursor, Cursors.limit(limit, 100));
    return new Page<>(page.items().stream().map(Views::user).toList(), page.nextCursor());
  }

  @PostMapping("/v1/users")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      operationId = "createUser",
      summary = "Invite a member (admins: member/viewer; owners: any role)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "tenant",
      action = "user.create",
      kind = Kind.WRITE,
      gate = TenantActions.USER_CREATE,
      creates = true)
  public ResponseEntity<Views.UserView> create(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody CreateUser body) {
    Views.UserView user =
        Views.user(
            members.create(
                caller,
                new Members.NewUser(
                    body.email(),
                    body.displayName(),
                    Role.parse(body.role()),
                    body.idpIssuer(),
                    body.idpSubject())));
    return ResponseEntity.created(URI.create("/v1/users/" + user.userId()))
        .eTag(Preconditions.etag(user.version()))
        .body(user);
  }

  @GetMapping("/v1/users/{userId}")
  @Operation(operationId = "getUser", summary = "Read one member; ETag is its version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "tenant",
      action = "user.get",
      kind = Kind.READ,
      gate = TenantActions.USER_GET)
  public ResponseEntity<Views.UserView> get(
      @Parameter(hidden = true) Caller caller, @PathVariable String userId) {
    return versioned(members.get(caller, userId));
  }

  @PatchMapping("/v1/users/{userId}")
  @Operation(
      operationId = "changeUserRole",
      summary =
          "Change a member's role (the last owner cannot be demoted); If-Match: the version you read")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "tenant",
      action = "user.role_change",
      kind = Kind.WRITE,
      gate = TenantActions.USER_ROLE_CHANGE)
  public ResponseEntity<Views.UserView> changeRole(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String userId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody ChangeRole body) {
    Preconditions preconditions = Preconditions.of(ifMatch, null);
    return versioned(members.changeRole(caller, userId, Role.parse(body.role()), preconditions));
  }

  @PostMapping("/v1/users/{userId}/deactivate")
  @Operation(
      operationId = "deactivateUser",
      summary = "Deactivate a member: their credentials stop working on the next request; If-Match")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "tenant",
      action = "user.deactivate",
      kind = Kind.WRITE,
      gate = TenantActions.USER_DEACTIVATE)
  public ResponseEntity<Views.UserView> deactivate(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String userId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    return versioned(members.deactivate(caller, userId, Preconditions.of(ifMatch, null)));
  }

  @PostMapping("/v1/users/{userId}/reactivate")
  @Operation(operationId = "reactivateUser", summary = "Reactivate a member; If-Match")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "tenant",
      action = "user.reactivate",
      kind = Kind.WRITE,
      gate = TenantActions.USER_REACTIVATE)
  public ResponseEntity<Views.UserView> reactivate(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String userId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    return versioned(members.reactivate(caller, userId, Preconditions.of(ifMatch, null)));
  }

  @DeleteMapping("/v1/users/{userId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(
      operationId = "removeUser",
      summary =
          "Remove a member and their personal keys (the last owner cannot be removed); If-Match")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "tenant",
      action = "user.remove",
      kind = Kind.WRITE,
      gate = TenantActions.USER_REMOVE)
  public void remove(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String userId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    members.remove(caller, userId, Preconditions.of(ifMatch, null));
  }

  private static ResponseEntity<Views.UserView> versioned(dev.engines.tenant.User user) {
    return ResponseEntity.ok().eTag(Preconditions.etag(user.version())).body(Views.user(user));
  }
}
