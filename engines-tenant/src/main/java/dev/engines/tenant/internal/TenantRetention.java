package dev.engines.tenant.internal;

import dev.engines.core.db.Sql;
import dev.engines.core.gdpr.RetentionHook;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The retention classes of tenancy data: {@code deactivated_users} (members deactivated longer than
 * the period are removed with their personal keys) and {@code revoked_api_keys} (key rows revoked
 * longer than the period are deleted). Both are tenant-level data, so a policy set in any env of
 * the tenant applies to them.
 */
public final class TenantRetention {

  private TenantRetention() {}

  /** {@code deactivated_users}. */
  public static RetentionHook deactivatedUsers(JdbcClient jdbc) {
    return RetentionHook.of("deactivated_users", "user", (scope, cutoff, held) ->
        jdbc.sql("DELETE FROM users WHERE status = 'deactivated' AND updated_at < :cutoff AND NOT (user_id = ANY (:held))")
            .param("cutoff", Sql.ts(cutoff))
            .param("held", held.toArray(String[]::new))
            .update());
  }

  /** {@code revoked_api_keys}. */
  public static RetentionHook revokedApiKeys(JdbcClient jdbc) {
    return RetentionHook.of("revoked_api_keys", "api_key", (scope, cutoff, held) ->
        jdbc.sql("DELETE FROM api_keys WHERE revoked_at < :cutoff AND NOT (key_id = ANY (:held))")
            .param("cutoff", Sql.ts(cutoff))
            .param("held", held.toArray(String[]::new))
            .update());
  }
}
