package dev.engines.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestTenants.Fixture;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * Row-Level Security as the application role sees it (DESIGN §5): the role is bound by RLS, every
 * table with a {@code tenant_id} has RLS enabled and forced with tenant-leading keys, and every
 * binding of {@link dev.engines.core.db.ScopedTransactions} sees and changes exactly what it may.
 *
 * <p>Tenant tables are discovered from {@code pg_catalog}, not listed here, so a new table that
 * forgets its policies fails this class. {@code information_schema} is not used for discovery
 * because it hides tables the querying role has no grant on.
 */
class RowLevelSecurityIntegrationTests extends IntegrationTest {

  private static final String FLYWAY_TABLE = "flyway_schema_history";
  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final String RLS_VIOLATION = "violates row-level security policy";

  @Value("${spring.datasource.username}")
  private String appRole;

  @Value("${spring.datasource.password}")
  private String appPassword;

  @Value("${spring.flyway.user}")
  private String ownerRole;

  // ---------------------------------------------------------------- the role and the catalog

  @Test
  void appRoleWhenInspectedThenIsNotSuperuserNotBypassRlsAndOwnsNothingInPublic()
      throws SQLException {
    assertThat(jdbc.sql("SELECT current_user").query(String.class).single())
        .as("the application's DataSource connects as the app role")
        .isEqualTo(appRole)
        .isNotEqualTo(ownerRole);
    try (Connection c = connectAsApp()) {
      // Every role the app role is, or may SET ROLE to: none may be privileged or own anything.
      List<Map<String, Object>> roles =
          rows(
              c,
              """
          SELECT r.rolname, r.rolsuper, r.rolbypassrls
            FROM pg_roles r
           WHERE pg_has_role(current_user, r.oid, 'MEMBER')""");
      assertThat(roles)
          .extracting(r -> r.get("rolname"))
          .as("roles the app role can act as")
          .containsExactly(appRole);
      assertThat(roles.get(0).get("rolsuper")).as("rolsuper").isEqualTo(false);
      assertThat(roles.get(0).get("rolbypassrls")).as("rolbypassrls").isEqualTo(false);

      assertThat(
              rows(
                  c,
                  """
          SELECT c.relname, c.relkind FROM pg_class c
           WHERE c.relnamespace = 'public'::regnamespace AND pg_has_role(current_user, c.relowner, 'MEMBER')"""))
          .as("tables, views, sequences, indexes in public owned by the app role")
          .isEmpty();
      assertThat(
              rows(
                  c,
                  """
          SELECT p.proname FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace AND pg_has_role(current_user, p.proowner, 'MEMBER')"""))
          .as("functions in public owned by the app role")
          .isEmpty();
      assertThat(
              rows(
                  c,
                  """
          SELECT t.typname FROM pg_type t
           WHERE t.typnamespace = 'public'::regnamespace AND pg_has_role(current_user, t.typowner, 'MEMBER')"""))
          .as("types in public owned by the app role")
          .isEmpty();
      assertThat(
              single(
                  c,
                  "SELECT pg_has_role(current_user, n.nspowner, 'MEMBER') FROM pg_namespace n WHERE n.nspname = 'public'"))
          .as("owns schema public")
          .isEqualTo(false);
      assertThat(single(c, "SELECT has_schema_privilege(current_user, 'public', 'CREATE')"))
          .as("CREATE on public")
          .isEqualTo(false);
      assertThat(
              single(
                  c, "SELECT has_database_privilege(current_user, current_database(), 'CREATE')"))
          .as("CREATE on the database")
          .isEqualTo(false);

      // Non-vacuous: the tables exist and someone else (the migration owner) owns them.
      assertThat(
              rows(
                  c,
                  """
          SELECT c.relname FROM pg_class c
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND pg_get_userbyid(c.relowner) = ?""",
                  ownerRole))
          .extracting(r -> r.get("relname"))
          .contains("tenants", "users", "api_keys");
    }
  }

