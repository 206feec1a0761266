package dev.engines.config;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.version.Preconditions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versioned configuration slots of each tenant/env ({@code env_config}). A write validates the
 * settings with the rules of the slot's engine ({@link ConfigSlot}), stores them as version n+1 and
 * appends a {@code config.update} audit entry, all in one transaction; rows are never updated, so
 * the history shows what was in force when. Readers get the highest version, read fresh on every
 * call (no cache: a change applies to the next request).
 */
public final class EnvConfigs {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<TreeMap<String, Object>> SETTINGS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final AuditTrail audit;
  private final SortedMap<String, ConfigSlot> slots;
  private final EventRecorder events;

  /**
   * @param slots the slots the engines offer; names must be unique
   * @throws IllegalStateException when two slots have the same name
   */
  public EnvConfigs(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      List<ConfigSlot> slots,
      EventRecorder events) {
    this.events = Objects.requireNonNull(events, "events");
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = Objects.requireNonNull(audit, "audit");
    TreeMap<String, ConfigSlot> byName =
        slots.stream()
            .collect(
                Collectors.toMap(
                    ConfigSlot::name,
                    Function.identity(),
                    (a, b) -> {
                      throw new IllegalStateException("two config slots named " + a.name());
                    },
                    TreeMap::new));
    this.slots = Collections.unmodifiableSortedMap(byName);
  }

  /**
   * One stored version of a slot.
   *
   * @param settings the validated settings in their canonical form (snake_case keys, sorted)
   * @param createdBy the actor id that wrote it
   */
  public record Version(
      String slot,
      int version,
      Map<String, Object> settings,
      Instant createdAt,
      String createdBy) {}

  /**
   * The version in force for {@code slot} in the caller's tenant/env.
   *
   * @throws EnginesException 404 {@code not_found} for a slot name that does not exist; 409 {@code
   *     config_missing} when the slot was never set in this env
   */
  public Version current(Caller caller, String slot) {
    String name = slotName(slot);
    Version version = latest(caller, name).orElseThrow(() -> missing(name, caller.scope()));
    events.output(caller, RefType.CONFIG, name + "/" + version.version());
    return version;
  }

  /**
   * The settings in force for {@code slot} in {@code scope}, read in their own transaction: what an
   * engine reads its slot with.
   *
   * @throws EnginesException 409 {@code config_missing} when the slot was never set in this env
   */
  public Map<String, Object> require(Caller caller, String slot) {
    return latest(caller, slot).orElseThrow(() -> missing(slot, caller.scope())).settings();
  }

  /**
   * The version in force, read in its own transaction bound to {@code caller}'s scope; empty when
   * never set.
   */
  public Optional<Version> latest(Caller caller, String slot) {
    Scope scope = caller.scope();
    return tx.read(
        caller,
        () ->
            jdbc.sql(
                    "SELECT * FROM env_config WHERE tenant_id = :t AND env = :e AND slot = :slot"
                        + " ORDER BY version DESC LIMIT 1")
                .param("t", scope.tenantId())
                .param("e", scope.env().wire())
                .param("slot", slot)
                .query(EnvConfigs::map)
                .optional());
  }

  /** Every version, newest first, {@code limit} at a time. */
  public Page<Version> versions(Caller caller, String slot, String cursor, int limit) {
    String name = slotName(slot);
    int below = Cursors.decodeInt(cursor, Integer.MAX_VALUE);
    Scope scope = caller.scope();
    Page<Version> page =
        tx.read(
            caller,
            () ->
                Page.of(
                    jdbc.sql(
                            "SELECT * FROM env_config WHERE tenant_id = :t AND env = :e AND slot = :slot AND version < :below"
                                + " ORDER BY version DESC LIMIT :limit")
                        .param("t", scope.tenantId())
                        .param("e", scope.env().wire())
                        .param("slot", name)
                        .param("below", below)
                        .param("limit", limit + 1)
                        .query(EnvConfigs::map)
                        .list(),
                    limit,
                    v -> Integer.toString(v.version())));
    page.items().forEach(v -> events.output(caller, RefType.CONFIG, name + "/" + v.version()));
    return page;
  }

  /**
   * Validates {@code settings} and stores them as the next version.
   *
   * @param preconditions on the slot's version ({@code "0"}: never set); when they do not hold, 412
   *     {@code precondition_failed} and nothing is written
   * @throws dev.engines.core.error.InvalidFieldsException 400 naming every invalid field
   */
  public Version put(
      Caller caller, String slot, Map<String, Object> settings, Preconditions preconditions) {
    String name = slotName(slot);
    Map<String, Object> canonical = slots.get(name).validate(settings);
    Scope scope = caller.scope();
    return tx.write(
        caller,
        () -> {
          // Serialises writers of this slot, so version n+1 is computed from the real current one.
          jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
              .param("k", "env_config/" + scope + "/" + name)
              .query()
              .singleRow();
          int current =
              jdbc.sql(
                      "SELECT coalesce(max(version), 0) FROM env_config WHERE tenant_id = :t AND env = :e"
                          + " AND slot = :slot")
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("slot", name)
                  .query(Integer.class)
                  .single();
          preconditions.check(current, "The " + name + " slot");
          int version = current + 1;
          Instant now = clock.instant();
          String json = JSON.writeValueAsString(canonical);
          jdbc.sql(
                  "INSERT INTO env_config (tenant_id, env, slot, version, settings, created_at, created_by)"
                      + " VALUES (:t, :e, :slot, :version, CAST(:settings AS jsonb), :now, :by)")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("slot", name)
              .param("version", version)
              .param("settings", json)
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .update();
          slots.get(name).written(scope);
          // Settings hold names and numbers only (no secrets, no personal data), so the audit entry
          // carries them whole: the chain alone shows what was configured when.
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("version", version);
          details.put("previous_version", current);
          details.put("settings", canonical);
          audit.record(caller, "config.update", "env_config", name, details);
          events.output(caller, RefType.CONFIG, name + "/" + version);
          return new Version(name, version, canonical, now, caller.actorId());
        });
  }

  /**
   * The problem of a slot that is not set in {@code scope}: 409 {@code config_missing}, naming how
   * to set it.
   */
  public static EnginesException missing(String slot, Scope scope) {
    return EnginesException.conflict(
        ProblemCodes.CONFIG_MISSING,
        "The "
            + slot
            + " config slot is not set for env "
            + scope.env().wire()
            + " of this tenant; an admin sets it with PUT /v1/config/"
            + slot
            + ".");
  }

  /** The names of the slots the engines offer, sorted. */
  public List<String> slots() {
    return List.copyOf(slots.keySet());
  }

  private String slotName(String slot) {
    if (slot == null || !slots.containsKey(slot)) {
      throw new EnginesException(
          404, ProblemCodes.NOT_FOUND, "No such config slot; slots are " + slots.keySet() + ".");
    }
    return slot;
  }

  private static Version map(ResultSet rs, int row) throws SQLException {
    return new Version(
        rs.getString("slot"),
        rs.getInt("version"),
        Collections.unmodifiableMap(JSON.readValue(rs.getString("settings"), SETTINGS)),
        Sql.instant(rs, "created_at"),
        rs.getString("created_by"));
  }
}
