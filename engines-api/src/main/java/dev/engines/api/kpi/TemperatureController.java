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
import dev.engines.kpi.KpiActions;
import dev.engines.kpi.Observations;
import dev.engines.kpi.Snapshot;
import dev.engines.kpi.StoredSnapshot;
import dev.engines.kpi.TemperatureConfig;
import dev.engines.kpi.Temperatures;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Temperature of a tenant/env's surfaces: its configuration (floors, ceilings, weights; admins
 * write, each part gated and versioned), snapshots computed by the locked formulas (viewers read;
 * admins keep one), and the metric observations they are computed from (members write).
 */
@RestController
@Tag(
    name = "temperature",
    description = "Temperature configuration, snapshots and metric observations")
public class TemperatureController {

  private final Temperatures temperatures;
  private final Observations observations;

  public TemperatureController(Temperatures temperatures, Observations observations) {
    this.temperatures = temperatures;
    this.observations = observations;
  }

  /** The floors part: both maps required ({} for none). */
  public record FloorsBody(
      Map<String, BigDecimal> performanceFloors, Map<String, BigDecimal> cadenceFloors) {}

  /** The ceilings part. */
  public record CeilingsBody(Map<String, BigDecimal> ceilings) {}

  /** The weights part; {@code source} is {@code system_default} or {@code tenant_override}. */
  public record WeightsBody(Map<String, BigDecimal> weights, String source) {}

  /** A snapshot to keep: both optional ({@code window_days} 7, {@code as_of} now). */
  public record SnapshotBody(Integer windowDays, Instant asOf) {}

  /** Observations to record (1–1,000). */
  public record ObservationsBody(List<Observations.Observation> items) {}