  @Test
  void tenantTablesWhenDiscoveredThenRowLevelSecurityIsEnabledAndForcedWithPolicies()
      throws SQLException {
    try (Connection c = connectAsApp()) {
      List<Map<String, Object>> tables =
          rows(
              c,
              """
          SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                 (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> ?
           ORDER BY c.relname""",
              FLYWAY_TABLE);
      assertThat(tables)
          .extracting(t -> t.get("relname"))
          .as("discovered tenant tables")
          .contains("tenants", "users", "api_keys");
      List<String> problems = new ArrayList<>();
      for (Map<String, Object> table : tables) {
        if (!Boolean.TRUE.equals(table.get("relrowsecurity"))) {
          problems.add(table.get("relname") + ": ROW LEVEL SECURITY not enabled");
        }
        if (!Boolean.TRUE.equals(table.get("relforcerowsecurity"))) {
          problems.add(table.get("relname") + ": ROW LEVEL SECURITY not forced");
        }
        if (((Number) table.get("policies")).longValue() == 0) {
          problems.add(table.get("relname") + ": has no policy");
        }
      }
      assertThat(problems).as("tenant tables without enforced RLS").isEmpty();

      // Views run with their owner's rights (which bypass RLS) unless security_invoker is set, and
      // materialized views cannot have RLS at all: neither may expose tenant_id to the app role.
      assertThat(
              rows(
                  c,
                  """
          SELECT c.relname, c.relkind FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
           WHERE c.relnamespace = 'public'::regnamespace
             AND ((c.relkind = 'v' AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false))
               OR (c.relkind = 'm' AND has_table_privilege(current_user, c.oid, 'SELECT')))"""))
          .as("views or materialized views exposing tenant_id around RLS")
          .isEmpty();
    }
  }

  @Test
  void
      tenantTablesWhenDiscoveredThenPrimaryKeysLeadWithTenantIdAndForeignKeysAndUniqueIndexesIncludeIt()
          throws SQLException {
    List<String> problems = new ArrayList<>();
    List<String> foreignKeys = new ArrayList<>();
    List<String> uniqueIndexes = new ArrayList<>();
    try (Connection c = connectAsApp()) {
      Map<String, Integer> tenantColumn = new LinkedHashMap<>();
      for (Map<String, Object> t :
          rows(
              c,
              """
          SELECT c.relname, a.attnum FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> ?""",
              FLYWAY_TABLE)) {
        tenantColumn.put((String) t.get("relname"), ((Number) t.get("attnum")).intValue());
      }
      for (Map.Entry<String, Integer> table : tenantColumn.entrySet()) {
        String name = table.getKey();
        int tenantAttnum = table.getValue();
        List<Map<String, Object>> primaryKeys =
            rows(
                c,
                """
            SELECT conname, conkey::int[] AS cols FROM pg_constraint
             WHERE conrelid = ('public.' || quote_ident(?))::regclass AND contype = 'p'""",
                name);
        if (primaryKeys.isEmpty()) {
          problems.add(name + ": no primary key");
        }
        for (Map<String, Object> pk : primaryKeys) {
          if (ints(pk.get("cols")).get(0) != tenantAttnum) {
            problems.add(
                name + ": primary key " + pk.get("conname") + " does not start with tenant_id");
          }
        }
        for (Map<String, Object> fk :
            rows(
                c,
                """
            SELECT conname, conkey::int[] AS cols, confkey::int[] AS refcols, confrelid::regclass::text AS reftable,
                   (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = confrelid AND a.attname = 'tenant_id'
                       AND NOT a.attisdropped) AS ref_tenant
              FROM pg_constraint
             WHERE conrelid = ('public.' || quote_ident(?))::regclass AND contype = 'f'""",
                name)) {
          foreignKeys.add((String) fk.get("conname"));
          List<Integer> cols = ints(fk.get("cols"));
          List<Integer> refCols = ints(fk.get("refcols"));
          int at = cols.indexOf(tenantAttnum);
          Number refTenant = (Number) fk.get("ref_tenant");
          // tenant_id must be matched to the referenced table's tenant_id, not to some other
          // column.
          if (at < 0 || refTenant == null || refCols.get(at) != refTenant.intValue()) {
            problems.add(
                name
                    + ": foreign key "
                    + fk.get("conname")
                    + " to "
                    + fk.get("reftable")
                    + " does not match tenant_id to tenant_id");
          }
        }
        for (Map<String, Object> index :
            rows(
                c,
                """
            SELECT i.indexrelid::regclass::text AS index_name, i.indkey::int[] AS cols FROM pg_index i
             WHERE i.indrelid = ('public.' || quote_ident(?))::regclass AND i.indisunique""",
                name)) {
          uniqueIndexes.add((String) index.get("index_name"));
          if (!ints(index.get("cols")).contains(tenantAttnum)) {
            problems.add(
                name + ": unique index " + index.get("index_name") + " does not include tenant_id");
          }
        }
      }
    }
    assertThat(foreignKeys)
        .as("foreign keys checked")
        .contains("api_keys_tenant_id_user_id_fkey", "users_tenant_id_fkey");
    assertThat(uniqueIndexes)
        .as("unique indexes checked")
        .contains("users_pkey", "users_email_uq", "users_idp_uq");
    assertThat(problems).as("keys that open a side channel around RLS").isEmpty();
  }

