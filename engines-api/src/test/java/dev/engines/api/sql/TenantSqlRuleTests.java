package dev.engines.api.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL scan's own rules, on statements written here: a statement that breaks the isolation rule
 * is found, the same statement scoped properly is not, and the Java scanner reads statements
 * however the code assembles them. No Spring, no database.
 */
class TenantSqlRuleTests {

  /**
   * A tenant-level table, an env-scoped one and their neighbours, as the schema query classifies
   * them.
   */
  private static final Map<String, Boolean> TABLES =
      Map.of(
          "gdpr_subject_records",
          false,
          "users",
          false,
          "api_keys",
          false,
          "tenants",
          false,
          "atoms",
          true,
          "raw_assets",
          true,
          "derivations",
          true,
          "usage_log",
          true,
          "sessions",
          true);

  private final TenantSqlRule rule = new TenantSqlRule(TABLES, Set.of());

  @Test
  void deleteWhenNoWhereThenTenantIdMissing() {
    assertThat(rule.violations("DELETE FROM gdpr_subject_records"))
        .containsExactly("gdpr_subject_records: tenant_id is not bound to a value");
    assertThat(
            rule.violations(
                "DELETE FROM gdpr_subject_records WHERE tenant_id = :t AND subject_id = ANY (:ids)"))
        .isEmpty();
  }

  @Test
  void selectWhenEnvScopedTableNamesOnlyTenantThenEnvMissing() {
    assertThat(rule.violations("SELECT * FROM atoms WHERE tenant_id = :t AND atom_id = :id"))
        .containsExactly("atoms: env is not bound to a value");
    assertThat(
            rule.violations(
                "SELECT * FROM atoms WHERE tenant_id = :t AND env = :e AND atom_id = :id"))
        .isEmpty();
    assertThat(rule.violations("SELECT * FROM users WHERE user_id = ? AND tenant_id = ?"))
        .isEmpty();
  }

  @Test
  void joinWhenBoundThroughTheOtherTableThenPasses() {
    String joined =
        "SELECT a.* FROM atoms a JOIN raw_assets r ON r.tenant_id = a.tenant_id AND r.env = a.env"
            + " AND r.asset_id = a.asset_id WHERE a.tenant_id = :t AND a.env = :e";
    assertThat(rule.violations(joined)).isEmpty();
    assertThat(
            rule.violations(
                "SELECT a.* FROM atoms a JOIN raw_assets r ON r.asset_id = a.asset_id"
                    + " WHERE a.tenant_id = :t AND a.env = :e"))
        .containsExactly(
            "raw_assets r: tenant_id is not bound to a value",
            "raw_assets r: env is not bound to a value");
    // Equal to each other but to no value: both unbound.
    assertThat(
            rule.violations(
                "SELECT * FROM atoms a JOIN raw_assets r ON r.tenant_id = a.tenant_id AND r.env = a.env"))
        .hasSize(4);
  }

  @Test
  void subqueryWhenCorrelatedToABoundRowThenPassesAndWhenFreeThenFails() {
    assertThat(
            rule.violations(
                "SELECT s.*, (SELECT count(*) FROM atoms v WHERE v.tenant_id = s.tenant_id AND v.env = s.env)"
                    + " FROM sessions s WHERE s.tenant_id = :t AND s.env = CAST(:e AS text)"))
        .isEmpty();
    assertThat(
            rule.violations(
                "SELECT * FROM sessions WHERE tenant_id = :t AND env = :e"
                    + " AND user_id IN (SELECT user_id FROM users WHERE role = 'owner')"))
        .containsExactly("users: tenant_id is not bound to a value");
  }

  @Test
  void predicateWhenOnlyOneSideOfAnOrThenDoesNotCount() {
    assertThat(rule.violations("SELECT * FROM users WHERE tenant_id = :t OR user_id = :u"))
        .containsExactly("users: tenant_id is not bound to a value");
    assertThat(
            rule.violations(
                "SELECT * FROM users WHERE tenant_id = :t AND (role = 'owner' OR user_id = :u)"))
        .isEmpty();
  }

  @Test
  void updateWhenTenantIdOnlyAssignedThenFails() {
    assertThat(rule.violations("UPDATE users SET tenant_id = :t WHERE user_id = :id"))
        .containsExactly("users: tenant_id is not bound to a value");
    assertThat(rule.violations("UPDATE users SET role = :r WHERE tenant_id = :t AND user_id = :id"))
        .isEmpty();
  }

  @Test
  void insertWhenColumnsLackTheScopeThenFails() {
    assertThat(rule.violations("INSERT INTO usage_log (tenant_id, ref_id) VALUES (:t, :id)"))
        .containsExactly("INSERT INTO usage_log column list lacks env");
    assertThat(rule.violations("INSERT INTO users VALUES (:t, :id)"))
        .containsExactly("INSERT INTO users does not name its columns");
    assertThat(
            rule.violations(
                "INSERT INTO atoms (tenant_id, env, atom_id) VALUES (?, ?, ?) ON CONFLICT (atom_id) DO NOTHING"))
        .containsExactly(
            "INSERT INTO atoms ON CONFLICT target lacks tenant_id",
            "INSERT INTO atoms ON CONFLICT target lacks env");
    assertThat(
            rule.violations(
                "INSERT INTO atoms (tenant_id, env, atom_id) SELECT ?, ?, u.id FROM unnest(?::text[]) AS u(id)"
                    + " ON CONFLICT (tenant_id, env, atom_id) DO UPDATE SET atom_id = excluded.atom_id"))
        .isEmpty();
  }

