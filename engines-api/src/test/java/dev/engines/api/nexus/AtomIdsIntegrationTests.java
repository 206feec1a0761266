package dev.engines.api.nexus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.nexus.atomize.Span;
import dev.engines.nexus.internal.AtomIdRekeying;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/**
 * Keyed atom ids (docs/adr/0008-keyed-atom-ids.md) through the real API, and the V29 re-keying of
 * legacy ids.
 */
class AtomIdsIntegrationTests extends IntegrationTest {

  private static final String TEXT = "call me at +1 312 626 4400 today\nplain line\n";

  @Autowired AtomIdRekeying rekeying;

  @Value("${spring.flyway.user}")
  String ownerRole;

  @Value("${spring.flyway.password}")
  String ownerPassword;

  private record Derived(String assetId, String sha256, JsonNode atoms) {}

  private Derived derive(Member owner) {
    NexusFixtures nexus = new NexusFixtures(api);
    String assetId = nexus.asset(owner, "dev", TEXT);
    TestApi.Response run = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    String sha256 = api.get("/v1/assets/" + assetId).as(owner, "dev").send().text("sha256");
    return new Derived(
        assetId,
        sha256,
        api.get("/v1/atoms?asset_id=" + assetId).as(owner, "dev").send().json().get("items"));
  }

  /**
   * The id atoms had before they were keyed: SHA-256 over public fields and the hash of the text
   * before redaction.
   */
  private static String unkeyed(Member owner, Derived derived, JsonNode atom) {
    JsonNode span = atom.get("span");
    String original = TEXT.substring(span.get("start_char").asInt(), span.get("end_char").asInt());
    @SuppressWarnings("unchecked")
    Map<String, Object> spanMap = TestApi.JSON.convertValue(span, Map.class);
    return Ids.contentAddressed(
        "at",
        owner.tenantId(),
        "dev",
        derived.assetId(),
        derived.sha256(),
        atom.get("op_type").asString(),
        atom.get("op_version").asString(),
        atom.get("params_hash").asString(),
        Long.toString(atom.get("ordinal").asLong()),
        Span.fromMap(spanMap).key(),
        Ids.sha256Hex(original));
  }

  private static List<String> ids(JsonNode atoms) {
    List<String> ids = new ArrayList<>();
    atoms.forEach(a -> ids.add(a.get("atom_id").asString()));
    return ids;
  }

  /**
   * Guards against atom ids revealing redacted values (an offline guess of the phone number tested
   * against the id).
   */
  @Test
  void atomIdWhenDerivedThenNotRecomputableFromPublicFieldsAndTheOriginalText() {
    Member owner = tenants.nexusTenant("aidk");
    Derived derived = derive(owner);
    JsonNode phone = derived.atoms().get(0);
    assertThat(phone.get("text").asString())
        .as("the value is redacted in the stored text")
        .doesNotContain("626");

    assertThat(phone.get("atom_id").asString())
        .matches("^at_[0-9a-f]{32}$")
        .isNotEqualTo(unkeyed(owner, derived, phone));
    assertThat(derived.atoms().get(1).get("atom_id").asString())
        .isNotEqualTo(unkeyed(owner, derived, derived.atoms().get(1)));
  }

  @Test
  void atomIdWhenSameInputTwiceThenSameIdsAndInAnotherTenantThenUnrelatedIds() {
    Member owner = tenants.nexusTenant("aids");
    Derived first = derive(owner);
    TestApi.Response again =
        new NexusFixtures(api).derive(owner, "dev", first.assetId(), "text.lines", Map.of());
    assertThat(again.json().get("added").asInt()).isZero();
    assertThat(again.json().get("skipped").asInt()).isEqualTo(2);
    assertThat(
            ids(
                api.get("/v1/atoms?asset_id=" + first.assetId())
                    .as(owner, "dev")
                    .send()
                    .json()
                    .get("items")))
        .isEqualTo(ids(first.atoms()));

    Member other = tenants.nexusTenant("aido");
    assertThat(ids(derive(other).atoms()))
        .hasSize(2)
        .doesNotContainAnyElementsOf(ids(first.atoms()));
  }

  /**
   * Atoms stored with legacy ids (before V29) get the keyed ids a derivation makes now; their old
   * ids still resolve.
   */
  @Test
  void
      rekeyWhenAtomsHaveLegacyIdsThenKeyedIdsAliasesResolveUsageFollowsAndASecondRunChangesNothing()
          throws SQLException {
    Member owner = tenants.nexusTenant("aidm");
    Derived derived = derive(owner);
    List<String> keyed = ids(derived.atoms());
    List<String> legacy = new ArrayList<>();
    derived.atoms().forEach(a -> legacy.add(unkeyed(owner, derived, a)));
    try (Connection c = ownerConnection()) {
      bind(c, owner.tenantId());
      for (int i = 0; i < keyed.size(); i++) {
        update(
            c,
            "UPDATE atoms SET atom_id = ?, id_scheme = 'sha256' WHERE tenant_id = ? AND env = 'dev' AND atom_id = ?",
            legacy.get(i),
            owner.tenantId(),
            keyed.get(i));
      }
      c.commit();
    }
    assertThat(
            api.post("/v1/usage")
                .as(owner, "dev")
                .json(Map.of("items", List.of(Map.of("ref_type", "atom", "ref_id", legacy.get(0)))))
                .send()
                .status())
        .isEqualTo(200);

    try (Connection c = ownerConnection()) {
      assertThat(rekeying.rekey(c)).isEqualTo(2);
      c.commit();
      assertThat(rekeying.rekey(c)).as("a second run").isZero();
      c.commit();
    }

    assertThat(
            ids(
                api.get("/v1/atoms?asset_id=" + derived.assetId())
                    .as(owner, "dev")
                    .send()
                    .json()
                    .get("items")))
        .as("the ids a derivation makes today")
        .isEqualTo(keyed);
    TestApi.Response byLegacy = api.get("/v1/atoms/" + legacy.get(0)).as(owner, "dev").send();
    assertThat(byLegacy.status()).as("%s", byLegacy).isEqualTo(200);
    assertThat(byLegacy.text("atom_id")).isEqualTo(keyed.get(0));
    assertThat(api.get("/v1/atoms/" + legacy.get(0) + "/lineage").as(owner, "dev").send().status())
        .isEqualTo(200);
    assertThat(
            new NexusFixtures(api)
                .derive(owner, "dev", derived.assetId(), "text.lines", Map.of())
                .json()
                .get("added")
                .asInt())
        .as("re-running the derivation finds the re-keyed atoms")
        .isZero();
    assertThat(
            tx.read(
                Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
                () ->
                    jdbc.sql(
                            "SELECT ref_id FROM usage_log WHERE tenant_id = :t AND env = 'dev' AND ref_type = 'atom'")
                        .param("t", owner.tenantId())
                        .query(String.class)
                        .list()))
        .containsExactly(keyed.get(0));
    Member other = tenants.nexusTenant("aidmo");
    assertThat(api.get("/v1/atoms/" + legacy.get(0)).as(other, "dev").send().status())
        .as("another tenant")
        .isEqualTo(404);
  }

  private Connection ownerConnection() throws SQLException {
    Connection c = DriverManager.getConnection(DB_URL, ownerRole, ownerPassword);
    c.setAutoCommit(false);
    return c;
  }

  private static void bind(Connection c, String tenantId) throws SQLException {
    update(
        c,
        "SELECT set_config('app.tenant_id', ?, true), set_config('app.env', 'dev', true)",
        tenantId);
  }

  private static void update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      statement.execute();
    }
  }
}
