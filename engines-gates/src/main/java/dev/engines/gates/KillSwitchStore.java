package dev.engines.gates;

import dev.engines.core.db.Sql;
import dev.engines.core.scope.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JDBC store of the kill switches ({@code kill_switches}): one row per version, never updated,
 * the highest version in force.
 */
final class KillSwitchStore {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

  private final JdbcClient jdbc;

  KillSwitchStore(JdbcClient jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  /** The switch in force, inside a transaction bound to {@code scope}. */
  KillSwitch latest(Scope scope) {
    return jdbc.sql(
            "SELECT version, disabled_actions, disabled_providers, created_at, created_by FROM kill_switches"
                + " WHERE tenant_id = :t AND env = :e ORDER BY version DESC LIMIT 1")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .query(KillSwitchStore::map)
        .optional()
        .orElse(KillSwitch.NONE);
  }

  /** Inserts {@code version}, inside a write transaction bound to {@code scope}. */
  void insert(Scope scope, KillSwitch version) {
    jdbc.sql(
            "INSERT INTO kill_switches (tenant_id, env, version, disabled_actions, disabled_providers, created_at, created_by)"
                + " VALUES (:t, :e, :version, CAST(:actions AS jsonb), CAST(:providers AS jsonb), :at, :by)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("version", version.version())
        .param("actions", JSON.writeValueAsString(version.disabledActions()))
        .param("providers", JSON.writeValueAsString(version.disabledProviders()))
        .param("at", Sql.ts(version.updatedAt()))
        .param("by", version.updatedBy())
        .update();
  }

  /** Deletes every version in {@code scope} (tenant purge). */
  int purge(Scope scope) {
    return jdbc.sql("DELETE FROM kill_switches WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
  }

  private static KillSwitch map(ResultSet rs, int row) throws SQLException {
    Instant at = Sql.instant(rs, "created_at");
    return new KillSwitch(
        rs.getInt("version"),
        JSON.readValue(rs.getString("disabled_actions"), NAMES),
        JSON.readValue(rs.getString("disabled_providers"), NAMES),
        at,
        rs.getString("created_by"));
  }
}