  @Test
  void tableWhenUnreadablePlaceholderThenMustNameTenantAndEnv() {
    assertThat(rule.violations("DELETE FROM ${table} WHERE asset_id = ANY (:ids)")).hasSize(2);
    assertThat(
            rule.violations(
                "DELETE FROM ${table} WHERE tenant_id = :t AND env = :e AND asset_id = ANY (:ids)"))
        .isEmpty();
  }

  @Test
  void cteWhenNamedLikeItsSourceThenTheCteIsNoTable() {
    assertThat(
            rule.violations(
                "WITH gone AS (DELETE FROM sessions WHERE tenant_id = :t AND env = :e RETURNING session_id)"
                    + " SELECT count(*) FROM gone"))
        .isEmpty();
    assertThat(
            rule.violations(
                "WITH gone AS (DELETE FROM sessions RETURNING session_id) SELECT count(*) FROM gone"))
        .hasSize(2);
  }

  @Test
  void functionWhenParametersAreBoundNamesThenTheyCountAsValues() {
    TenantSqlRule function = new TenantSqlRule(TABLES, Set.of("p_tenant", "p_env"));
    assertThat(
            function.violations(
                "SELECT k.version FROM sessions k WHERE k.tenant_id = p_tenant AND k.env = p_env"))
        .isEmpty();
    assertThat(
            function.violations(
                "SELECT k.version FROM sessions k WHERE k.tenant_id = p_other AND k.env = p_env"))
        .containsExactly("sessions k: tenant_id is not bound to a value");
  }

  @Test
  void scanWhenJavaAssemblesStatementsThenReadsThemWhole(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("Sample.java"),
        """
        package sample;
        class Sample {
          private static final String FROM = " FROM gdpr_subject_records";
          void bad(org.springframework.jdbc.core.simple.JdbcClient jdbc) {
            jdbc.sql("DELETE" + FROM).update();
          }
          void good(org.springframework.jdbc.core.simple.JdbcClient jdbc, String tenant) {
            String where = " WHERE tenant_id = :t";
            jdbc.sql("DELETE" + FROM + where).param("t", tenant).update();
          }
          void each(org.springframework.jdbc.core.simple.JdbcClient jdbc) {
            for (String table : java.util.List.of("atoms", "usage_log")) {
              jdbc.sql("DELETE FROM " + table + " WHERE tenant_id = :t").update();
            }
          }
          void built(java.sql.Connection c) throws java.sql.SQLException {
            StringBuilder sql = new StringBuilder("SELECT * FROM users WHERE tenant_id = ?");
            sql.append(" AND user_id = ?");
            run(c, sql.toString());
          }
          private static void run(java.sql.Connection c, String sql) throws java.sql.SQLException {
            c.prepareStatement(sql);
          }
          String stray() {
            return "SELECT * FROM users";
          }
          void elsewhere(org.springframework.jdbc.core.simple.JdbcClient jdbc, Sample other) {
            jdbc.sql(other.stray()).update();
            jdbc.sql(java.util.List.of("DELETE FROM users").getFirst()).update();
          }
        }
        """);
    SqlSources.Scan scan = SqlSources.scan(List.of(dir), dir);

    assertThat(scan.statements())
        .extracting(SqlSources.Found::variants)
        .containsExactly(
            List.of("DELETE FROM gdpr_subject_records"),
            List.of("DELETE FROM gdpr_subject_records WHERE tenant_id = :t"),
            List.of(
                "DELETE FROM atoms WHERE tenant_id = :t",
                "DELETE FROM usage_log WHERE tenant_id = :t"),
            List.of("SELECT * FROM users WHERE tenant_id = ? AND user_id = ?"));
    assertThat(scan.statements())
        .extracting(SqlSources.Found::where)
        .containsExactly("Sample.java:5", "Sample.java:9", "Sample.java:13", "Sample.java:22");
    assertThat(
            scan.statements().stream()
                .map(f -> f.variants().stream().flatMap(v -> rule.violations(v).stream()).toList()))
        .containsExactly(
            List.of("gdpr_subject_records: tenant_id is not bound to a value"),
            List.of(),
            List.of("atoms: env is not bound to a value", "usage_log: env is not bound to a value"),
            List.of());
    assertThat(scan.stray())
        .extracting(SqlSources.Found::where)
        .containsExactly("Sample.java:25", "Sample.java:29");
    // A statement the scanner cannot read is reported, not passed.
    assertThat(scan.unreadable())
        .extracting(SqlSources.Found::where)
        .containsExactly("Sample.java:28", "Sample.java:29");
  }
}
