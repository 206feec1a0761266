package dev.engines.vector;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.vector.embed.Embedders;
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
import java.util.SequencedMap;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Vector spaces: create (idempotent by name), list in name order, read and delete (with every
 * vector). A space fixes its dimension, metric and model for good; within the env's {@code vector}
 * slot, which every call resolves (409 {@code config_missing} when it is not set).
 */
public final class VectorSpaces {

  /**
   * Dimensions the schema has HNSW indexes for (V60): spaces of other dimensions are searched
   * exactly.
   */
  public static final Set<Integer> INDEXED_DIMENSIONS = Set.of(384, 768, 1024, 1536);

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_-]{0,63}$");
  private static final String COUNTED =
      "SELECT s.*, (SELECT count(*) FROM vectors v WHERE v.tenant_id = s.tenant_id"
          + " AND v.env = s.env AND v.space_id = s.space_id) AS vector_count FROM vector_spaces s";

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final VectorSlots slots;
  private final Embedders embedders;
  private final EventRecorder events;
  private final Clock clock;
  private final PurgeFence fence;
  private final VectorTombstones tombstones;

  VectorSpaces(
      JdbcClient jdbc,
      ScopedTransactions tx,
      VectorSlots slots,
      Embedders embedders,
      EventRecorder events,
      Clock clock,
      PurgeFence fence,
      VectorTombstones tombstones) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.embedders = Objects.requireNonNull(embedders, "embedders");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.tombstones = Objects.requireNonNull(tombstones, "tombstones");
  }

  /** A space as the vector services use it: its definition, without counting its vectors. */
  record Space(String spaceId, String name, int dimension, String metric, String model) {}

  /**
   * What a create answered.
   *
   * @param created false when the env already had this space with the same definition
   */
  public record Created(VectorSpace space, boolean created) {}

  /**
   * Creates space {@code name}, or answers the existing one when its definition is the same (409
   * {@value VectorProblems#SPACE_EXISTS} when it differs).
   *
   * @param model {@value VectorSlot#CALLER} or a built-in model id, whose dimension the space must
   *     have
   */
  public Created create(
      Caller caller, String name, Integer dimension, String metric, String model) {
    Scope scope = caller.scope();
    VectorSlot slot = slots.vector(caller);
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(
          new FieldError(
              "name", "is required: a lower-case letter, then up to 63 of a-z, 0-9, _ and -"));
    }
    if (dimension == null || dimension < 1 || dimension > slot.maxDimension()) {
      errors.add(
          new FieldError(
              "dimension",
              "is required: 1 to " + slot.maxDimension() + " (this env's vector slot)"));
    }
    Optional<Metric> parsed = Metric.parse(metric);
    if (parsed.isEmpty() || !slot.metrics().contains(parsed.get())) {
      errors.add(
          new FieldError(
              "metric",
              "is required: one of "
                  + slot.metrics().stream().map(Metric::wire).sorted().toList()
                  + " (this env's vector slot)"));
    }
    if (model == null || !slot.models().contains(model)) {
      errors.add(
          new FieldError(
              "model",
              "is required: one of "
                  + slot.models().stream().sorted().toList()
                  + " (this env's vector slot)"));
    } else if (!VectorSlot.CALLER.equals(model)
        && dimension != null
        && !embedders.dimension(model).orElseThrow().equals(dimension)) {
      errors.add(
          new FieldError(
              "dimension",
              "must be "
                  + embedders.dimension(model).orElseThrow()
                  + ", the dimension of "
                  + model));
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The vector space is invalid.", errors);
    }
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          Optional<VectorSpace> existing = counted(scope, name);
          if (existing.isPresent()) {
            VectorSpace space = existing.get();
            if (space.dimension() != dimension
                || !space.metric().equals(metric)
                || !space.model().equals(model)) {
              throw EnginesException.conflict(
                  VectorProblems.SPACE_EXISTS,
                  "A vector space named "
                      + name
                      + " exists in this env with another dimension, metric or model; delete it first or choose another name.");
            }
            events.input(caller, RefType.VECTOR_SPACE, space.name());
            return new Created(space, false);
          }
          String spaceId = Ids.random("vs");
          Instant now = clock.instant();
          // Two creates of one name race to the unique key: the loser answers the winner's space.
          int inserted =
              jdbc.sql(
                      "INSERT INTO vector_spaces (tenant_id, env, space_id, name, dimension, metric, model, created_at,"
                          + " created_by) VALUES (:t, :e, :id, :name, :dimension, :metric, :model, :now, :by)"
                          + " ON CONFLICT (tenant_id, env, name) DO NOTHING")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("id", spaceId)
                  .param("name", name)
                  .param("dimension", dimension)
                  .param("metric", metric)
                  .param("model", model)
                  .param("now", Sql.ts(now))
                  .param("by", caller.actorId())
                  .update();
          if (inserted == 0) {
            throw EnginesException.conflict(
                VectorProblems.SPACE_EXISTS,
                "A vector space named "
                    + name
                    + " was created in this env at the same time; read it and retry.");
          }
          events.output(caller, RefType.VECTOR_SPACE, name);
          return new Created(counted(scope, name).orElseThrow(), true);
        });
  }

  /** The env's spaces in name order (byte order), with their vector counts. */
  public Page<VectorSpace> list(Caller caller, String cursor, int limit) {
    Scope scope = caller.scope();
    slots.vector(caller);
    String after = Cursors.decode(cursor);
    return tx.read(
        caller,
        () ->
            Page.of(
                jdbc.sql(
                        COUNTED
                            + " WHERE s.tenant_id = :t AND s.env = :e AND s.name > :after"
                            + " ORDER BY s.name LIMIT :limit")
                    .param("t", scope.tenantId())
                    .param("e", scope.env().wire())
                    .param("after", after)
                    .param("limit", limit + 1)
                    .query(VectorSpaces::map)
                    .list(),
                limit,
                VectorSpace::name));
  }

  /** Space {@code name} with its vector count; 404 when the env has none by that name. */
  public VectorSpace get(Caller caller, String name) {
    Scope scope = caller.scope();
    slots.vector(caller);
    return tx.read(caller, () -> counted(scope, name)).orElseThrow(VectorProblems::spaceNotFound);
  }

  /**
   * Deletes space {@code name} and every vector in it, leaving the space's tombstone; answers the
   * space as it was.
   */
  public VectorSpace delete(Caller caller, String name) {
    Scope scope = caller.scope();
    slots.vector(caller);
    return tx.write(
        caller,
        () -> {
          lock(scope, name);
          VectorSpace space = counted(scope, name).orElseThrow(VectorProblems::spaceNotFound);
          jdbc.sql("DELETE FROM vector_spaces WHERE tenant_id = :t AND env = :e AND space_id = :id")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("id", space.spaceId())
              .update();
          tombstones.space(scope, space);
          events.output(caller, RefType.VECTOR_SPACE, space.name());
          return space;
        });
  }

  /** Space {@code name}, inside an open transaction of {@code scope}. */
  Optional<Space> find(Scope scope, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT space_id, name, dimension, metric, model FROM vector_spaces WHERE tenant_id = :t AND env = :e"
                + " AND name = :name")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", name)
        .query(
            (rs, n) ->
                new Space(
                    rs.getString("space_id"),
                    rs.getString("name"),
                    rs.getInt("dimension"),
                    rs.getString("metric"),
                    rs.getString("model")))
        .optional();
  }

  /**
   * Space {@code name}, inside an open transaction of {@code scope}, read by the statement that
   * also sets {@code settings} (setting names, the caller's constants, to values) for the rest of
   * that transaction: one round trip for both.
   */
  Optional<Space> find(Scope scope, String name, SequencedMap<String, String> settings) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    StringBuilder sql = new StringBuilder("SELECT space_id, name, dimension, metric, model");
    Map<String, Object> values = new LinkedHashMap<>();
    settings.forEach(
        (setting, value) -> {
          String p = "set" + values.size();
          sql.append(", set_config('").append(setting).append("', :").append(p).append(", true)");
          values.put(p, value);
        });
    return jdbc.sql(sql + " FROM vector_spaces WHERE tenant_id = :t AND env = :e AND name = :name")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", name)
        .params(values)
        .query(
            (rs, n) ->
                new Space(
                    rs.getString("space_id"),
                    rs.getString("name"),
                    rs.getInt("dimension"),
                    rs.getString("metric"),
                    rs.getString("model")))
        .optional();
  }

  /**
   * Space {@code name} with its vector count (every vector counted), inside an open transaction of
   * {@code scope}.
   */
  private Optional<VectorSpace> counted(Scope scope, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(COUNTED + " WHERE s.tenant_id = :t AND s.env = :e AND s.name = :name")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", name)
        .query(VectorSpaces::map)
        .optional();
  }

  /**
   * Space {@code name} locked for this write transaction (vector writes of one space queue behind
   * each other, and a delete waits for them); 404 when there is none.
   */
  Space lock(Scope scope, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw VectorProblems.spaceNotFound();
    }
    jdbc.sql(
            "SELECT 1 FROM vector_spaces WHERE tenant_id = :t AND env = :e AND name = :name FOR UPDATE")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", name)
        .query()
        .listOfRows();
    return find(scope, name).orElseThrow(VectorProblems::spaceNotFound);
  }

  private static VectorSpace map(ResultSet rs, int row) throws SQLException {
    int dimension = rs.getInt("dimension");
    String metric = rs.getString("metric");
    return new VectorSpace(
        rs.getString("name"),
        rs.getString("space_id"),
        dimension,
        metric,
        rs.getString("model"),
        rs.getLong("vector_count"),
        INDEXED_DIMENSIONS.contains(dimension) ? "hnsw" : "exact",
        Sql.instant(rs, "created_at"),
        rs.getString("created_by"));
  }
}
