package dev.engines.api.kpi;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.version.Preconditions;
import dev.engines.kpi.Corridor;
import dev.engines.kpi.Kpi;
import dev.engines.kpi.KpiActions;
import dev.engines.kpi.Kpis;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * KPI definitions and corridors of a tenant/env: viewers read, admins write. Definitions and
 * corridors are versioned (ETag / If-Match); a corridor change is gated ({@code
 * kpi:corridor_upsert} for the KPI's surface), as is deleting a KPI that has a corridor.
 */
@RestController
@Tag(name = "kpi", description = "KPI definitions and corridors")
public class KpiController {

  private final Kpis kpis;

  public KpiController(Kpis kpis) {
    this.kpis = kpis;
  }

  /** A definition: all three fields required ({@code description} may be empty). */
  public record KpiBody(String description, String unit, String surface) {}

  /** A corridor: each bound optional (null or absent), a floor at most its ceiling. */
  public record CorridorBody(
      BigDecimal floor, BigDecimal ceiling, BigDecimal cadenceFloor, BigDecimal cadenceCeiling) {}

  @PutMapping("/v1/kpis/{kpi}")
  @Operation(
      operationId = "putKpi",
      summary =
          "Create or replace a KPI definition: {description, unit, surface}; audited; If-Match: the version"
              + " you read (\"0\": new) → 412 precondition_failed; 409 kpi_has_corridor for a surface change of a KPI with a corridor")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "kpi",
      action = "kpi.upsert",
      kind = Kind.WRITE,
      gate = KpiActions.UPSERT)
  public ResponseEntity<Kpi> put(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String kpi,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) KpiBody body) {
    if (body == null) {
      throw EnginesException.validation("The request body must be {description, unit, surface}.");
    }
    Kpi written =
        kpis.put(
            caller,
            kpi,
            new Kpis.Spec(body.description(), body.unit(), body.surface()),
            Preconditions.of(ifMatch, null));
    return ResponseEntity.ok().eTag(Preconditions.etag(written.version())).body(written);
  }

  @GetMapping("/v1/kpis")
  @Operation(
      operationId = "listKpis",
      summary = "KPI definitions with their corridors in name order (byte order), ?surface=")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "kpi",
      action = "kpi.list",
      kind = Kind.READ,
      gate = KpiActions.LIST)
  public Page<Kpi> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String surface,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return kpis.list(caller, surface, cursor, Cursors.limit(limit, 100));
  }

  @GetMapping("/v1/kpis/{kpi}")
  @Operation(
      operationId = "getKpi",
      summary = "One KPI definition with its corridor; ETag is the definition's version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "kpi",
      action = "kpi.get",
      kind = Kind.READ,
      gate = KpiActions.GET)
  public ResponseEntity<Kpi> get(
      @Parameter(hidden = true) Caller caller, @PathVariable String kpi) {
    Kpi found = kpis.get(caller, kpi);
    return ResponseEntity.ok().eTag(Preconditions.etag(found.version())).body(found);
  }

  @DeleteMapping("/v1/kpis/{kpi}")
  @Operation(
      operationId = "deleteKpi",
      summary =
          "Delete a KPI and its corridor (with a corridor: gated as kpi:corridor_upsert); audited; 204")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "kpi",
      action = "kpi.delete",
      kind = Kind.WRITE,
      gate = KpiActions.DELETE)
  public ResponseEntity<Void> delete(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String kpi,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    kpis.delete(caller, kpi, Preconditions.of(ifMatch, null));
    return ResponseEntity.noContent().build();
  }

  @PutMapping("/v1/kpis/{kpi}/corridor")
  @Operation(
      operationId = "putKpiCorridor",
      summary =
          "Create or replace a KPI's corridor: {floor, ceiling, cadence_floor, cadence_ceiling}; gated"
              + " (kpi:corridor_upsert for the KPI's surface: 409 strategy_lock_required), audited; ETag is the corridor's version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "kpi",
      action = "corridor.upsert",
      kind = Kind.WRITE,
      gate = KpiActions.CORRIDOR_UPSERT)
  public ResponseEntity<Corridor> corridor(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String kpi,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) CorridorBody body) {
    if (body == null) {
      throw EnginesException.validation(
          "The request body must be {floor, ceiling, cadence_floor, cadence_ceiling}.");
    }
    Corridor written =
        kpis.putCorridor(
            caller,
            kpi,
            new Kpis.Bounds(
                body.floor(), body.ceiling(), body.cadenceFloor(), body.cadenceCeiling()),
            Preconditions.of(ifMatch, null));
    return ResponseEntity.ok().eTag(Preconditions.etag(written.version())).body(written);
  }
}
