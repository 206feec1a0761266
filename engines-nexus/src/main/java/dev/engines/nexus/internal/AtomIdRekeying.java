package dev.engines.nexus.internal;

import dev.engines.core.ids.IdKeys;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Scope;
import dev.engines.nexus.atomize.AtomIds;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Flyway migration V29: gives every atom stored with a legacy, unkeyed id (V28 marked them {@code
 * id_scheme = 'sha256'}) the keyed id a derivation computes today, {@link
 * AtomIds#fromContentAddress} of the legacy id, which is exactly the content address the keyed id
 * is made from (docs/adr/0008-keyed-atom-ids.md). It runs in Java because the key derives from
 * {@code engines.pii.master-key}, which the database never holds.
 *
 * <p>Per tenant and env, bound like every transaction of the application ({@code app.tenant_id},
 * {@code app.env}; row-level security stays forced), in batches: the atom gets its new id and
 * {@code id_scheme = 'hmac-v1'}, its legacy id goes to {@code atom_id_aliases}, and usage records
 * that named the legacy id name the new one. Ledger events are not rewritten (append-only, already
 * published): reads by a legacy id resolve through the alias. All of it is one transaction
 * (Flyway's), and only {@code 'sha256'} rows are touched, so a second run changes nothing.
 */
public final class AtomIdRekeying implements JavaMigration {

  private static final int BATCH = 10_000;

  private final IdKeys keys;

  public AtomIdRekeying(IdKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("29");
  }

  @Override
  public String getDescription() {
    return "rekey atom ids";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    rekey(context.getConnection());
  }

  /**
   * Re-keys every legacy atom id reachable on {@code connection} (the migration's, in its
   * transaction); answers how many atoms it re-keyed.
   */
  public int rekey(Connection connection) throws SQLException {
    int rekeyed = 0;
    for (String tenant : tenants(connection)) {
      for (Env env : Env.values()) {
        bind(connection, tenant, env.wire());
        Scope scope = Scope.of(tenant, env.wire());
        for (List<String> legacy = legacy(connection, scope);
            !legacy.isEmpty();
            legacy = legacy(connection, scope)) {
          rekey(connection, scope, legacy);
          rekeyed += legacy.size();
        }
      }
    }
    bind(connection, "", "");
    return rekeyed;
  }

  /** The tenant registry, read under the operator binding (the only one that sees every tenant). */
  private static List<String> tenants(Connection connection) throws SQLException {
    List<String> tenants = new ArrayList<>();
    try (PreparedStatement operator =
        connection.prepareStatement("SELECT set_config('app.operator', 'on', true)")) {
      operator.execute();
    }
    try (PreparedStatement select =
            connection.prepareStatement("SELECT tenant_id FROM tenants ORDER BY tenant_id");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        tenants.add(rs.getString(1));
      }
    }
    try (PreparedStatement off =
        connection.prepareStatement("SELECT set_config('app.operator', '', true)")) {
      off.execute();
    }
    return tenants;
  }

  private static void bind(Connection connection, String tenant, String env) throws SQLException {
    try (PreparedStatement bind =
        connection.prepareStatement(
            "SELECT set_config('app.tenant_id', ?, true), set_config('app.env', ?, true)")) {
      bind.setString(1, tenant);
      bind.setString(2, env);
      bind.execute();
    }
  }

  private static List<String> legacy(Connection connection, Scope scope) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT atom_id FROM atoms WHERE tenant_id = ? AND env = ?"
                + " AND id_scheme = 'sha256' ORDER BY atom_id LIMIT "
                + BATCH)) {
      select.setString(1, scope.tenantId());
      select.setString(2, scope.env().wire());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private void rekey(Connection connection, Scope scope, List<String> legacy) throws SQLException {
    Array legacyIds = connection.createArrayOf("text", legacy.toArray(String[]::new));
    Array freshIds =
        connection.createArrayOf(
            "text",
            legacy.stream()
                .map(id -> AtomIds.fromContentAddress(keys, scope, id))
                .toArray(String[]::new));
    String pairs = " unnest(?::text[], ?::text[]) AS r(legacy, fresh)";
    // The atoms first: the aliases' foreign key names their new ids.
    update(
        connection,
        "UPDATE atoms a SET atom_id = r.fresh, id_scheme = 'hmac-v1' FROM"
            + pairs
            + " WHERE a.tenant_id = ? AND a.env = ? AND a.atom_id = r.legacy AND a.id_scheme = 'sha256'",
        legacyIds,
        freshIds,
        scope.tenantId(),
        scope.env().wire());
    update(
        connection,
        "INSERT INTO atom_id_aliases (tenant_id, env, legacy_atom_id, atom_id)"
            + " SELECT ?, ?, r.legacy, r.fresh FROM"
            + pairs,
        scope.tenantId(),
        scope.env().wire(),
        legacyIds,
        freshIds);
    update(
        connection,
        "UPDATE usage_log u SET ref_id = r.fresh FROM"
            + pairs
            + " WHERE u.tenant_id = ? AND u.env = ? AND u.ref_type = 'atom' AND u.ref_id = r.legacy",
        legacyIds,
        freshIds,
        scope.tenantId(),
        scope.env().wire());
  }

  private static void update(Connection connection, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      statement.executeUpdate();
    }
  }
}
