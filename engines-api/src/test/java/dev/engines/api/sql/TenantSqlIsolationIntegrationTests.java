package dev.engines.api.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §3's one isolation rule, on every module's main code: each SQL statement on tenant data
 * names {@code tenant_id} (and {@code env} for env-scoped data) in its WHERE / VALUES / ON CONFLICT
 * target, in addition to Row-Level Security. That is defence in depth (a statement stays scoped
 * should a policy be dropped or a binding be wrong) and what a distribution by tenant (Citus) needs
 * to route a statement to one shard.
 *
 * <p>{@link SqlSources} reads the statements from the Java sources, {@link TenantSqlRule} checks
 * each, and the SQL functions the migrations define (they run per request) are read from the
 * migrated database. Which tables are tenant data comes from the schema, never from a list kept
 * here: a tenant table has a {@code tenant_id} column; it is env-scoped when its Row-Level Security
 * policy binds {@code app.env} (the audit chain, GDPR tombstones and retention policies carry an
 * {@code env} column but are tenant-level: one chain, one erasure, one scheduled purge across
 * envs).
 */
class TenantSqlIsolationIntegrationTests extends IntegrationTest {

  /**
   * A statement that may touch tenant data without naming the tenant.
   *
   * @param where the source file's name, or {@code function <name>} for a SQL function
   * @param statement a part of the statement (whitespace collapsed) that identifies it
   * @param reason why the statement cannot be scoped
   */
  private record Allowed(String where, String statement, String reason) {}

  private static final List<Allowed> ALLOWED =
      List.of(
          new Allowed(
              "TenantDirectory.java",
              "SELECT * FROM tenants WHERE tenant_id > :after",
              "the operator's tenant registry: listing every tenant is the route's purpose (operator binding only)"),
          new Allowed(
              "LedgerRelay.java",
              "SELECT tenant_id FROM tenants ORDER BY tenant_id",
              "the relay enumerates the tenants whose ledgers it drains (operator binding), then binds each"),
          new Allowed(
              "KekRotation.java",
              "SELECT tenant_id FROM tenants ORDER BY tenant_id",
              "KEK rotation enumerates the tenants whose sealed keys it re-seals (operator binding), then binds each"),
          new Allowed(
              "AtomIdRekeying.java",
              "SELECT tenant_id FROM tenants ORDER BY tenant_id",
              "the V29 migration enumerates the tenants whose atoms it re-keys (operator binding), then binds each"),
          new Allowed(
              "function api_key_lookup",
              "WHERE k.key_id = p_key_id",
              "the credential lookup: it finds the tenant of a presented key, so the tenant is not known yet (V27)"));

  private static final Pattern FUNCTION_STATEMENT =
      Pattern.compile(
          "(?is)^\\s*(?:RETURN\\s+QUERY\\s+)?((?:SELECT|INSERT|UPDATE|DELETE|WITH)\\b.*)");

  /**
   * The scan of the sources, made once for the tests that read it (parsing every module takes
   * seconds).
   */
  private static SqlSources.Scan cached;

  @Test
  void mainCodeWhenScannedThenEveryStatementOnTenantDataNamesTenantAndEnv() {
    TenantSqlRule rule = new TenantSqlRule(tenantTables(), Set.of());
    SqlSources.Scan scan = scan();
    Set<Allowed> used = new HashSet<>();
    List<String> violations = new ArrayList<>();
    for (SqlSources.Found found : scan.statements()) {
      violations.addAll(check(rule, found.where(), fileName(found.file()), found.variants(), used));
    }
    assertThat(violations)
        .as(
            "statements on tenant data without their scope (add the predicates, or an ALLOWED entry"
                + " with its reason)")
        .isEmpty();
    assertThat(
            ALLOWED.stream()
                .filter(a -> !a.where().startsWith("function "))
                .filter(a -> !used.contains(a)))
        .as("allowlist entries that no longer match a statement")
        .isEmpty();
  }

  @Test
  void sqlFunctionsWhenScannedThenEveryStatementOnTenantDataNamesTenantAndEnv() {
    Map<String, Boolean> tables = tenantTables();
    List<Map<String, Object>> functions =
        jdbc.sql(
                """
            SELECT p.proname AS name, p.prosrc AS body, array_to_string(coalesce(p.proargnames, '{}'), ',') AS args
              FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace
              JOIN pg_language l ON l.oid = p.prolang
             WHERE n.nspname = current_schema() AND l.lanname IN ('sql', 'plpgsql')
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
             ORDER BY p.proname""")
            .query()
            .listOfRows();
    assertThat(functions)
        .extracting(f -> f.get("name"))
        .contains("api_key_lookup", "kill_switch_lookup");
    Set<Allowed> used = new HashSet<>();
    List<String> violations = new ArrayList<>();
    int statements = 0;
    for (Map<String, Object> function : functions) {
      String name = (String) function.get("name");
      String body = (String) function.get("body");
      Set<String> bound =
          new LinkedHashSet<>(Arrays.asList(((String) function.get("args")).split(",")));
      bound.addAll(declared(body));
      TenantSqlRule rule = new TenantSqlRule(tables, bound);
      for (String piece : body.split(";")) {
        Matcher statement = FUNCTION_STATEMENT.matcher(piece);
        if (statement.matches()) {
          statements++;
          violations.addAll(
              check(
                  rule, "function " + name, "function " + name, List.of(statement.group(1)), used));
        }
      }
    }
    assertThat(statements).as("statements read from the functions").isGreaterThanOrEqualTo(2);
    assertThat(violations).as("SQL functions touching tenant data without their scope").isEmpty();
    assertThat(
            ALLOWED.stream()
                .filter(a -> a.where().startsWith("function "))
                .filter(a -> !used.contains(a)))
        .as("allowlist entries that no longer match a function's statement")
        .isEmpty();
  }