  @PutMapping("/v1/temperature/{surface}/floors")
  @Operation(
      operationId = "putTemperatureFloors",
      summary =
          "Write the surface's floors: {performance_floors, cadence_floors}; gated (temperature:upsert_floors),"
              + " audited; If-Match: the part's version (\"0\": never set) → 412 precondition_failed")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "temperature",
      action = "floors.upsert",
      kind = Kind.WRITE,
      gate = KpiActions.UPSERT_FLOORS)
  public ResponseEntity<TemperatureConfig.Floors> floors(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String surface,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) FloorsBody body) {
    FloorsBody b = required(body, "{performance_floors, cadence_floors}");
    TemperatureConfig.Floors written =
        temperatures.putFloors(
            caller,
            surface,
            b.performanceFloors(),
            b.cadenceFloors(),
            Preconditions.of(ifMatch, null));
    return ResponseEntity.ok().eTag(Preconditions.etag(written.version())).body(written);
  }

  @PutMapping("/v1/temperature/{surface}/ceilings")
  @Operation(
      operationId = "putTemperatureCeilings",
      summary =
          "Write the surface's ceilings: {ceilings}; gated (temperature:upsert_ceilings), audited; If-Match")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "temperature",
      action = "ceilings.upsert",
      kind = Kind.WRITE,
      gate = KpiActions.UPSERT_CEILINGS)
  public ResponseEntity<TemperatureConfig.Ceilings> ceilings(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String surface,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) CeilingsBody body) {
    TemperatureConfig.Ceilings written =
        temperatures.putCeilings(
            caller,
            surface,
            required(body, "{ceilings}").ceilings(),
            Preconditions.of(ifMatch, null));
    return ResponseEntity.ok().eTag(Preconditions.etag(written.version())).body(written);
  }

  @PutMapping("/v1/temperature/{surface}/weights")
  @Operation(
      operationId = "putTemperatureWeights",
      summary =
          "Write the surface's weights: {weights, source}; gated (temperature:upsert_weights), audited; If-Match")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "temperature",
      action = "weights.upsert",
      kind = Kind.WRITE,
      gate = KpiActions.UPSERT_WEIGHTS)
  public ResponseEntity<TemperatureConfig.Weights> weights(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String surface,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) WeightsBody body) {
    WeightsBody b = required(body, "{weights, source}");
    TemperatureConfig.Weights written =
        temperatures.putWeights(
            caller, surface, b.weights(), b.source(), Preconditions.of(ifMatch, null));
    return ResponseEntity.ok().eTag(Preconditions.etag(written.version())).body(written);
  }

  @GetMapping("/v1/temperature/{surface}/config")
  @Operation(
      operationId = "getTemperatureConfig",
      summary =
          "The surface's floors, ceilings and weights in force, each with its version (0: never set)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "temperature",
      action = "config.get",
      kind = Kind.READ,
      gate = KpiActions.CONFIG_GET)
  public TemperatureConfig config(
      @Parameter(hidden = true) Caller caller, @PathVariable String surface) {
    return temperatures.config(caller, surface);
  }

  @GetMapping("/v1/temperature/{surface}")
  @Operation(
      operationId = "getTemperature",
      summary =
          "The surface's Temperature over ?window_days= (1–90, default 7) ending at ?as_of= (ISO-8601, default"
              + " now), computed and not stored; 409 config_missing when no part of its configuration was ever set")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "temperature",
      action = "snapshot.compute",
      kind = Kind.READ,
      gate = KpiActions.SNAPSHOT)
  public Snapshot snapshot(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String surface,
      @RequestParam(name = "window_days", required = false) Integer windowDays,
      @RequestParam(name = "as_of", required = false) String asOf) {
    return temperatures.snapshot(caller, surface, windowDays, instant(asOf));
  }

  @PostMapping("/v1/temperature/{surface}/snapshots")
  @Operation(
      operationId = "storeTemperatureSnapshot",
      summary =
          "Compute the surface's Temperature ({window_days?, as_of?}) and keep it; 201 with its snapshot_id and Location")
  @ResponseStatus(HttpStatus.CREATED)
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "temperature",
      action = "snapshot.store",
      kind = Kind.WRITE,
      gate = KpiActions.SNAPSHOT_STORE,
      creates = true)
  public ResponseEntity<StoredSnapshot> store(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String surface,
      @RequestBody(required = false) SnapshotBody body) {
    SnapshotBody b = body == null ? new SnapshotBody(null, null) : body;
    StoredSnapshot stored = temperatures.store(caller, surface, b.windowDays(), b.asOf());
    return ResponseEntity.created(
            URI.create("/v1/temperature/" + surface + "/snapshots/" + stored.snapshotId()))
        .body(stored);
  }

  @GetMapping("/v1/temperature/{surface}/snapshots/{snapshotId}")
  @Operation(operationId = "getTemperatureSnapshot", summary = "One kept snapshot of the surface")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "temperature",
      action = "snapshot.get",
      kind = Kind.READ,
      gate = KpiActions.SNAPSHOT_GET)
  public StoredSnapshot storedSnapshot(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String surface,
      @PathVariable String snapshotId) {
    return temperatures.snapshot(caller, surface, snapshotId);
  }

  @GetMapping("/v1/temperature/{surface}/snapshots")
  @Operation(
      operationId = "listTemperatureSnapshots",
      summary = "The surface's kept snapshots, newest first")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "temperature",
      action = "snapshot.list",
      kind = Kind.READ,
      gate = KpiActions.SNAPSHOT_LIST)
  public Page<StoredSnapshot> snapshots(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String surface,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return temperatures.snapshots(caller, surface, cursor, Cursors.limit(limit, 100));
  }

  @PostMapping("/v1/metrics/observations")
  @Operation(
      operationId = "recordObservations",
      summary =
          "Record metric observations: {items: [{surface, metric, value, observed_at, id?}]} (1–1,000, all or"
              + " none); an item with a client id is idempotent (409 observation_conflict for the same id with other content)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "metrics",
      action = "observation.record",
      kind = Kind.WRITE,
      gate = KpiActions.OBSERVE,
      creates = true)
  public Observations.RecordedObservations observe(
      @Parameter(hidden = true) Caller caller,
      @RequestBody(required = false) ObservationsBody body) {
    return observations.record(caller, body == null ? null : body.items());
  }

  private static <T> T required(T body, String shape) {
    if (body == null) {
      throw EnginesException.validation("The request body must be " + shape + ".");
    }
    return body;
  }

  private static Instant instant(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw EnginesException.validation(
          "as_of must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z.");
    }
  }
}
