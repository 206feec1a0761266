package dev.engines.vector;

import dev.engines.core.db.Sql;
import dev.engines.core.scope.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What is left of removed vectors and spaces ({@code vector_tombstones}, V64), for pointers to
 * them: ids, names and when. Every method runs inside the caller's transaction bound to {@code
 * scope}, the one that removes (or reads) the vectors, so a removal and its tombstone commit
 * together. Writing a tombstone removes the env's tombstones older than the retention.
 */
final class VectorTombstones {

  /** The {@code vector_id} of a space's own tombstone. */
  static final String SPACE = "";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration retention;

  VectorTombstones(JdbcClient jdbc, Clock clock, Duration retention) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * A tombstone found for a pointer.
   *
   * @param refAssetId the Nexus asset the vector went with, or null (deleted on its own, or with
   *     its space)
   */
  record Tombstone(String vectorId, String refAssetId, Instant removedAt) {}

  /** Vector {@code vectorId} of space {@code space} was deleted. */
  void vector(Scope scope, VectorSpaces.Space space, String vectorId) {
    Instant now = clock.instant();
    jdbc.sql(
            "INSERT INTO vector_tombstones (tenant_id, env, space_name, vector_id, space_id, ref_asset_id, removed_at)"
                + " VALUES (:t, :e, :name, :id, :s, NULL, :now) ON CONFLICT (tenant_id, env, space_name, vector_id) DO UPDATE"
                + " SET space_id = excluded.space_id, ref_asset_id = NULL, removed_at = excluded.removed_at")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", space.name())
        .param("id", vectorId)
        .param("s", space.spaceId())
        .param("now", Sql.ts(now))
        .update();
    prune(scope, now);
  }

  /** Space {@code space} was deleted with every vector in it. */
  void space(Scope scope, VectorSpace space) {
    Instant now = clock.instant();
    jdbc.sql(
            "INSERT INTO vector_tombstones (tenant_id, env, space_name, vector_id, space_id, ref_asset_id, removed_at)"
                + " VALUES (:t, :e, :name, :id, :s, NULL, :now) ON CONFLICT (tenant_id, env, space_name, vector_id) DO UPDATE"
                + " SET space_id = excluded.space_id, removed_at = excluded.removed_at")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", space.name())
        .param("id", SPACE)
        .param("s", space.spaceId())
        .param("now", Sql.ts(now))
        .update();
    prune(scope, now);
  }

  /**
   * Deletes the vectors whose ref belongs to one of {@code assetIds}, leaving a tombstone for each
   * that names the asset.
   */
  void removeWithAssets(Scope scope, Collection<String> assetIds) {
    Instant now = clock.instant();
    int removed =
        jdbc.sql(
                "WITH gone AS (DELETE FROM vectors WHERE tenant_id = :t AND env = :e AND ref_asset_id = ANY (:ids)"
                    + " RETURNING space_id, vector_id, ref_asset_id)"
                    + " INSERT INTO vector_tombstones (tenant_id, env, space_name, vector_id, space_id, ref_asset_id, removed_at)"
                    + " SELECT :t, :e, s.name, g.vector_id, g.space_id, g.ref_asset_id, :now FROM gone g JOIN vector_spaces s"
                    + " ON s.tenant_id = :t AND s.env = :e AND s.space_id = g.space_id"
                    + " ON CONFLICT (tenant_id, env, space_name, vector_id) DO UPDATE SET space_id = excluded.space_id,"
                    + " ref_asset_id = excluded.ref_asset_id, removed_at = excluded.removed_at")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("ids", assetIds.toArray(String[]::new))
            .param("now", Sql.ts(now))
            .update();
    if (removed > 0) {
      prune(scope, now);
    }
  }

  /** Vectors {@code ids} of space {@code spaceName} exist again: their own tombstones go. */
  void revived(Scope scope, String spaceName, String[] ids) {
    jdbc.sql(
            "DELETE FROM vector_tombstones WHERE tenant_id = :t AND env = :e AND space_name = :name AND vector_id = ANY (:ids)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", spaceName)
        .param("ids", ids)
        .update();
  }

  /**
   * The tombstone that explains why vector {@code vectorId} of space {@code spaceName} is not
   * there, within the retention: its own (deleted on its own or with its asset) before its space's.
   */
  Optional<Tombstone> find(Scope scope, String spaceName, String vectorId) {
    return jdbc.sql(
            "SELECT vector_id, ref_asset_id, removed_at FROM vector_tombstones WHERE tenant_id = :t AND env = :e"
                + " AND space_name = :name AND vector_id IN (:id, '') AND removed_at > :since ORDER BY vector_id DESC LIMIT 1")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("name", spaceName)
        .param("id", vectorId)
        .param("since", Sql.ts(clock.instant().minus(retention)))
        .query(
            (rs, n) ->
                new Tombstone(
                    rs.getString("vector_id"),
                    rs.getString("ref_asset_id"),
                    Sql.instant(rs, "removed_at")))
        .optional();
  }

  /** Every tombstone of the env (tenant purge). */
  int purge(Scope scope) {
    return jdbc.sql("DELETE FROM vector_tombstones WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
  }

  private void prune(Scope scope, Instant now) {
    jdbc.sql(
            "DELETE FROM vector_tombstones WHERE tenant_id = :t AND env = :e AND removed_at <= :cutoff")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("cutoff", Sql.ts(now.minus(retention)))
        .update();
  }
}