  // ---------------------------------------------------------------- no tenant bound

  @Test
  void tenantTablesWhenNoTenantBoundThenSelectSeesNoRowsAndWritesAffectNothingOrAreRejected()
      throws SQLException {
    Member a = tenants.tenant("rlsnone");
    tenants.user(a, "member");
    Scope scopeA = Scope.of(a.tenantId(), "dev");
    // Positive control: bound to the tenant, the rows are there.
    assertThat(
            tx.read(
                Caller.system(scopeA, "test"),
                () -> count("tenants") + "/" + count("users") + "/" + count("api_keys")))
        .isEqualTo("1/2/2");

    List<String> tables = tenantTables();
    List<String> problems = new ArrayList<>();
    try (Connection c = connectAsApp()) {
      assertThat(single(c, "SELECT current_setting('app.tenant_id', true)"))
          .as("a fresh session has no tenant")
          .isNull();
      for (String table : tables) {
        String quoted = quoteIdent(c, table);
        boolean canSelect = privilege(c, table, "SELECT");
        Object selected = attempt(c, "SELECT count(*) FROM " + quoted);
        if (canSelect ? !Long.valueOf(0).equals(selected) : !isPermissionDenied(selected)) {
          problems.add(table + ": SELECT without tenant gave " + selected);
        }
        expectNothingOrDenied(
            problems,
            table,
            "UPDATE",
            privilege(c, table, "UPDATE"),
            attempt(c, "UPDATE " + quoted + " SET tenant_id = tenant_id"));
        expectNothingOrDenied(
            problems,
            table,
            "DELETE",
            privilege(c, table, "DELETE"),
            attempt(c, "DELETE FROM " + quoted));
        // RLS WITH CHECK runs before NOT NULL and CHECK constraints, so a row carrying only a
        // tenant_id is enough: it must be refused by the policy, not by a constraint.
        Object inserted =
            attempt(
                c,
                "INSERT INTO "
                    + quoted
                    + " (tenant_id) VALUES (CAST(? AS "
                    + tenantIdType(c, table)
                    + "))",
                a.tenantId());
        expectRejected(
            problems, table, "INSERT without tenant", privilege(c, table, "INSERT"), inserted);
      }
    }
    // The application's own pool, outside any transaction, is just as blind.
    for (String table : List.of("tenants", "users", "api_keys")) {
      for (int i = 0; i < 20; i++) {
        assertThat(count(table)).as("%s via the app pool without a binding", table).isZero();
      }
    }
    assertThat(problems).as("tables leaking or accepting writes without a tenant").isEmpty();
  }

