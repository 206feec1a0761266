package dev.engines.vector;

import dev.engines.core.scope.Scope;
import dev.engines.nexus.AssetRemovals;
import java.util.Collection;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * When Nexus assets leave the reads (deleted by a caller, erased for a data subject, purged), the
 * vectors whose ref names one of them or one of their atoms go in the same transaction: a search
 * never returns a pointer to something deleted.
 */
final class AssetVectors implements AssetRemovals {

  private final JdbcClient jdbc;

  AssetVectors(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void removed(Scope scope, Collection<String> assetIds) {
    jdbc.sql("DELETE FROM vectors WHERE tenant_id = :t AND env = :e AND ref_asset_id = ANY (:ids)")
        .param("t", scope.tenantId()).param("e", scope.env().wire()).param("ids", assetIds.toArray(String[]::new))
        .update();
  }
}
