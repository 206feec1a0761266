package dev.engines.api.gdpr;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.error.EnginesException;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.pii.gdpr.Gdpr;
import dev.engines.pii.gdpr.GdprActions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * GDPR operations of the caller's tenant (admin; tenant purge: owner). Identifiers in request
 * bodies are used in memory only: responses, audit entries and events name subjects by their {@code
 * ds_} pseudonyms.
 */
@RestController
@Tag(
    name = "gdpr",
    description = "Data subjects, export, erasure, retention, legal holds, tenant purge")
public class GdprController {

  private final Gdpr gdpr;

  public GdprController(Gdpr gdpr) {
    this.gdpr = gdpr;
  }

  /** What identifies a data subject; at least one. */
  public record Identifiers(String email, String phone) {}

  /** A request about one data subject. */
  public record SubjectBody(@NotNull @Valid Identifiers identifiers) {}

  /** A retention policy to set. */
  public record RetentionBody(@NotBlank String dataClass, @NotNull Integer maxAgeDays) {}

  /** A legal hold to place; without identifiers it covers the whole tenant. */
  public record HoldBody(Identifiers identifiers, @NotBlank String reason) {}

  /** Confirmation of a tenant purge: the tenant's own id, typed out. */
  public record PurgeBody(@NotBlank String confirmTenantId) {}

  /** Retention policies and the data classes they may name. */
  public record RetentionView(List<Gdpr.RetentionPolicy> policies, List<String> dataClasses) {}

  /** A retention run. @param purged records purged per data class */
  public record RetentionRunView(Map<String, Integer> purged) {}

  /** The tenant's legal holds, newest first. */
  public record LegalHoldsView(List<Gdpr.LegalHold> items) {}

  /**
   * A tenant purge.
   *
   * @param complete whether nothing remains; otherwise run it again
   * @param deleted records deleted per kind, by name
   * @param remaining records left per kind, by name
   */
  public record PurgeView(
      String tenantId,
      boolean complete,
      Map<String, Integer> deleted,
      Map<String, Integer> remaining) {}