  @Test
  void tenantTablesWhenAnotherTenantBoundThenItsRowsAreInvisibleAndWritesForThemAreRejected() {
    Member a = tenants.tenant("rlsgena");
    Member b = tenants.tenant("rlsgenb");
    Scope scopeB = Scope.of(b.tenantId(), "dev");
    List<String> problems = new ArrayList<>();
    for (String table : tenantTables()) {
      String quoted =
          jdbc.sql("SELECT quote_ident(:t)").param("t", table).query(String.class).single();
      String type =
          jdbc.sql(
                  "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                      + " WHERE a.attrelid = ('public.' || quote_ident(:t))::regclass AND a.attname = 'tenant_id'")
              .param("t", table)
              .query(String.class)
              .single();
      Object seen =
          attempt(
              () ->
                  tx.read(
                      Caller.system(scopeB, "test"),
                      () ->
                          jdbc.sql("SELECT count(*) FROM " + quoted + " WHERE tenant_id = :a")
                              .param("a", a.tenantId())
                              .query(Long.class)
                              .single()));
      if (!Long.valueOf(0).equals(seen) && !isPermissionDenied(seen)) {
        problems.add(table + ": B sees A's rows: " + seen);
      }
      Object updated =
          attempt(
              () ->
                  rolledBack(
                      scopeB,
                      () ->
                          jdbc.sql(
                                  "UPDATE "
                                      + quoted
                                      + " SET tenant_id = tenant_id WHERE tenant_id = :a")
                              .param("a", a.tenantId())
                              .update()));
      if (!Integer.valueOf(0).equals(updated) && !isPermissionDenied(updated)) {
        problems.add(table + ": B updated A's rows: " + updated);
      }
      Object deleted =
          attempt(
              () ->
                  rolledBack(
                      scopeB,
                      () ->
                          jdbc.sql("DELETE FROM " + quoted + " WHERE tenant_id = :a")
                              .param("a", a.tenantId())
                              .update()));
      if (!Integer.valueOf(0).equals(deleted) && !isPermissionDenied(deleted)) {
        problems.add(table + ": B deleted A's rows: " + deleted);
      }
      Object inserted =
          attempt(
              () ->
                  rolledBack(
                      scopeB,
                      () ->
                          jdbc.sql(
                                  "INSERT INTO "
                                      + quoted
                                      + " (tenant_id) VALUES (CAST(:a AS "
                                      + type
                                      + "))")
                              .param("a", a.tenantId())
                              .update()));
      if (!isRlsViolation(inserted) && !isPermissionDenied(inserted)) {
        problems.add(table + ": INSERT of A's row while B is bound gave " + describe(inserted));
      }
    }
    assertThat(problems).as("tables open across tenants").isEmpty();
  }

  @Test
  void
      insertWhenNoTenantOrAnotherTenantOrOperatorBoundThenUsersAndApiKeysRowsAreRejectedByWithCheck()
          throws SQLException {
    Member a = tenants.tenant("rlsinsa");
    Member b = tenants.tenant("rlsinsb");
    Scope scopeA = Scope.of(a.tenantId(), "dev");
    Scope scopeB = Scope.of(b.tenantId(), "dev");
    String userId = Ids.random("u");
    String keyId = "ak_" + Ids.randomToken(16);
    String insertUser =
        "INSERT INTO users (tenant_id, user_id, email, display_name, role, status, created_at, updated_at)"
            + " VALUES (?, ?, ?, 'Intruder', 'member', 'active', now(), now())";
    String insertKey =
        "INSERT INTO api_keys (tenant_id, key_id, kind, name, user_id, secret_hash, created_by, created_at)"
            + " VALUES (?, ?, 'personal', 'intruder key', ?, decode(repeat('00', 32), 'hex'), 'intruder', now())";
    Object[] userRow = {a.tenantId(), userId, "intruder-" + Ids.randomToken(6) + "@example.test"};
    Object[] keyRow = {a.tenantId(), keyId, a.userId()};

    // Positive control: the very same rows are valid when A is bound (then rolled back).
    assertThat(rolledBack(scopeA, () -> update(insertUser, userRow) + update(insertKey, keyRow)))
        .isEqualTo(2);

    try (Connection c = connectAsApp()) {
      assertThat(isRlsViolation(attempt(c, insertUser, userRow)))
          .as("users INSERT without tenant: rejected by RLS")
          .isTrue();
      assertThat(isRlsViolation(attempt(c, insertKey, keyRow)))
          .as("api_keys INSERT without tenant: rejected by RLS")
          .isTrue();
    }
    assertThat(isRlsViolation(attempt(() -> rolledBack(scopeB, () -> update(insertUser, userRow)))))
        .as("users INSERT for A while B is bound")
        .isTrue();
    assertThat(isRlsViolation(attempt(() -> rolledBack(scopeB, () -> update(insertKey, keyRow)))))
        .as("api_keys INSERT for A while B is bound")
        .isTrue();
    assertThat(isRlsViolation(attempt(() -> tx.operator(() -> update(insertUser, userRow)))))
        .as("users INSERT under the operator binding")
        .isTrue();
    assertThat(isRlsViolation(attempt(() -> tx.operator(() -> update(insertKey, keyRow)))))
        .as("api_keys INSERT under the operator binding")
        .isTrue();
    // Only api_key_lookup() turns the lookup binding on, for its own call; the policies alone must
    // refuse writes under it all the same.
    try (Connection c = connectAsApp()) {
      String lookup = "SELECT set_config('app.auth_lookup', 'on', true)";
      assertThat(
              attemptAfter(
                  c, lookup, "SELECT count(*) FROM users WHERE tenant_id = ?", a.tenantId()))
          .as("positive control: the lookup binding reads credentials")
          .isEqualTo(1L);
      assertThat(isRlsViolation(attemptAfter(c, lookup, insertUser, userRow)))
          .as("users INSERT with app.auth_lookup=on")
          .isTrue();
      assertThat(
              attemptAfter(
                  c,
                  lookup,
                  "UPDATE users SET display_name = 'x' WHERE tenant_id = ?",
                  a.tenantId()))
          .as("users UPDATE with app.auth_lookup=on")
          .isEqualTo(0);
      assertThat(attemptAfter(c, lookup, "DELETE FROM api_keys WHERE tenant_id = ?", a.tenantId()))
          .as("api_keys DELETE with app.auth_lookup=on")
          .isEqualTo(0);
    }
    // A bound to its own tenant still cannot move its row into another tenant.
    assertThat(
            isRlsViolation(
                attempt(
                    () ->
                        rolledBack(
                            scopeA,
                            () ->
                                jdbc.sql("UPDATE users SET tenant_id = :b WHERE user_id = :u")
                                    .param("b", b.tenantId())
                                    .param("u", a.userId())
                                    .update()))))
        .as("A moving its owner into B")
        .isTrue();
    assertThat(
            tx.read(
                Caller.system(scopeA, "test"),
                () ->
                    jdbc.sql("SELECT count(*) FROM users WHERE user_id = :u")
                        .param("u", userId)
                        .query(Long.class)
                        .single()))
        .as("nothing was written")
        .isZero();
  }

  // ---------------------------------------------------------------- tenant against tenant

  @Test
  void tenantBoundWhenReadingOrWritingAnotherTenantsRowsByIdThenSeesNothingAndChangesNothing() {
    Fixture a = tenants.fixture("rlsa");
    Fixture b = tenants.fixture("rlsb");
    Scope scopeA = Scope.of(a.tenantId(), "dev");
    Scope scopeB = Scope.of(b.tenantId(), "dev");
    List<String> bUsers =
        List.of(
            b.owner().userId(),
            b.admin().userId(),
            b.member().userId(),
            b.viewer().userId(),
            b.deactivated().userId());
    List<String> bKeys =
        List.of(
            b.owner().keyId(),
            b.admin().keyId(),
            b.member().keyId(),
            b.service().keyId(),
            b.revoked().keyId());
    List<String> aUsers = List.of(a.owner().userId(), a.admin().userId(), a.member().userId());

    tx.read(
        Caller.system(scopeA, "test"),
        () -> {
          // Positive control: A's own rows by id.
          assertThat(
                  jdbc.sql("SELECT user_id FROM users WHERE user_id IN (:ids)")
                      .param("ids", aUsers)
                      .query(String.class)
                      .list())
              .containsExactlyInAnyOrderElementsOf(aUsers);
          assertThat(jdbc.sql("SELECT tenant_id FROM tenants").query(String.class).list())
              .containsExactly(a.tenantId());
          assertThat(
                  jdbc.sql("SELECT count(*) FROM api_keys WHERE key_id = :id")
                      .param("id", a.service().keyId())
                      .query(Long.class)
                      .single())
              .isOne();
          // B's rows by id, by tenant and in full scans.
          assertThat(
                  jdbc.sql("SELECT user_id FROM users WHERE user_id IN (:ids)")
                      .param("ids", bUsers)
                      .query(String.class)
                      .list())
              .as("B's users seen from A")
              .isEmpty();
          assertThat(
                  jdbc.sql("SELECT key_id FROM api_keys WHERE key_id IN (:ids)")
                      .param("ids", bKeys)
                      .query(String.class)
                      .list())
              .as("B's keys seen from A")
              .isEmpty();
          assertThat(
                  jdbc.sql("SELECT tenant_id FROM tenants WHERE tenant_id = :b")
                      .param("b", b.tenantId())
                      .query(String.class)
                      .list())
              .as("B's tenant row seen from A")
              .isEmpty();
          assertThat(jdbc.sql("SELECT DISTINCT tenant_id FROM users").query(String.class).list())
              .containsExactly(a.tenantId());
          assertThat(jdbc.sql("SELECT DISTINCT tenant_id FROM api_keys").query(String.class).list())
              .containsExactly(a.tenantId());
          return null;
        });

    List<Integer> affected =
        rolledBack(
            scopeA,
            () ->
                List.of(
                    jdbc.sql("UPDATE users SET display_name = 'hijacked' WHERE user_id IN (:ids)")
                        .param("ids", bUsers)
                        .update(),
                    jdbc.sql("UPDATE users SET role = 'owner' WHERE tenant_id = :b")
                        .param("b", b.tenantId())
                        .update(),
                    jdbc.sql("UPDATE api_keys SET revoked_at = now() WHERE key_id IN (:ids)")
                        .param("ids", bKeys)
                        .update(),
                    jdbc.sql("UPDATE tenants SET status = 'suspended' WHERE tenant_id = :b")
                        .param("b", b.tenantId())
                        .update(),
                    jdbc.sql("DELETE FROM api_keys WHERE key_id IN (:ids)")
                        .param("ids", bKeys)
                        .update(),
                    jdbc.sql("DELETE FROM users WHERE tenant_id = :b")
                        .param("b", b.tenantId())
                        .update()));
    assertThat(affected).as("rows of B changed by A").containsOnly(0);

    // Tenant-level statements (no env) are just as confined.
    assertThat(
            tx.tenantLevel(
                scopeA.tenant(),
                () ->
                    jdbc.sql("UPDATE users SET display_name = 'hijacked' WHERE user_id IN (:ids)")
                        .param("ids", bUsers)
                        .update()))
        .isZero();

    tx.read(
        Caller.system(scopeB, "test"),
        () -> {
          assertThat(
                  jdbc.sql(
                          "SELECT user_id FROM users WHERE user_id IN (:ids) AND display_name <> 'hijacked'")
                      .param("ids", bUsers)
                      .query(String.class)
                      .list())
              .containsExactlyInAnyOrderElementsOf(bUsers);
          assertThat(
                  jdbc.sql(
                          "SELECT count(*) FROM api_keys WHERE key_id = :id AND revoked_at IS NULL")
                      .param("id", b.service().keyId())
                      .query(Long.class)
                      .single())
              .isOne();
          return null;
        });
  }

  @Test
  void operatorBindingWhenQueryingThenSeesTheTenantRegistryButNoTenantData() {
    Member a = tenants.tenant("rlsopa");
    Member b = tenants.tenant("rlsopb");
    tenants.user(a, "admin");
    List<String> ids = List.of(a.tenantId(), b.tenantId());
    // Positive control: A's users and keys exist.
    assertThat(
            tx.read(
                Caller.system(Scope.of(a.tenantId(), "dev"), "test"),
                () -> count("users") + count("api_keys")))
        .isEqualTo(4);

    tx.operator(
        () -> {
          assertThat(
                  jdbc.sql("SELECT tenant_id FROM tenants WHERE tenant_id IN (:ids)")
                      .param("ids", ids)
                      .query(String.class)
                      .list())
              .containsExactlyInAnyOrderElementsOf(ids);
          assertThat(count("users")).as("users seen by the operator").isZero();
          assertThat(count("api_keys")).as("api_keys seen by the operator").isZero();
          for (String table : tenantTables()) {
            if (!table.equals("tenants")) {
              assertThat(count(table)).as("%s seen by the operator", table).isZero();
            }
          }
          assertThat(
                  jdbc.sql("UPDATE users SET display_name = 'operator' WHERE tenant_id = :a")
                      .param("a", a.tenantId())
                      .update())
              .as("users updated by the operator")
              .isZero();
          assertThat(
                  jdbc.sql("DELETE FROM api_keys WHERE tenant_id = :a")
                      .param("a", a.tenantId())
                      .update())
              .as("api_keys deleted by the operator")
              .isZero();
          return null;
        });
  }

  // ---------------------------------------------------------------- grants

  @Test
  void appRoleWhenExceedingItsGrantsThenIsRefused() throws SQLException {
    Map<String, String> statements = new LinkedHashMap<>();
    statements.put("DROP TABLE users", "must be owner");
    statements.put("ALTER TABLE users DISABLE ROW LEVEL SECURITY", "must be owner");
    statements.put("ALTER TABLE users NO FORCE ROW LEVEL SECURITY", "must be owner");
    statements.put("ALTER TABLE api_keys ADD COLUMN probe int", "must be owner");
    statements.put("DROP POLICY tenant_isolation ON users", "must be owner");
    statements.put("CREATE POLICY probe ON users USING (true)", "must be owner");
    statements.put("TRUNCATE users", "permission denied");
    statements.put("TRUNCATE api_keys", "permission denied");
    statements.put("DELETE FROM tenants", "permission denied");
    statements.put("CREATE TABLE public.rls_probe (id int)", "permission denied");
    statements.put("CREATE TABLE rls_probe (id int)", "permission denied");
    statements.put(
        "CREATE FUNCTION public.rls_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "permission denied");
    statements.put("CREATE SCHEMA rls_probe", "permission denied");
    statements.put("SET ROLE " + ownerRole, "permission denied");
    statements.put("ALTER ROLE " + appRole + " BYPASSRLS", "must be superuser");
    statements.put(
        "INSERT INTO "
            + FLYWAY_TABLE
            + " (installed_rank, description, type, script, installed_by, success)"
            + " VALUES (999, 'probe', 'SQL', 'probe', 'probe', true)",
        "permission denied");
    statements.put("DELETE FROM " + FLYWAY_TABLE, "permission denied");
    statements.put("UPDATE " + FLYWAY_TABLE + " SET success = false", "permission denied");
    List<String> problems = new ArrayList<>();
    try (Connection c = connectAsApp()) {
      for (Map.Entry<String, String> statement : statements.entrySet()) {
        Object result = attempt(c, statement.getKey());
        if (!(result instanceof SQLException e
            && INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())
            && e.getMessage().contains(statement.getValue()))) {
          problems.add(statement.getKey() + " -> " + describe(result));
        }
      }
      for (String table : tenantTables()) {
        for (String privilege :
            List.of(
                "TRUNCATE",
                "REFERENCES",
                "TRIGGER",
                "SELECT WITH GRANT OPTION",
                "INSERT WITH GRANT OPTION",
                "UPDATE WITH GRANT OPTION",
                "DELETE WITH GRANT OPTION")) {
          if (privilege(c, table, privilege)) {
            problems.add(table + ": app role holds " + privilege);
          }
        }
      }
      // Positive control: the grants it does need are there.
      assertThat(privilege(c, "users", "DELETE")).isTrue();
      assertThat(privilege(c, "tenants", "UPDATE")).isTrue();
    }
    assertThat(problems)
        .as("statements beyond the app role's grants that were not refused")
        .isEmpty();
  }

  @Test
  void apiKeyLookupWhenCalledThenReadsThatKeyOnlyAndLeavesNoLookupBindingBehind()
      throws SQLException {
    Member a = tenants.tenant("rlslookup");
    try (Connection c = connectAsApp()) {
      assertThat(single(c, "SELECT count(*) FROM api_keys"))
          .as("no binding: no credentials")
          .isEqualTo(0L);
      assertThat(single(c, "SELECT tenant_id FROM api_key_lookup(?)", a.keyId()))
          .isEqualTo(a.tenantId());
      assertThat(single(c, "SELECT count(*) FROM api_key_lookup(?)", "ak_" + Ids.randomToken(16)))
          .isEqualTo(0L);
      // Inside an open transaction too, the binding lasts for the call alone.
      c.setAutoCommit(false);
      try (Statement statement = c.createStatement()) {
        try (ResultSet rs =
            statement.executeQuery("SELECT tenant_id FROM api_key_lookup('" + a.keyId() + "')")) {
          assertThat(rs.next()).isTrue();
        }
        try (ResultSet rs =
            statement.executeQuery(
                "SELECT coalesce(current_setting('app.auth_lookup', true), ''), (SELECT count(*) FROM api_keys)")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).as("app.auth_lookup after the call").isEmpty();
          assertThat(rs.getLong(2)).as("credentials visible after the call").isZero();
        }
      } finally {
        c.rollback();
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private Connection connectAsApp() throws SQLException {
    Connection connection = DriverManager.getConnection(DB_URL, appRole, appPassword);
    assertThat(single(connection, "SELECT current_user")).isEqualTo(appRole);
    return connection;
  }

  /** Tenant tables as the catalog describes them (not a hard-coded list). */
  private List<String> tenantTables() {
    List<String> tables =
        jdbc.sql(
                """
            SELECT c.relname FROM pg_class c
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> :flyway
             ORDER BY c.relname""")
            .param("flyway", FLYWAY_TABLE)
            .query(String.class)
            .list();
    assertThat(tables).contains("tenants", "users", "api_keys");
    return tables;
  }

  private long count(String table) {
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }

  private int update(String sql, Object... params) {
    var statement = jdbc.sql(sql);
    for (Object param : params) {
      statement = statement.param(param);
    }
    return statement.update();
  }

  /** Runs {@code work} bound to {@code scope} and rolls it back, returning its result. */
  @SuppressWarnings("unchecked")
  private <T> T rolledBack(Scope scope, Supplier<T> work) {
    try {
      tx.write(
          Caller.system(scope, "test"),
          () -> {
            throw new RolledBack(work.get());
          });
    } catch (RolledBack done) {
      return (T) done.value;
    }
    return fail("the transaction was not rolled back");
  }

  private static final class RolledBack extends RuntimeException {
    private final transient Object value;

    RolledBack(Object value) {
      super(null, null, false, false);
      this.value = value;
    }
  }

  /**
   * The statement's result (an update count or the first column of the first row), or the
   * SQLException it raised.
   */
  private static Object attempt(Connection c, String sql, Object... params) throws SQLException {
    return attemptAfter(c, null, sql, params);
  }

  /**
   * Like {@link #attempt}, after running {@code prelude} (e.g. a set_config) in the same
   * transaction.
   */
  private static Object attemptAfter(Connection c, String prelude, String sql, Object... params)
      throws SQLException {
    c.setAutoCommit(false);
    if (prelude != null) {
      try (var statement = c.createStatement()) {
        statement.execute(prelude);
      }
    }
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      if (statement.execute()) {
        try (ResultSet rs = statement.getResultSet()) {
          return rs.next() ? rs.getObject(1) : null;
        }
      }
      return statement.getUpdateCount();
    } catch (SQLException e) {
      return e;
    } finally {
      c.rollback();
    }
  }

  /** The supplier's result, or the SQLException it raised (unwrapped from Spring's exceptions). */
  private static Object attempt(Supplier<?> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql) {
          return sql;
        }
      }
      throw e;
    }
  }

  private static boolean isRlsViolation(Object result) {
    return result instanceof SQLException e
        && INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())
        && e.getMessage().contains(RLS_VIOLATION);
  }

  private static boolean isPermissionDenied(Object result) {
    return result instanceof SQLException e
        && INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())
        && e.getMessage().contains("permission denied");
  }

  private static void expectNothingOrDenied(
      List<String> problems, String table, String verb, boolean granted, Object result) {
    if (granted ? !Integer.valueOf(0).equals(result) : !isPermissionDenied(result)) {
      problems.add(table + ": " + verb + " without tenant gave " + describe(result));
    }
  }

  private static void expectRejected(
      List<String> problems, String table, String what, boolean granted, Object result) {
    if (granted ? !isRlsViolation(result) : !isPermissionDenied(result)) {
      problems.add(table + ": " + what + " gave " + describe(result));
    }
  }

  private static String describe(Object result) {
    return result instanceof SQLException e
        ? e.getSQLState() + " " + e.getMessage()
        : String.valueOf(result);
  }

  private static boolean privilege(Connection c, String table, String privilege)
      throws SQLException {
    return (Boolean)
        single(
            c,
            "SELECT has_table_privilege(current_user, ('public.' || quote_ident(?))::regclass, ?)",
            table,
            privilege);
  }

  private static String quoteIdent(Connection c, String identifier) throws SQLException {
    return (String) single(c, "SELECT quote_ident(?)", identifier);
  }

  private static String tenantIdType(Connection c, String table) throws SQLException {
    return (String)
        single(
            c,
            "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " WHERE a.attrelid = ('public.' || quote_ident(?))::regclass AND a.attname = 'tenant_id'",
            table);
  }

  private static Object single(Connection c, String sql, Object... params) throws SQLException {
    List<Map<String, Object>> rows = rows(c, sql, params);
    assertThat(rows).hasSize(1);
    return rows.get(0).values().iterator().next();
  }

  private static List<Map<String, Object>> rows(Connection c, String sql, Object... params)
      throws SQLException {
    c.setAutoCommit(true);
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= columns; i++) {
            Object value = rs.getObject(i);
            row.put(
                rs.getMetaData().getColumnLabel(i),
                value instanceof java.sql.Array array ? array.getArray() : value);
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  private static List<Integer> ints(Object array) {
    List<Integer> values = new ArrayList<>();
    for (Object value : (Object[]) array) {
      values.add(((Number) value).intValue());
    }
    return values;
  }
}