  @Test
  void mainCodeWhenScannedThenNoStatementBypassesTheScanner() {
    SqlSources.Scan scan = scan();
    // A literal that reaches no known call may still be a sub-select spliced into a statement built
    // in another file (a search filter's semi-join): it passes only if it scopes itself, read
    // alone.
    TenantSqlRule rule = new TenantSqlRule(tenantTables(), Set.of());
    assertThat(
            scan.stray().stream()
                .filter(f -> !rule.violations(f.variants().getFirst()).isEmpty())
                .map(f -> f.where() + ": " + collapse(f.variants().getFirst())))
        .as(
            "string literals that look like SQL, reach no call the scanner knows and do not scope themselves: hand"
                + " them to JdbcClient.sql, or teach SqlSources the call")
        .isEmpty();
    assertThat(scan.unreadable().stream().map(f -> f.where() + ": " + f.variants()))
        .as("SQL the scanner cannot read, so cannot check: build it in the file that runs it")
        .isEmpty();
    // Guards against a scan that passes because it read nothing: every module that talks to the
    // database has statements, and the statement count is of the order the code base has.
    Map<String, Long> perModule =
        scan.statements().stream()
            .collect(
                Collectors.groupingBy(
                    f -> f.file().substring(0, f.file().indexOf('/')),
                    TreeMap::new,
                    Collectors.counting()));
    assertThat(perModule)
        .containsKeys("engines-tenant", "engines-pii", "engines-nexus", "engines-session")
        .hasSizeGreaterThan(6);
    assertThat(scan.statements()).hasSizeGreaterThan(150);
  }

  @Test
  void schemaWhenReadThenTenantAndEnvScopedTablesAreToldApart() {
    Map<String, Boolean> tables = tenantTables();
    assertThat(tables)
        .containsEntry("users", false)
        .containsEntry("gdpr_subject_records", false)
        .containsEntry("audit_entries", false)
        .containsEntry("atoms", true)
        .containsEntry("dataset_events", true)
        .containsEntry("sessions", true)
        .containsEntry("vectors", true)
        .doesNotContainKey("flyway_schema_history");
    // Every tenant table is under forced Row-Level Security: the predicates are in addition to it.
    assertThat(
            jdbc.sql(
                    """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relname = ANY (:tables)
               AND NOT (c.relrowsecurity AND c.relforcerowsecurity)""")
                .param("tables", tables.keySet().toArray(String[]::new))
                .query(String.class)
                .list())
        .isEmpty();
  }

  /** Problems of one statement's variants, except those an allowlist entry covers. */
  private static List<String> check(
      TenantSqlRule rule, String where, String file, List<String> variants, Set<Allowed> used) {
    Set<String> out = new LinkedHashSet<>();
    for (String variant : variants) {
      List<String> problems = rule.violations(variant);
      if (problems.isEmpty()) {
        continue;
      }
      String text = collapse(variant);
      List<Allowed> allowing =
          ALLOWED.stream()
              .filter(a -> a.where().equals(file) && text.contains(a.statement()))
              .toList();
      if (allowing.isEmpty()) {
        out.add(where + ": " + String.join("; ", problems) + "\n    " + text);
      }
      used.addAll(allowing);
    }
    return List.copyOf(out);
  }

  /** Tenant tables (with a tenant_id column) → env-scoped (their RLS policy binds app.env). */
  private Map<String, Boolean> tenantTables() {
    Set<String> envScoped =
        Set.copyOf(
            jdbc.sql(
                    """
            SELECT tablename FROM pg_policies
             WHERE schemaname = current_schema() AND (qual LIKE '%app.env%' OR with_check LIKE '%app.env%')""")
                .query(String.class)
                .list());
    Map<String, Boolean> tables = new TreeMap<>();
    jdbc.sql(
            """
            SELECT c.table_name FROM information_schema.columns c
              JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'""")
        .query(String.class)
        .list()
        .forEach(table -> tables.put(table, envScoped.contains(table)));
    return tables;
  }

  /** The variables a PL/pgSQL body declares: bound values, as the function's parameters are. */
  private static Set<String> declared(String body) {
    Matcher declare = Pattern.compile("(?is)\\bDECLARE\\b(.*?)\\bBEGIN\\b").matcher(body);
    Set<String> names = new LinkedHashSet<>();
    if (declare.find()) {
      for (String declaration : declare.group(1).split(";")) {
        String trimmed = declaration.strip();
        if (!trimmed.isEmpty()) {
          names.add(trimmed.split("\\s+")[0].toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  private static synchronized SqlSources.Scan scan() {
    if (cached == null) {
      cached = SqlSources.scan(mainSources(), root());
    }
    return cached;
  }

  private static Path root() {
    return Path.of("").toAbsolutePath().getParent();
  }

  /** {@code src/main/java} of every module of the build. */
  private static List<Path> mainSources() {
    try (Stream<Path> modules = Files.list(root())) {
      List<Path> roots =
          modules
              .filter(m -> m.getFileName().toString().startsWith("engines-"))
              .map(m -> m.resolve("src/main/java"))
              .filter(Files::isDirectory)
              .sorted()
              .toList();
      assertThat(roots).as("module sources under %s", root()).hasSizeGreaterThanOrEqualTo(9);
      return roots;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String fileName(String file) {
    return file.substring(file.lastIndexOf('/') + 1);
  }

  private static String collapse(String sql) {
    return sql.strip().replaceAll("\\s+", " ");
  }
}
