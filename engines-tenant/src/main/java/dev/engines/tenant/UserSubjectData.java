package dev.engines.tenant;

import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectRecord;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * GDPR for members: a data subject's user rows are those whose e-mail matches. Erasure deletes the
 * user and, by the foreign key, their personal keys; the tenant's last active owner cannot be
 * erased (409 {@code last_owner}) because the tenant would be left without anyone to manage it, and
 * only a caller that manages the member's rank may erase them (403 {@code forbidden_role}).
 */
public final class UserSubjectData implements ErasureHook {

  /** The record type of a member in the GDPR subject index. */
  public static final String RECORD_TYPE = "user";

  private final JdbcClient jdbc;

  private final KeyCache keyCache;

  public UserSubjectData(JdbcClient jdbc, KeyCache keyCache) {
    this.jdbc = jdbc;
    this.keyCache = keyCache;
  }

  @Override
  public String recordType() {
    return RECORD_TYPE;
  }

  @Override
  public List<String> find(Scope scope, SubjectIdentifiers subject) {
    String email = subject.get("email");
    if (email == null) {
      return List.of();
    }
    return jdbc.sql(
            "SELECT user_id FROM users WHERE tenant_id = :tenant AND lower(email) = :email ORDER BY user_id")
        .param("tenant", scope.tenantId())
        .param("email", email)
        .query(String.class)
        .list();
  }

  @Override
  public Optional<SubjectRecord> export(Scope scope, String recordId) {
    return jdbc.sql("SELECT * FROM users WHERE tenant_id = :tenant AND user_id = :id")
        .param("tenant", scope.tenantId())
        .param("id", recordId)
        .query(Members::map)
        .optional()
        .map(
            u -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("user_id", u.userId());
              data.put("email", u.email());
              data.put("display_name", u.displayName());
              data.put("role", u.role().wire());
              data.put("status", u.status());
              data.put("created_at", u.createdAt().toString());
              data.put("updated_at", u.updatedAt().toString());
              if (u.idpIssuer() != null) {
                data.put("idp_issuer", u.idpIssuer());
                data.put("idp_subject", u.idpSubject());
              }
              // A membership row is the person's contact data: never training material.
              return new SubjectRecord("user", u.userId(), false, data);
            });
  }

  /**
   * Erasing a member is removing them: the caller must manage their rank, as for {@code DELETE
   * /v1/users/{id}}.
   */
  @Override
  public void requireMayErase(Caller caller, String recordId) {
    jdbc.sql("SELECT role FROM users WHERE tenant_id = :tenant AND user_id = :id FOR UPDATE")
        .param("tenant", caller.scope().tenantId())
        .param("id", recordId)
        .query(String.class)
        .optional()
        .ifPresent(role -> Members.requireManages(caller, Role.parse(role)));
  }

  @Override
  public boolean erase(Caller caller, String recordId) {
    Scope scope = caller.scope();
    Optional<User> user =
        jdbc.sql("SELECT * FROM users WHERE tenant_id = :tenant AND user_id = :id FOR UPDATE")
            .param("tenant", scope.tenantId())
            .param("id", recordId)
            .query(Members::map)
            .optional();
    if (user.isEmpty()) {
      return false;
    }
    if (user.get().role() == Role.OWNER) {
      Members.requireAnotherActiveOwner(
          jdbc,
          scope.tenant(),
          recordId,
          "The tenant's last active owner cannot be erased; appoint another owner first.");
    }
    keyCache.changedAfterCommit(scope.tenantId());
    return jdbc.sql("DELETE FROM users WHERE tenant_id = :tenant AND user_id = :id")
            .param("tenant", scope.tenantId())
            .param("id", recordId)
            .update()
        > 0;
  }

  @Override
  public int purgeTenant(Caller caller) {
    Scope scope = caller.scope();
    keyCache.changedAfterCommit(scope.tenantId());
    jdbc.sql("DELETE FROM api_keys WHERE tenant_id = :tenant")
        .param("tenant", scope.tenantId())
        .update();
    return jdbc.sql("DELETE FROM users WHERE tenant_id = :tenant")
        .param("tenant", scope.tenantId())
        .update();
  }
}
