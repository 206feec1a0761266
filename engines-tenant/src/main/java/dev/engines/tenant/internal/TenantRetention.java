package dev.engines.tenant.internal;

import dev.engines.core.db.Sql;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.tenant.UserSubjectData;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The retention classes of tenancy data: {@code deactivated_users} (members deactivated longer than
 * the period are removed with their personal keys) and {@code revoked_api_keys} (key rows revoked
 * longer than the period are deleted). Both are tenant-level data, so a policy set in any env of
 * the tenant applies to them.
 */
public final class TenantRetention {

  private TenantRetention() {}

  /** {@code deactivated_users}; the members that go leave the GDPR subject index with them. */
  public static RetentionHook deactivatedUsers(JdbcClient jdbc, SubjectIndex subjects) {
    return RetentionHook.of(
        "deactivated_users",
        UserSubjectData.RECORD_TYPE,
        (scope, cutoff, held) -> {
          List<String> removed =
              jdbc.sql(
                      "DELETE FROM users WHERE tenant_id = :tenant AND status = 'deactivated'"
                          + " AND updated_at < :cutoff AND NOT (user_id = ANY (:held)) RETURNING user_id")
                  .param("tenant", scope.tenantId())
                  .param("cutoff", Sql.ts(cutoff))
                  .param("held", held.toArray(String[]::new))
                  .query(String.class)
                  .list();
          subjects.forget(scope.tenant(), UserSubjectData.RECORD_TYPE, removed);
          return removed.size();
        });
  }

  /** {@code revoked_api_keys}. */
  public static RetentionHook revokedApiKeys(JdbcClient jdbc) {
    return RetentionHook.of(
        "revoked_api_keys",
        "api_key",
        (scope, cutoff, held) ->
            jdbc.sql(
                    "DELETE FROM api_keys WHERE tenant_id = :tenant AND revoked_at < :cutoff AND NOT (key_id = ANY (:held))")
                .param("tenant", scope.tenantId())
                .param("cutoff", Sql.ts(cutoff))
                .param("held", held.toArray(String[]::new))
                .update());
  }
}