  @PostMapping("/v1/gdpr/subjects/lookup")
  @Operation(
      operationId = "lookupSubject",
      summary =
          "Find where a data subject's records live (by e-mail/phone); indexes them under the subject's pseudonym")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "subject.lookup",
      kind = Kind.WRITE,
      gate = GdprActions.SUBJECT_LOOKUP)
  public Gdpr.Lookup lookup(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody SubjectBody body) {
    return gdpr.lookup(caller, subject(body.identifiers()));
  }

  @PostMapping("/v1/gdpr/export")
  @Operation(
      operationId = "exportSubject",
      summary =
          "Art. 15/20 export: one JSON bundle of every record referencing the subject; records flag train_ok")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "subject.export",
      kind = Kind.WRITE,
      gate = GdprActions.EXPORT)
  public Gdpr.Bundle export(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody SubjectBody body) {
    return gdpr.export(caller, subject(body.identifiers()));
  }

  @PostMapping("/v1/gdpr/erasure")
  @Operation(
      operationId = "eraseSubject",
      summary =
          "Art. 17 erasure: delete the subject's records, leave tombstones (409 legal_hold, 409 last_owner)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "subject.erase",
      kind = Kind.WRITE,
      gate = GdprActions.ERASE)
  public Gdpr.Erasure erase(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody SubjectBody body) {
    return gdpr.erase(caller, subject(body.identifiers()));
  }

  @GetMapping("/v1/gdpr/retention")
  @Operation(
      operationId = "listRetentionPolicies",
      summary = "This env's retention policies and the known data classes")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "retention.list",
      kind = Kind.READ,
      gate = GdprActions.RETENTION_LIST)
  public RetentionView retention(@Parameter(hidden = true) Caller caller) {
    return new RetentionView(gdpr.retentionPolicies(caller), List.copyOf(gdpr.dataClasses()));
  }

  @PutMapping("/v1/gdpr/retention")
  @Operation(
      operationId = "setRetentionPolicy",
      summary = "Set how many days one data class is kept in this env")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "retention.update",
      kind = Kind.WRITE,
      gate = GdprActions.RETENTION_UPDATE)
  public Gdpr.RetentionPolicy setRetention(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody RetentionBody body) {
    return gdpr.setRetention(caller, body.dataClass(), body.maxAgeDays());
  }

  @PostMapping("/v1/gdpr/retention/run")
  @Operation(
      operationId = "runRetention",
      summary =
          "Run this env's retention purge now (the scheduled job does the same); audited with counts")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "retention.run",
      kind = Kind.WRITE,
      gate = GdprActions.RETENTION_RUN)
  public RetentionRunView runRetention(@Parameter(hidden = true) Caller caller) {
    return new RetentionRunView(gdpr.runRetention(caller));
  }

  @GetMapping("/v1/gdpr/legal-holds")
  @Operation(operationId = "listLegalHolds", summary = "The tenant's legal holds, newest first")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "legal_hold.list",
      kind = Kind.READ,
      gate = GdprActions.LEGAL_HOLD_LIST)
  public LegalHoldsView holds(@Parameter(hidden = true) Caller caller) {
    return new LegalHoldsView(gdpr.holds(caller));
  }

  @PostMapping("/v1/gdpr/legal-holds")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      operationId = "placeLegalHold",
      summary =
          "Place a legal hold on a subject (or the whole tenant): suspends erasure and purge; the reason is redacted")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "legal_hold.place",
      kind = Kind.WRITE,
      gate = GdprActions.LEGAL_HOLD_PLACE,
      creates = true)
  public ResponseEntity<Gdpr.LegalHold> placeHold(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody HoldBody body) {
    Gdpr.LegalHold hold =
        gdpr.placeHold(
            caller, body.identifiers() == null ? null : subject(body.identifiers()), body.reason());
    return ResponseEntity.created(URI.create("/v1/gdpr/legal-holds/" + hold.holdId())).body(hold);
  }

  @GetMapping("/v1/gdpr/legal-holds/{holdId}")
  @Operation(operationId = "getLegalHold", summary = "One legal hold of the tenant")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "legal_hold.get",
      kind = Kind.READ,
      gate = GdprActions.LEGAL_HOLD_GET)
  public Gdpr.LegalHold hold(@Parameter(hidden = true) Caller caller, @PathVariable String holdId) {
    return gdpr.hold(caller, holdId);
  }

  @PostMapping("/v1/gdpr/legal-holds/{holdId}/release")
  @Operation(operationId = "releaseLegalHold", summary = "Release a legal hold")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gdpr",
      action = "legal_hold.release",
      kind = Kind.WRITE,
      gate = GdprActions.LEGAL_HOLD_RELEASE)
  public Gdpr.LegalHold releaseHold(
      @Parameter(hidden = true) Caller caller, @PathVariable String holdId) {
    return gdpr.releaseHold(caller, holdId);
  }

  @PostMapping("/v1/gdpr/tenant-purge")
  @Operation(
      operationId = "purgeTenant",
      summary =
          "Delete the tenant's data in every env, Nexus objects first (owner; body confirms the tenant id);"
              + " complete=false lists what remains and keeps the members, so the owner runs it again; the audit trail stays")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.OWNER,
      surface = "gdpr",
      action = "tenant.purge",
      kind = Kind.WRITE,
      gate = GdprActions.TENANT_PURGE)
  public PurgeView purge(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody PurgeBody body) {
    if (!body.confirmTenantId().equals(caller.scope().tenantId())) {
      throw EnginesException.validation(
          "confirm_tenant_id must repeat the X-Tenant-Id of this request.");
    }
    Gdpr.TenantPurge purge = gdpr.purgeTenant(caller);
    return new PurgeView(
        caller.scope().tenantId(),
        purge.complete(),
        new TreeMap<>(purge.deleted()),
        new TreeMap<>(purge.remaining()));
  }

  private static SubjectIdentifiers subject(Identifiers identifiers) {
    Map<String, String> raw = new LinkedHashMap<>();
    if (identifiers.email() != null) {
      raw.put("email", identifiers.email());
    }
    if (identifiers.phone() != null) {
      raw.put("phone", identifiers.phone());
    }
    try {
      return SubjectIdentifiers.of(raw);
    } catch (IllegalArgumentException e) {
      throw EnginesException.validation("identifiers: " + e.getMessage() + ".");
    }
  }
}
