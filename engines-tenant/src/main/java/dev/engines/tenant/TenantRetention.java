package dev.engines.tenant;

import dev.engines.core.db.Sql;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.core.scope.Scope;
import java.time.Instant;
import java.util.Set;
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
    return new RetentionHook() {
      @Override
      public String dataClass() {
        return "deactivated_users";
      }

      @Override
      public String recordType() {
        return "user";
      }

      @Override
      public int purge(Scope scope, Instant cutoff, Set<String> held) {
        return jdbc.sql("DELETE FROM users WHERE status = 'deactivated' AND updated_at < :cutoff"
                + " AND NOT (user_id = ANY (:held))")
            .param("cutoff", Sql.ts(cutoff))
            .param("held", held.toArray(String[]::new))
            .update();
      }
    };
  }

  /** {@code revoked_api_keys}. */
  public static RetentionHook revokedApiKeys(JdbcClient jdbc) {
    return new RetentionHook() {
      @Override
      public String dataClass() {
        return "revoked_api_keys";
      }

      @Override
      public String recordType() {
        return "api_key";
      }

      @Override
      public int purge(Scope scope, Instant cutoff, Set<String> held) {
        return jdbc.sql("DELETE FROM api_keys WHERE revoked_at < :cutoff AND NOT (key_id = ANY (:held))")
            .param("cutoff", Sql.ts(cutoff))
            .param("held", held.toArray(String[]::new))
            .update();
      }
    };
  }
}
