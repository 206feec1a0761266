package dev.engines.api.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.nexus.NexusSlots;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * GDPR erasure reaches raw bytes (filesystem store): an asset whose derivation found the subject's
 * e-mail address is indexed under them, and erasing them deletes its object, atoms, derivations and
 * row once the erasure committed; other subjects' and tenants' objects stay, a legal hold on anyone
 * the asset names keeps it, and an erasure left pending is finished by the next run.
 */
class RawAssetErasureIntegrationTests extends IntegrationTest {

  @Autowired NexusSlots slots;

  NexusFixtures nexus;

  @BeforeEach
  void fixtures() {
    nexus = new NexusFixtures(api);
  }

  @Test
  void erasureWhenDerivationFoundTheSubjectThenRawObjectAndRowsGoAndOthersStay() {
    Member a = tenants.nexusTenant("rer");
    Member b = tenants.nexusTenant("rerb");
    String jane = "Jane.Roe@rer.example";
    String aboutJane = derived(a, "Call Jane at " + jane + " about the refund\nsecond line\n");
    String aboutBob = derived(a, "Bob wrote from bob@rer.example\n");
    String otherTenant = derived(b, "Jane again: " + jane + "\n");
    String notDerived = nexus.asset(a, "dev", "Mail " + jane + " was never derived\n");

    TestApi.Response lookup =
        api.post("/v1/gdpr/subjects/lookup")
            .as(a, "dev")
            .json(subject("jane.roe@RER.example"))
            .send();
    assertThat(lookup.status()).as("%s", lookup).isEqualTo(200);
    assertThat(lookup.json().get("records").toString())
        .as("indexed by the derivation, found with the request's normalisation")
        .contains(aboutJane)
        .doesNotContain(aboutBob)
        .doesNotContain(notDerived);

    TestApi.Response erased = api.post("/v1/gdpr/erasure").as(a, "dev").json(subject(jane)).send();
    assertThat(erased.status()).as("%s", erased).isEqualTo(200);
    assertThat(erased.json().get("erased").toString()).contains(aboutJane);
    assertThat(erased.json().get("objects_deleted").asInt()).isEqualTo(1);
    assertThat(erased.json().get("objects_pending").asInt()).isZero();

    assertThat(NexusFixtures.objects(slots, a, "dev").toString())
        .as("the store itself, not the API")
        .doesNotContain(aboutJane)
        .contains(aboutBob)
        .contains(notDerived);
    assertThat(NexusFixtures.objects(slots, b, "dev").toString()).contains(otherTenant);
    for (String table : List.of("raw_assets", "derivations", "atoms")) {
      assertThat(rows(a, table, aboutJane)).as(table).isZero();
      assertThat(rows(a, table, aboutBob)).as(table).isPositive();
      assertThat(rows(b, table, otherTenant)).as(table).isPositive();
    }
    assertThat(api.get("/v1/assets/" + otherTenant + "/content").as(b, "dev").send().body())
        .contains(jane);
    assertThat(
            tx.read(
                Caller.system(Scope.of(a.tenantId(), "dev"), "test"),
                () ->
                    jdbc.sql(
                            "SELECT count(*) FROM audit_entries WHERE action = 'gdpr.erasure.objects'"
                                + " AND details::text LIKE :id")
                        .param("id", "%" + aboutJane + "%")
                        .query(Integer.class)
                        .single()))
        .as("the object deletion is audited by asset id")
        .isOne();
  }

  @Test
  void erasureWhenAnotherSubjectOfTheAssetIsHeldThenRefusedAndObjectKeptUntilReleased() {
    Member a = tenants.nexusTenant("rerhold");
    String both = derived(a, "From ann@rerhold.example to ben@rerhold.example\n");
    TestApi.Response hold =
        api.post("/v1/gdpr/legal-holds")
            .as(a, "dev")
            .json(Map.of("identifiers", Map.of("email", "ben@rerhold.example"), "reason", "case 7"))
            .send();
    assertThat(hold.status()).as("%s", hold).isEqualTo(201);

    TestApi.Response refused =
        api.post("/v1/gdpr/erasure").as(a, "dev").json(subject("ann@rerhold.example")).send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("legal_hold");
    assertThat(NexusFixtures.objects(slots, a, "dev").toString()).contains(both);
    assertThat(api.get("/v1/assets/" + both).as(a, "dev").send().status()).isEqualTo(200);

    assertThat(
            api.post("/v1/gdpr/legal-holds/" + hold.text("hold_id") + "/release")
                .as(a, "dev")
                .send()
                .status())
        .isEqualTo(200);
    TestApi.Response erased =
        api.post("/v1/gdpr/erasure").as(a, "dev").json(subject("ann@rerhold.example")).send();
    assertThat(erased.status()).as("%s", erased).isEqualTo(200);
    assertThat(NexusFixtures.objects(slots, a, "dev").toString()).doesNotContain(both);
  }

  @Test
  void erasureWhenAnEarlierErasureLeftAnObjectPendingThenTheNextRunDeletesIt() {
    Member a = tenants.nexusTenant("rerretry");
    String left = derived(a, "Left behind by an outage\n");
    // What an erasure whose object deletion failed leaves: the asset marked erased, object and
    // rows still there.
    tx.write(
        Caller.system(Scope.of(a.tenantId(), "dev"), "test"),
        () ->
            jdbc.sql(
                    "UPDATE raw_assets SET status = 'deleted', deleted_at = now(), erased_at = now()"
                        + " WHERE asset_id = :id")
                .param("id", left)
                .update());
    assertThat(NexusFixtures.objects(slots, a, "dev").toString()).contains(left);

    TestApi.Response run = api.post("/v1/gdpr/retention/run").as(a, "dev").send();
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    assertThat(NexusFixtures.objects(slots, a, "dev").toString()).doesNotContain(left);
    assertThat(rows(a, "raw_assets", left)).isZero();

    String later = derived(a, "Later: kim@rerretry.example\n");
    tx.write(
        Caller.system(Scope.of(a.tenantId(), "dev"), "test"),
        () ->
            jdbc.sql(
                    "UPDATE raw_assets SET status = 'deleted', deleted_at = now(), erased_at = now()"
                        + " WHERE asset_id = :id")
                .param("id", later)
                .update());
    TestApi.Response erased =
        api.post("/v1/gdpr/erasure").as(a, "dev").json(subject("nobody@rerretry.example")).send();
    assertThat(erased.status()).as("%s", erased).isEqualTo(200);
    assertThat(erased.json().get("objects_deleted").asInt())
        .as("any erasure in the env finishes what an earlier one left")
        .isEqualTo(1);
    assertThat(NexusFixtures.objects(slots, a, "dev").toString()).doesNotContain(later);
  }

  private String derived(Member owner, String text) {
    String assetId = nexus.asset(owner, "dev", text);
    TestApi.Response run = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    return assetId;
  }

  private int rows(Member owner, String table, String assetId) {
    return tx.read(
        Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
        () ->
            jdbc.sql("SELECT count(*) FROM " + table + " WHERE asset_id = :id")
                .param("id", assetId)
                .query(Integer.class)
                .single());
  }

  private static Map<String, Object> subject(String email) {
    return Map.of("identifiers", Map.of("email", email));
  }
}
