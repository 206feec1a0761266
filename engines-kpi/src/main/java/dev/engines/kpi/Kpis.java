package dev.engines.kpi;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.pii.TextRedactor;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * KPI definitions and their corridors ({@code kpi_definitions}, {@code kpi_corridors}), per
 * tenant/env. Definitions and corridors are versioned resources (the version is the {@code ETag};
 * {@code If-Match} makes a stale write fail with 412 {@code precondition_failed}), and every change
 * is audited. A corridor change is gated ({@value KpiActions#CORRIDOR_UPSERT}, for the KPI's
 * surface): so are the changes that remove a corridor from a surface's Temperature, deleting a KPI
 * that has one; and a KPI with a corridor keeps its surface.
 */
public final class Kpis {

  /** Problem code: moving a KPI that has a corridor to another surface. */
  public static final String KPI_HAS_CORRIDOR = "kpi_has_corridor";

  private static final Pattern UNIT = Pattern.compile("^[\\p{L}\\p{N}%/_. $€£¥-]{1,32}$");
  private static final String COLUMNS =
      "d.name, d.description, d.unit, d.surface, d.version, d.created_at, d.created_by,"
          + " d.updated_at, d.updated_by, c.kpi_name, c.floor, c.ceiling, c.cadence_floor, c.cadence_ceiling,"
          + " c.version AS corridor_version, c.updated_at AS corridor_updated_at, c.updated_by AS corridor_updated_by";
  private static final String FROM =
      " FROM kpi_definitions d LEFT JOIN kpi_corridors c"
          + " ON c.tenant_id = d.tenant_id AND c.env = d.env AND c.kpi_name = d.name";

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final AuditTrail audit;
  private final EventRecorder events;
  private final TextRedactor redactor;
  private final GateChain gates;
  private final PurgeFence fence;

  public Kpis(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      EventRecorder events,
      TextRedactor redactor,
      GateChain gates,
      PurgeFence fence) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.events = Objects.requireNonNull(events, "events");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.gates = Objects.requireNonNull(gates, "gates");
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * A definition to write.
   *
   * @param description free text (at most 1,000 characters), redacted before it is stored
   * @param unit 1–32 letters, digits, spaces or {@code % / _ . $ € £ ¥ -}
   */
  public record Spec(String description, String unit, String surface) {}

  /** A corridor to write; each bound optional, a floor at most its ceiling. */
  public record Bounds(
      BigDecimal floor, BigDecimal ceiling, BigDecimal cadenceFloor, BigDecimal cadenceCeiling) {}

  /**
   * Creates or replaces a definition.
   *
   * @param preconditions on the definition's version ({@code "0"}: none yet); 412 when they do not
   *     hold
   * @throws InvalidFieldsException naming every invalid field
   */
  public Kpi put(Caller caller, String name, Spec spec, Preconditions preconditions) {
    List<FieldError> errors = new ArrayList<>();
    Fields.name(errors, "name", name, Fields.NAME);
    if (spec.description() == null
        || spec.description().length() > 1000
        || spec.description()
            .chars()
            .anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
      errors.add(
          new FieldError(
              "description", "is required: at most 1000 characters without control characters"));
    }
    if (spec.unit() == null || !UNIT.matcher(spec.unit()).matches()) {
      errors.add(
          new FieldError("unit", "must be 1 to 32 letters, digits, spaces or % / _ . $ € £ ¥ -"));
    }
    Fields.name(errors, "surface", spec.surface(), Fields.SURFACE);
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The KPI is invalid.", errors);
    }
    Scope scope = caller.scope();
    String description =
        spec.description().isEmpty() ? "" : redactor.redactForStorage(caller, spec.description());
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          Optional<Kpi> current = find(scope, name, true);
          int version = current.map(Kpi::version).orElse(0);
          preconditions.check(version, "KPI " + name);
          if (current.isPresent()
              && current.get().corridor() != null
              && !current.get().surface().equals(spec.surface())) {
            throw EnginesException.conflict(
                KPI_HAS_CORRIDOR,
                "KPI "
                    + name
                    + " has a corridor on surface "
                    + current.get().surface()
                    + "; delete it (a corridor change) and define it anew to move it.");
          }
          Instant now = clock.instant();
          jdbc.sql(
                  """
              INSERT INTO kpi_definitions (tenant_id, env, name, description, unit, surface, version, created_at, created_by,
                  updated_at, updated_by)
              VALUES (:t, :e, :name, :description, :unit, :surface, 1, :now, :by, :now, :by)
              ON CONFLICT (tenant_id, env, name) DO UPDATE SET description = EXCLUDED.description, unit = EXCLUDED.unit,
                  surface = EXCLUDED.surface, version = kpi_definitions.version + 1, updated_at = EXCLUDED.updated_at,
                  updated_by = EXCLUDED.updated_by""")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("name", name)
              .param("description", description)
              .param("unit", spec.unit())
              .param("surface", spec.surface())
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .update();
          Kpi written = find(scope, name, false).orElseThrow();
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("version", written.version());
          details.put("previous_version", version);
          details.put("unit", written.unit());
          details.put("surface", written.surface());
          audit.record(caller, "kpi.upsert", "kpi", name, details);
          events.output(caller, RefType.KPI, name);
          return written;
        });
  }

  /** One definition with its corridor; 404 when this tenant/env has no KPI of that name. */
  public Kpi get(Caller caller, String name) {
    Scope scope = caller.scope();
    Kpi kpi =
        tx.read(caller, () -> find(scope, name, false))
            .orElseThrow(() -> EnginesException.notFound("KPI"));
    events.output(caller, RefType.KPI, kpi.name());
    return kpi;
  }

  /** Definitions in name order (byte order), optionally of one surface. */
  public Page<Kpi> list(Caller caller, String surface, String cursor, int limit) {
    if (surface != null && !Fields.SURFACE.matcher(surface).matches()) {
      throw EnginesException.validation("surface must match " + Fields.SURFACE.pattern() + ".");
    }
    String after = Cursors.decode(cursor);
    Scope scope = caller.scope();
    Page<Kpi> page =
        tx.read(
            caller,
            () ->
                Page.of(
                    jdbc.sql(
                            "SELECT "
                                + COLUMNS
                                + FROM
                                + " WHERE d.tenant_id = :t AND d.env = :e AND d.name > :after"
                                + " AND (CAST(:surface AS text) IS NULL OR d.surface = :surface) ORDER BY d.name LIMIT :limit")
                        .param("t", scope.tenantId())
                        .param("e", scope.env().wire())
                        .param("after", after)
                        .param("surface", surface)
                        .param("limit", limit + 1)
                        .query((rs, n) -> map(rs))
                        .list(),
                    limit,
                    Kpi::name));
    page.items().forEach(k -> events.output(caller, RefType.KPI, k.name()));
    return page;
  }

  /**
   * Deletes a definition (and its corridor). A KPI with a corridor is deleted through the gate
   * chain as a {@value KpiActions#CORRIDOR_UPSERT} on its surface.
   *
   * @param preconditions on the definition's version; 412 when they do not hold
   */
  public void delete(Caller caller, String name, Preconditions preconditions) {
    Scope scope = caller.scope();
    tx.write(
        caller,
        () -> {
          Kpi current = find(scope, name, true).orElseThrow(() -> EnginesException.notFound("KPI"));
          preconditions.check(current.version(), "KPI " + name);
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("version", current.version());
          details.put("surface", current.surface());
          details.put("had_corridor", current.corridor() != null);
          if (current.corridor() == null) {
            remove(caller, name);
            audit.record(caller, "kpi.delete", "kpi", name, details);
            return null;
          }
          return gates.run(
              caller,
              KpiActions.CORRIDOR_UPSERT,
              current.surface(),
              () -> {
                remove(caller, name);
                return new GateChain.Audited<>(null, "kpi.delete", "kpi", name, details);
              });
        });
  }

  /**
   * Creates or replaces a KPI's corridor through the gate chain ({@value
   * KpiActions#CORRIDOR_UPSERT} for the KPI's surface). 404 for an unknown KPI comes first, then
   * the gates, then the version.
   *
   * @param preconditions on the corridor's version ({@code "0"}: none yet); 412 when they do not
   *     hold
   */
  public Corridor putCorridor(
      Caller caller, String name, Bounds bounds, Preconditions preconditions) {
    List<FieldError> errors = new ArrayList<>();
    BigDecimal floor = Fields.decimal(errors, "floor", bounds.floor(), false);
    BigDecimal ceiling = Fields.decimal(errors, "ceiling", bounds.ceiling(), false);
    BigDecimal cadenceFloor = Fields.decimal(errors, "cadence_floor", bounds.cadenceFloor(), false);
    BigDecimal cadenceCeiling =
        Fields.decimal(errors, "cadence_ceiling", bounds.cadenceCeiling(), false);
    if (floor != null && ceiling != null && floor.compareTo(ceiling) > 0) {
      errors.add(new FieldError("floor", "must be at most ceiling"));
    }
    if (cadenceFloor != null
        && cadenceCeiling != null
        && cadenceFloor.compareTo(cadenceCeiling) > 0) {
      errors.add(new FieldError("cadence_floor", "must be at most cadence_ceiling"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The corridor is invalid.", errors);
    }
    Scope scope = caller.scope();
    return tx.write(
        caller,
        () -> {
          Kpi kpi = find(scope, name, true).orElseThrow(() -> EnginesException.notFound("KPI"));
          return gates.run(
              caller,
              KpiActions.CORRIDOR_UPSERT,
              kpi.surface(),
              () -> {
                int version = kpi.corridor() == null ? 0 : kpi.corridor().version();
                preconditions.check(version, "The corridor of KPI " + name);
                jdbc.sql(
                        """
                INSERT INTO kpi_corridors (tenant_id, env, kpi_name, floor, ceiling, cadence_floor, cadence_ceiling, version,
                    updated_at, updated_by)
                VALUES (:t, :e, :name, :floor, :ceiling, :cadenceFloor, :cadenceCeiling, 1, :now, :by)
                ON CONFLICT (tenant_id, env, kpi_name) DO UPDATE SET floor = EXCLUDED.floor, ceiling = EXCLUDED.ceiling,
                    cadence_floor = EXCLUDED.cadence_floor, cadence_ceiling = EXCLUDED.cadence_ceiling,
                    version = kpi_corridors.version + 1, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by""")
                    .param("t", scope.tenantId())
                    .param("e", scope.env().wire())
                    .param("name", name)
                    .param("floor", floor)
                    .param("ceiling", ceiling)
                    .param("cadenceFloor", cadenceFloor)
                    .param("cadenceCeiling", cadenceCeiling)
                    .param("now", Sql.ts(clock.instant()))
                    .param("by", caller.actorId())
                    .update();
                Corridor written = find(scope, name, false).orElseThrow().corridor();
                events.output(caller, RefType.KPI_CORRIDOR, name + "/" + written.version());
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("version", written.version());
                details.put("previous_version", version);
                details.put("surface", kpi.surface());
                details.put("floor", Decimals.plain(floor));
                details.put("ceiling", Decimals.plain(ceiling));
                details.put("cadence_floor", Decimals.plain(cadenceFloor));
                details.put("cadence_ceiling", Decimals.plain(cadenceCeiling));
                return new GateChain.Audited<>(
                    written, "kpi.corridor_upsert", "kpi_corridor", name, details);
              });
        });
  }

  /**
   * The names of {@code surface}'s KPIs that have a corridor, in a transaction bound to {@code
   * scope}.
   */
  List<String> corridorKpis(Scope scope, String surface) {
    return jdbc.sql(
            "SELECT d.name FROM kpi_definitions d JOIN kpi_corridors c"
                + " ON c.tenant_id = d.tenant_id AND c.env = d.env AND c.kpi_name = d.name"
                + " WHERE d.tenant_id = :t AND d.env = :e AND d.surface = :surface")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("surface", surface)
        .query(String.class)
        .list();
  }

  /** Deletes every definition and corridor in {@code scope} (tenant purge). */
  int purge(Scope scope) {
    jdbc.sql("DELETE FROM kpi_corridors WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
    return jdbc.sql("DELETE FROM kpi_definitions WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
  }

  private void remove(Caller caller, String name) {
    Scope scope = caller.scope();
    jdbc.sql("DELETE FROM kpi_corridors WHERE tenant_id = :t AND env = :e AND kpi_name = :name")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", name)
        .update();
    jdbc.sql("DELETE FROM kpi_definitions WHERE tenant_id = :t AND env = :e AND name = :name")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", name)
        .update();
    events.output(caller, RefType.KPI, name);
  }

  /**
   * The definition with its corridor; {@code forUpdate} locks the row, so writers of one KPI
   * serialise.
   */
  private Optional<Kpi> find(Scope scope, String name, boolean forUpdate) {
    if (name == null || !Fields.NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + FROM
                + " WHERE d.tenant_id = :t AND d.env = :e AND d.name = :name"
                + (forUpdate ? " FOR UPDATE OF d" : ""))
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", name)
        .query((rs, n) -> map(rs))
        .optional();
  }

  private static Kpi map(ResultSet rs) throws SQLException {
    Corridor corridor =
        rs.getString("kpi_name") == null
            ? null
            : new Corridor(
                rs.getString("kpi_name"),
                decimal(rs, "floor"),
                decimal(rs, "ceiling"),
                decimal(rs, "cadence_floor"),
                decimal(rs, "cadence_ceiling"),
                rs.getInt("corridor_version"),
                Sql.instant(rs, "corridor_updated_at"),
                rs.getString("corridor_updated_by"));
    return new Kpi(
        rs.getString("name"),
        rs.getString("description"),
        rs.getString("unit"),
        rs.getString("surface"),
        rs.getInt("version"),
        Sql.instant(rs, "created_at"),
        rs.getString("created_by"),
        Sql.instant(rs, "updated_at"),
        rs.getString("updated_by"),
        corridor);
  }

  private static BigDecimal decimal(ResultSet rs, String column) throws SQLException {
    BigDecimal value = rs.getBigDecimal(column);
    return value == null ? null : Decimals.normalize(value);
  }
}
