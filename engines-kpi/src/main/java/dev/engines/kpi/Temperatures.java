package dev.engines.kpi;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.version.Preconditions;
import dev.engines.gates.GateChain;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Temperature per tenant/env and surface: its configuration ({@code temperature_config}: floors,
 * ceilings and weights, each versioned on its own, rows never changed, the highest version in
 * force), snapshots computed from the observations by the locked formulas, and snapshots kept
 * ({@code temperature_snapshots}). Writing a part is gated ({@code temperature:upsert_floors|
 * ceilings|weights}, for the surface) and audited.
 */
public final class Temperatures {

  /**
   * Stored JSON: config parts hold their numbers as plain strings; kept snapshots are the wire form
   * (snake_case, plain numbers), read back into exact decimals.
   */
  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final EventRecorder events;
  private final GateChain gates;
  private final PurgeFence fence;
  private final Observations observations;
  private final Kpis kpis;

  public Temperatures(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      EventRecorder events,
      GateChain gates,
      PurgeFence fence,
      Observations observations,
      Kpis kpis) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Objects.requireNonNull(events, "events");
    this.gates = Objects.requireNonNull(gates, "gates");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.observations = Objects.requireNonNull(observations, "observations");
    this.kpis = Objects.requireNonNull(kpis, "kpis");
  }

  /** The configuration parts. */
  private enum Part {
    FLOORS("floors", KpiActions.UPSERT_FLOORS),
    CEILINGS("ceilings", KpiActions.UPSERT_CEILINGS),
    WEIGHTS("weights", KpiActions.UPSERT_WEIGHTS);

    final String wire;
    final String action;

    Part(String wire, String action) {
      this.wire = wire;
      this.action = action;
    }
  }

  /**
   * Writes the floors part's next version through the gate chain.
   *
   * @param preconditions on the part's version ({@code "0"}: never set); 412 when they do not hold
   */
  public TemperatureConfig.Floors putFloors(
      Caller caller,
      String surface,
      Map<String, BigDecimal> performanceFloors,
      Map<String, BigDecimal> cadenceFloors,
      Preconditions preconditions) {
    List<FieldError> errors = new ArrayList<>();
    TreeMap<String, BigDecimal> performance =
        Fields.metrics(errors, "performance_floors", performanceFloors);
    TreeMap<String, BigDecimal> cadence = Fields.metrics(errors, "cadence_floors", cadenceFloors);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("performance_floors", Decimals.plain(performance));
    settings.put("cadence_floors", Decimals.plain(cadence));
    return put(caller, surface, Part.FLOORS, settings, errors, preconditions).floors();
  }

  /** Writes the ceilings part's next version through the gate chain. */
  public TemperatureConfig.Ceilings putCeilings(
      Caller caller,
      String surface,
      Map<String, BigDecimal> ceilings,
      Preconditions preconditions) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> settings =
        Map.of("ceilings", Decimals.plain(Fields.metrics(errors, "ceilings", ceilings)));
    return put(caller, surface, Part.CEILINGS, settings, errors, preconditions).ceilings();
  }

  /**
   * Writes the weights part's next version through the gate chain.
   *
   * @param source {@code system_default} or {@code tenant_override}
   */
  public TemperatureConfig.Weights putWeights(
      Caller caller,
      String surface,
      Map<String, BigDecimal> weights,
      String source,
      Preconditions preconditions) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("weights", Decimals.plain(Fields.metrics(errors, "weights", weights)));
    if (source == null || !TemperatureConfig.SOURCES.contains(source)) {
      errors.add(new FieldError("source", "must be system_default or tenant_override"));
    }
    settings.put("source", source);
    return put(caller, surface, Part.WEIGHTS, settings, errors, preconditions).weights();
  }

  /** The surface's configuration; parts never set read as version 0. */
  public TemperatureConfig config(Caller caller, String surface) {
    Scope scope = caller.scope();
    requireSurface(surface);
    TemperatureConfig config = tx.read(caller, () -> config(scope, surface));
    recordVersions(caller, config);
    return config;
  }

  /**
   * The surface's Temperature over {@code windowDays} days ending at {@code asOf}, computed now and
   * not stored. 409 {@code config_missing} when none of the surface's parts was ever set.
   *
   * @param windowDays null for {@value Window#DEFAULT_DAYS}
   * @param asOf null for now
   */
  public Snapshot snapshot(Caller caller, String surface, Integer windowDays, Instant asOf) {
    requireSurface(surface);
    Window window = window(windowDays, asOf);
    Scope scope = caller.scope();
    Snapshot snapshot = tx.read(caller, () -> compute(scope, surface, window));
    recordVersions(caller, snapshot);
    return snapshot;
  }

  /** Computes a snapshot as {@link #snapshot} does and keeps it. */
  public StoredSnapshot store(Caller caller, String surface, Integer windowDays, Instant asOf) {
    requireSurface(surface);
    Window window = window(windowDays, asOf);
    Scope scope = caller.scope();
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          Snapshot snapshot = compute(scope, surface, window);
          recordVersions(caller, snapshot);
          StoredSnapshot stored =
              new StoredSnapshot(
                  Ids.random("ts"),
                  clock.instant().truncatedTo(ChronoUnit.MICROS),
                  caller.actorId(),
                  snapshot);
          jdbc.sql(
                  "INSERT INTO temperature_snapshots (tenant_id, env, snapshot_id, surface, as_of, window_days, body,"
                      + " created_at, created_by) VALUES (:t, :e, :id, :surface, :asOf, :days, CAST(:body AS jsonb), :now, :by)")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("id", stored.snapshotId())
              .param("surface", surface)
              .param("asOf", Sql.ts(snapshot.asOf()))
              .param("days", snapshot.windowDays())
              .param("body", JSON.writeValueAsString(snapshot))
              .param("now", Sql.ts(stored.createdAt()))
              .param("by", caller.actorId())
              .update();
          events.output(caller, RefType.TEMPERATURE_SNAPSHOT, stored.snapshotId());
          return stored;
        });
  }

  /**
   * One kept snapshot of the surface; 404 for an id that is not one of this tenant/env's surface's.
   */
  public StoredSnapshot snapshot(Caller caller, String surface, String snapshotId) {
    requireSurface(surface);
    Scope scope = caller.scope();
    StoredSnapshot stored =
        tx.read(
                caller,
                () ->
                    jdbc.sql(
                            "SELECT snapshot_id, body, created_at, created_by"
                                + " FROM temperature_snapshots WHERE tenant_id = :t AND env = :e AND surface = :surface AND snapshot_id = :id")
                        .param("t", scope.tenantId())
                        .param("e", scope.env().wire())
                        .param("surface", surface)
                        .param("id", snapshotId)
                        .query(
                            (rs, n) ->
                                new StoredSnapshot(
                                    rs.getString("snapshot_id"),
                                    Sql.instant(rs, "created_at"),
                                    rs.getString("created_by"),
                                    JSON.readValue(rs.getString("body"), Snapshot.class)))
                        .optional())
            .orElseThrow(() -> EnginesException.notFound("Temperature snapshot"));
    events.output(caller, RefType.TEMPERATURE_SNAPSHOT, stored.snapshotId());
    return stored;
  }

  /** The surface's kept snapshots, newest first. */
  public Page<StoredSnapshot> snapshots(Caller caller, String surface, String cursor, int limit) {
    requireSurface(surface);
    long before = Cursors.decodeLong(cursor, Long.MAX_VALUE);
    Scope scope = caller.scope();
    List<Listed> rows =
        tx.read(
            caller,
            () ->
                jdbc.sql(
                        "SELECT snapshot_id, seq, body, created_at, created_by"
                            + " FROM temperature_snapshots WHERE tenant_id = :t AND env = :e AND surface = :surface AND seq < :before"
                            + " ORDER BY seq DESC LIMIT :limit")
                    .param("t", scope.tenantId())
                    .param("e", scope.env().wire())
                    .param("surface", surface)
                    .param("before", before)
                    .param("limit", limit + 1)
                    .query(
                        (rs, n) ->
                            new Listed(
                                rs.getLong("seq"),
                                new StoredSnapshot(
                                    rs.getString("snapshot_id"),
                                    Sql.instant(rs, "created_at"),
                                    rs.getString("created_by"),
                                    JSON.readValue(rs.getString("body"), Snapshot.class))))
                    .list());
    Page<Listed> page = Page.of(rows, limit, r -> Long.toString(r.seq()));
    page.items()
        .forEach(
            r -> events.output(caller, RefType.TEMPERATURE_SNAPSHOT, r.snapshot().snapshotId()));
    return new Page<>(page.items().stream().map(Listed::snapshot).toList(), page.nextCursor());
  }

  /** Deletes every configuration version and kept snapshot in {@code scope} (tenant purge). */
  int purge(Scope scope) {
    int snapshots =
        jdbc.sql("DELETE FROM temperature_snapshots WHERE tenant_id = :t AND env = :e")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .update();
    return snapshots
        + jdbc.sql("DELETE FROM temperature_config WHERE tenant_id = :t AND env = :e")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .update();
  }

  /** A kept snapshot with its position in the newest-first listing. */
  private record Listed(long seq, StoredSnapshot snapshot) {}

  private TemperatureConfig put(
      Caller caller,
      String surface,
      Part part,
      Map<String, Object> settings,
      List<FieldError> errors,
      Preconditions preconditions) {
    if (surface == null || !Fields.SURFACE.matcher(surface).matches()) {
      errors.add(0, new FieldError("surface", "must match " + Fields.SURFACE.pattern()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The " + part.wire + " are invalid.", errors);
    }
    Scope scope = caller.scope();
    return gates.run(
        caller,
        part.action,
        surface,
        () -> {
          fence.requireOpen(scope);
          // Serialises writers of this part, so version n+1 is computed from the real current one.
          jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
              .param("k", "temperature_config/" + scope + "/" + surface + "/" + part.wire)
              .query()
              .singleRow();
          int current =
              jdbc.sql(
                      "SELECT coalesce(max(version), 0) FROM temperature_config WHERE tenant_id = :t AND env = :e"
                          + " AND surface = :surface AND part = :part")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("surface", surface)
                  .param("part", part.wire)
                  .query(Integer.class)
                  .single();
          preconditions.check(current, "The " + part.wire + " of surface " + surface);
          int version = current + 1;
          jdbc.sql(
                  "INSERT INTO temperature_config (tenant_id, env, surface, part, version, settings, created_at, created_by)"
                      + " VALUES (:t, :e, :surface, :part, :version, CAST(:settings AS jsonb), :now, :by)")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("surface", surface)
              .param("part", part.wire)
              .param("version", version)
              .param("settings", JSON.writeValueAsString(settings))
              .param("now", Sql.ts(clock.instant()))
              .param("by", caller.actorId())
              .update();
          events.output(
              caller, RefType.TEMPERATURE_CONFIG, surface + "/" + part.wire + "/" + version);
          // Metric names and numbers (as plain strings) only: the chain shows what was in force
          // when.
          Map<String, Object> details = new LinkedHashMap<>(settings);
          details.put("version", version);
          details.put("previous_version", current);
          details.put("surface", surface);
          return new GateChain.Audited<>(
              config(scope, surface),
              "temperature." + part.wire + "_upsert",
              "temperature_config",
              surface + "/" + part.wire,
              details);
        });
  }

  private Snapshot compute(Scope scope, String surface, Window window) {
    TemperatureConfig config = config(scope, surface);
    if (config.unset()) {
      throw EnginesException.conflict(
          ProblemCodes.CONFIG_MISSING,
          "Surface "
              + surface
              + " has no Temperature configuration"
              + " in env "
              + scope.env().wire()
              + " of this tenant; an admin sets its floors, ceilings or weights first.");
    }
    Map<String, BigDecimal> sums =
        observations.sums(scope, surface, window, TemperatureFormula.metrics(config));
    return TemperatureFormula.snapshot(config, window, sums, kpis.corridorKpis(scope, surface));
  }

  /** The parts in force, inside a transaction bound to {@code scope}. */
  private TemperatureConfig config(Scope scope, String surface) {
    Map<String, Object> parts = new HashMap<>();
    jdbc.sql(
            "SELECT DISTINCT ON (part) part, version, settings, created_at, created_by FROM temperature_config"
                + " WHERE tenant_id = :t AND env = :e AND surface = :surface ORDER BY part, version DESC")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("surface", surface)
        .query(
            rs -> {
              parts.put(rs.getString("part"), part(rs));
            });
    return new TemperatureConfig(
        surface,
        (TemperatureConfig.Floors)
            parts.getOrDefault(Part.FLOORS.wire, TemperatureConfig.Floors.NONE),
        (TemperatureConfig.Ceilings)
            parts.getOrDefault(Part.CEILINGS.wire, TemperatureConfig.Ceilings.NONE),
        (TemperatureConfig.Weights)
            parts.getOrDefault(Part.WEIGHTS.wire, TemperatureConfig.Weights.NONE));
  }

  private static Object part(ResultSet rs) throws SQLException {
    JsonNode settings = JSON.readTree(rs.getString("settings"));
    int version = rs.getInt("version");
    Instant at = Sql.instant(rs, "created_at");
    String by = rs.getString("created_by");
    return switch (rs.getString("part")) {
      case "floors" ->
          new TemperatureConfig.Floors(
              version,
              decimals(settings.get("performance_floors")),
              decimals(settings.get("cadence_floors")),
              at,
              by);
      case "ceilings" ->
          new TemperatureConfig.Ceilings(version, decimals(settings.get("ceilings")), at, by);
      case "weights" ->
          new TemperatureConfig.Weights(
              version,
              decimals(settings.get("weights")),
              settings.get("source").asString(),
              at,
              by);
      default -> throw new IllegalStateException("unknown temperature config part");
    };
  }

  /** A stored {metric → "number"} map. */
  private static TreeMap<String, BigDecimal> decimals(JsonNode map) {
    TreeMap<String, BigDecimal> out = new TreeMap<>();
    map.properties().forEach(e -> out.put(e.getKey(), new BigDecimal(e.getValue().asString())));
    return out;
  }

  private void recordVersions(Caller caller, TemperatureConfig config) {
    record(caller, config.surface(), Part.FLOORS, config.floors().version());
    record(caller, config.surface(), Part.CEILINGS, config.ceilings().version());
    record(caller, config.surface(), Part.WEIGHTS, config.weights().version());
  }

  private void recordVersions(Caller caller, Snapshot snapshot) {
    record(caller, snapshot.surface(), Part.FLOORS, snapshot.configVersions().floors());
    record(caller, snapshot.surface(), Part.CEILINGS, snapshot.configVersions().ceilings());
    record(caller, snapshot.surface(), Part.WEIGHTS, snapshot.configVersions().weights());
  }

  private void record(Caller caller, String surface, Part part, int version) {
    if (version > 0) {
      events.input(caller, RefType.TEMPERATURE_CONFIG, surface + "/" + part.wire + "/" + version);
    }
  }

  private Window window(Integer windowDays, Instant asOf) {
    return Window.of(
        asOf == null ? clock.instant() : asOf,
        windowDays == null ? Window.DEFAULT_DAYS : windowDays);
  }

  private static void requireSurface(String surface) {
    if (surface == null || !Fields.SURFACE.matcher(surface).matches()) {
      throw EnginesException.validation("surface must match " + Fields.SURFACE.pattern() + ".");
    }
  }
}
