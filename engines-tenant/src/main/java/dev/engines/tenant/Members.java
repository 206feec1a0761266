package dev.engines.tenant;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.pii.TextRedactor;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.TenantId;
import dev.engines.core.version.Preconditions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.tenant.internal.Validation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Users and their memberships in a tenant. Admins manage members and viewers; only owners manage
 * owners and admins ({@link #requireManages}, the rank rule keys follow too); the last active owner
 * can be neither demoted, deactivated nor removed. A membership is versioned: every change bumps
 * its version, and a change under {@code If-Match} with another version answers 412 {@code
 * precondition_failed} (checked under the row lock, before anything else about the change).
 */
public class Members {

  private static final String LAST_OWNER = "A tenant keeps at least one active owner.";

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final EventRecorder events;
  private final AuditTrail audit;
  private final TextRedactor redactor;
  private final SubjectIndex subjects;
  private final KeyCache keyCache;

  public Members(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      EventRecorder events,
      AuditTrail audit,
      TextRedactor redactor,
      SubjectIndex subjects,
      KeyCache keyCache) {
    this.keyCache = keyCache;
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.events = events;
    this.audit = audit;
    this.redactor = redactor;
    this.subjects = subjects;
  }

  /** A new member. */
  public record NewUser(
      String email, String displayName, Role role, String idpIssuer, String idpSubject) {}

  /** Creates (invites) a user; 409 {@code user_exists} when the email or IdP identity is taken. */
  public User create(Caller caller, NewUser spec) {
    if (spec.role() == null) {
      throw EnginesException.validation("role is required.");
    }
    requireManages(caller, spec.role());
    Validation.text("display_name", spec.displayName(), 200);
    // The display name is free text: whatever else it carries (an address, a number) is redacted;
    // insert() validates the result again, since a pseudonym or token may not fit.
    String displayName = redactor.redactForStorage(caller, spec.displayName());
    return tx.write(
        caller,
        () -> {
          User user =
              insert(
                  caller.scope().tenantId(),
                  spec.email(),
                  displayName,
                  spec.role(),
                  spec.idpIssuer(),
                  spec.idpSubject(),
                  clock.instant());
          events.output(caller, RefType.USER, user.userId());
          audit.record(
              caller, "user.create", "user", user.userId(), Map.of("role", user.role().wire()));
          return user;
        });
  }

  /** Lists users ordered by id. */
  public Page<User> list(Caller caller, String cursor, int limit) {
    String after = Cursors.decode(cursor);
    Page<User> page =
        tx.read(
            caller,
            () ->
                Page.of(
                    jdbc.sql(
                            "SELECT * FROM users WHERE tenant_id = :tenant AND user_id > :after ORDER BY user_id LIMIT :limit")
                        .param("tenant", caller.scope().tenantId())
                        .param("after", after)
                        .param("limit", limit + 1)
                        .query(Members::map)
                        .list(),
                    limit,
                    User::userId));
    page.items().forEach(u -> events.output(caller, RefType.USER, u.userId()));
    return page;
  }

  /** One user of the caller's tenant; 404 for ids of other tenants (RLS hides them). */
  public User get(Caller caller, String userId) {
    User user =
        tx.read(caller, () -> find(caller.scope().tenant(), userId))
            .orElseThrow(() -> EnginesException.notFound("User"));
    events.output(caller, RefType.USER, user.userId());
    return user;
  }

  /** Changes a user's role, if {@code preconditions} on its version hold. */
  public User changeRole(Caller caller, String userId, Role newRole, Preconditions preconditions) {
    if (newRole == null) {
      throw EnginesException.validation("role is required.");
    }
    return tx.write(
        caller,
        () -> {
          User target = lockedTarget(caller.scope().tenant(), userId, preconditions);
          requireManages(caller, target.role());
          requireManages(caller, newRole);
          if (target.role() == Role.OWNER && newRole != Role.OWNER) {
            requireAnotherActiveOwner(jdbc, caller.scope().tenant(), target.userId(), LAST_OWNER);
          }
          audit.record(
              caller,
              "user.role_change",
              "user",
              userId,
              Map.of("from", target.role().wire(), "to", newRole.wire()));
          return update(caller, userId, "role = :value", newRole.wire());
        });
  }

  /** Deactivates a user: their keys and tokens stop working on the very next request. */
  public User deactivate(Caller caller, String userId, Preconditions preconditions) {
    return tx.write(
        caller,
        () -> {
          User target = lockedTarget(caller.scope().tenant(), userId, preconditions);
          requireManages(caller, target.role());
          if (target.role() == Role.OWNER) {
            requireAnotherActiveOwner(jdbc, caller.scope().tenant(), target.userId(), LAST_OWNER);
          }
          audit.record(
              caller, "user.deactivate", "user", userId, Map.of("role", target.role().wire()));
          return update(caller, userId, "status = :value", User.DEACTIVATED);
        });
  }

  /** Reactivates a deactivated user. */
  public User reactivate(Caller caller, String userId, Preconditions preconditions) {
    return tx.write(
        caller,
        () -> {
          User target = lockedTarget(caller.scope().tenant(), userId, preconditions);
          requireManages(caller, target.role());
          audit.record(
              caller, "user.reactivate", "user", userId, Map.of("role", target.role().wire()));
          return update(caller, userId, "status = :value", User.ACTIVE);
        });
  }

  /** Removes a user and their personal keys, and forgets them in the GDPR subject index. */
  public void remove(Caller caller, String userId, Preconditions preconditions) {
    tx.write(
        caller,
        () -> {
          User target = lockedTarget(caller.scope().tenant(), userId, preconditions);
          requireManages(caller, target.role());
          if (target.role() == Role.OWNER) {
            requireAnotherActiveOwner(jdbc, caller.scope().tenant(), target.userId(), LAST_OWNER);
          }
          events.output(caller, RefType.USER, userId);
          audit.record(caller, "user.remove", "user", userId, Map.of("role", target.role().wire()));
          int removed =
              jdbc.sql("DELETE FROM users WHERE tenant_id = :tenant AND user_id = :id")
                  .param("tenant", caller.scope().tenantId())
                  .param("id", userId)
                  .update();
          keyCache.changedAfterCommit(caller.scope().tenantId());
          subjects.forget(caller.scope().tenant(), UserSubjectData.RECORD_TYPE, List.of(userId));
          return removed;
        });
  }

  /**
   * Finds the active-or-not user an OIDC identity maps to in {@code tenant}, inside a transaction
   * bound to it.
   */
  Optional<User> findByIdentity(TenantId tenant, String issuer, String subject) {
    return jdbc.sql(
            "SELECT * FROM users WHERE tenant_id = :tenant AND idp_issuer = :iss AND idp_subject = :sub")
        .param("tenant", tenant.value())
        .param("iss", issuer)
        .param("sub", subject)
        .query(Members::map)
        .optional();
  }

  /** Finds a user of {@code tenant}, inside a transaction bound to it. */
  Optional<User> find(TenantId tenant, String userId) {
    return jdbc.sql("SELECT * FROM users WHERE tenant_id = :tenant AND user_id = :id")
        .param("tenant", tenant.value())
        .param("id", userId)
        .query(Members::map)
        .optional();
  }

  /** Inserts a user inside an open, tenant-bound transaction. */
  User insert(
      String tenantId,
      String email,
      String displayName,
      Role role,
      String idpIssuer,
      String idpSubject,
      Instant now) {
    Validation.email(email);
    Validation.text("display_name", displayName, 200);
    Validation.idp(idpIssuer, idpSubject);
    String userId = Ids.random("u");
    try {
      jdbc.sql(
              "INSERT INTO users (tenant_id, user_id, email, display_name, role, status, idp_issuer, idp_subject,"
                  + " created_at, updated_at) VALUES (:tenant, :id, :email, :name, :role, 'active', :iss, :sub, :now, :now)")
          .param("tenant", tenantId)
          .param("id", userId)
          .param("email", email)
          .param("name", displayName)
          .param("role", role.wire())
          .param("iss", idpIssuer)
          .param("sub", idpSubject)
          .param("now", Sql.ts(now))
          .update();
    } catch (DuplicateKeyException e) {
      throw EnginesException.conflict(
          "user_exists", "A user with this email or identity already exists in the tenant.");
    }
    subjects.register(
        TenantId.of(tenantId),
        SubjectIdentifiers.of(Map.of("email", email)),
        UserSubjectData.RECORD_TYPE,
        userId);
    return find(TenantId.of(tenantId), userId).orElseThrow();
  }

  private User lockedTarget(TenantId tenant, String userId, Preconditions preconditions) {
    User target =
        jdbc.sql("SELECT * FROM users WHERE tenant_id = :tenant AND user_id = :id FOR UPDATE")
            .param("tenant", tenant.value())
            .param("id", userId)
            .query(Members::map)
            .optional()
            .orElseThrow(() -> EnginesException.notFound("User"));
    preconditions.check(target.version(), "The member");
    return target;
  }

  /**
   * 409 {@code last_owner} (with {@code detail}) unless an active owner other than {@code userId}
   * remains in {@code tenant}. Locks every owner row, so that two concurrent demotions, removals or
   * erasures cannot both see "another owner".
   */
  static void requireAnotherActiveOwner(
      JdbcClient jdbc, TenantId tenant, String userId, String detail) {
    long others =
        jdbc
            .sql(
                "SELECT user_id FROM users WHERE tenant_id = :tenant AND role = 'owner' AND status = 'active'"
                    + " FOR UPDATE")
            .param("tenant", tenant.value())
            .query(String.class)
            .list()
            .stream()
            .filter(id -> !id.equals(userId))
            .count();
    if (others == 0) {
      throw EnginesException.conflict("last_owner", detail);
    }
  }

  private User update(Caller caller, String userId, String assignment, String value) {
    TenantId tenant = caller.scope().tenant();
    events.output(caller, RefType.USER, userId);
    jdbc.sql(
            "UPDATE users SET "
                + assignment
                + ", version = version + 1, updated_at = :now WHERE tenant_id = :tenant AND user_id = :id")
        .param("value", value)
        .param("now", Sql.ts(clock.instant()))
        .param("tenant", tenant.value())
        .param("id", userId)
        .update();
    keyCache.changedAfterCommit(tenant.value());
    return find(tenant, userId).orElseThrow();
  }

  /**
   * The one rank rule for managing principals, applied to every verb on members and keys (invite,
   * role change, deactivate, reactivate, remove, erase; create, rotate and revoke a key that is not
   * the caller's own): owners manage everyone, owners included; admins manage only the ranks below
   * their own (members and viewers); nobody else manages anyone. 403 {@code forbidden_role}
   * otherwise.
   */
  static void requireManages(Caller caller, Role targetRole) {
    Role required = targetRole.atLeast(Role.ADMIN) ? Role.OWNER : Role.ADMIN;
    if (!caller.role().atLeast(required)) {
      throw EnginesException.forbidden(
          "forbidden_role",
          "Managing " + targetRole.wire() + "s needs the " + required.wire() + " role.");
    }
  }

  static User map(ResultSet rs, int row) throws SQLException {
    return new User(
        rs.getString("tenant_id"),
        rs.getString("user_id"),
        rs.getString("email"),
        rs.getString("display_name"),
        Role.parse(rs.getString("role")),
        rs.getString("status"),
        rs.getString("idp_issuer"),
        rs.getString("idp_subject"),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"),
        rs.getInt("version"));
  }
}
