package dev.engines.api.tenancy;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.api.web.TraceFilter;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.TenantId;
import dev.engines.tenant.IssuedKey;
import dev.engines.tenant.Tenant;
import dev.engines.tenant.TenantDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator's tenant registry. The operator credential cannot reach any tenant-scoped route. */
@RestController
@RequestMapping("/v1/operator/tenants")
@Tag(name = "operator", description = "Tenant registry (operator credential only)")
public class OperatorTenantController {

  private final TenantDirectory tenants;

  public OperatorTenantController(TenantDirectory tenants) {
    this.tenants = tenants;
  }

  /** Body of a tenant creation. */
  public record CreateTenant(
      @NotBlank String tenantId, @NotBlank String name, @NotNull @Valid Owner owner) {}

  /** The first owner of a new tenant. */
  public record Owner(
      @NotBlank String email, @NotBlank String displayName, String idpIssuer, String idpSubject) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      operationId = "createTenant",
      summary = "Create a tenant with its first owner; returns the owner's API key once")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.create",
      kind = Kind.WRITE)
  public ResponseEntity<Views.ProvisionedView> create(
      @Valid @RequestBody CreateTenant body, HttpServletRequest request) {
    TenantDirectory.Provisioned provisioned =
        tenants.create(
            TenantId.of(body.tenantId()),
            body.name(),
            new TenantDirectory.OwnerSpec(
                body.owner().email(),
                body.owner().displayName(),
                body.owner().idpIssuer(),
                body.owner().idpSubject()),
            TraceFilter.context(request));
    return ResponseEntity.created(
            URI.create("/v1/operator/tenants/" + provisioned.tenant().tenantId()))
        .body(
            new Views.ProvisionedView(
                provisioned.tenant(),
                Views.user(provisioned.owner()),
                Views.issued(provisioned.ownerKey())));
  }

  @PostMapping("/{tenantId}/owner-keys")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      operationId = "createOwnerKey",
      summary =
          "Issue a new API key to the tenant's longest-standing active owner; returns it once (bin/engines key)")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.owner_key",
      kind = Kind.WRITE)
  public ResponseEntity<Views.IssuedKeyView> createOwnerKey(
      @PathVariable String tenantId, HttpServletRequest request) {
    IssuedKey issued = tenants.mintOwnerKey(TenantId.of(tenantId), TraceFilter.context(request));
    return ResponseEntity.created(URI.create("/v1/api-keys/" + issued.key().keyId()))
        .body(Views.issued(issued));
  }

  @GetMapping
  @Operation(operationId = "listTenants", summary = "List tenants, ordered by id")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.list",
      kind = Kind.READ)
  public Page<Tenant> list(
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return tenants.list(cursor, Cursors.limit(limit, 100));
  }

  @GetMapping("/{tenantId}")
  @Operation(operationId = "getTenant", summary = "Read one tenant's registry entry")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.get",
      kind = Kind.READ)
  public Tenant get(@PathVariable String tenantId) {
    return tenants.get(TenantId.of(tenantId));
  }

  @PostMapping("/{tenantId}/suspend")
  @Operation(
      operationId = "suspendTenant",
      summary = "Suspend a tenant: its credentials are refused from the next request on")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.suspend",
      kind = Kind.WRITE)
  public Tenant suspend(@PathVariable String tenantId, HttpServletRequest request) {
    return tenants.setStatus(TenantId.of(tenantId), Tenant.SUSPENDED, TraceFilter.context(request));
  }

  @PostMapping("/{tenantId}/resume")
  @Operation(operationId = "resumeTenant", summary = "Resume a suspended tenant")
  @RoutePolicy(
      audience = Audience.OPERATOR,
      surface = "operator",
      action = "tenant.resume",
      kind = Kind.WRITE)
  public Tenant resume(@PathVariable String tenantId, HttpServletRequest request) {
    return tenants.setStatus(TenantId.of(tenantId), Tenant.ACTIVE, TraceFilter.context(request));
  }
}
