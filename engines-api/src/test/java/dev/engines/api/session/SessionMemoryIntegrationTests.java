package dev.engines.api.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.SessionFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.scope.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Session memory: pointers written under preconditions, and resolved under the reader's scope only. */
class SessionMemoryIntegrationTests extends IntegrationTest {

  @Autowired
  SubjectIndex subjectIndex;

  private Member owner;
  private SessionFixtures sessions;
  private NexusFixtures nexus;

  @BeforeEach
  void tenant() {
    owner = tenants.nexusTenant("mem");
    tenants.configureSession(owner, "dev");
    tenants.configureSession(owner, "prod");
    sessions = new SessionFixtures(api);
    nexus = new NexusFixtures(api);
  }

  private static Map<String, Object> pointer(String type, String id) {
    return Map.of("type", type, "id", id);
  }

  private static Map<String, Object> memory(List<Map<String, Object>> pinned, List<Map<String, Object>> summaries,
      Map<String, Object> preferences) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("pinned_refs", pinned);
    body.put("summary_refs", summaries);
    body.put("preferences", preferences);
    return body;
  }

  @Test
  void putWhenPointersInvalidThenEveryOneNamedByPath() {
    String id = sessions.session(owner, "dev");
    TestApi.Response r = api.put("/v1/sessions/" + id + "/memory").as(owner, "dev")
        .json(memory(List.of(pointer("atom", "at_nope"), pointer("card", "c1")), null, Map.of("tone", Map.of()))).send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.json().get("errors").toString()).contains("pinned_refs[0].id").contains("pinned_refs[1].type")
        .contains("summary_refs").contains("preferences.tone");
  }

  @Test
  void putWhenPreconditionsThenFirstWriteOnlyOnceAndStaleVersions412() {
    String id = sessions.session(owner, "dev");
    String path = "/v1/sessions/" + id + "/memory";
    TestApi.Response empty = api.get(path).as(owner, "dev").send();
    assertThat(empty.json().get("version").asInt()).isZero();
    assertThat(empty.header("ETag")).isNull();
    Map<String, Object> body = memory(List.of(pointer("external", "card:1")), List.of(), Map.of("tone", "Formal, to ana.b@example.com"));
    TestApi.Response first = api.put(path).as(owner, "dev").header("If-None-Match", "*").json(body).send();
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(first.header("ETag")).isEqualTo("\"1\"");
    assertThat(first.body()).doesNotContain("ana.b@example.com");
    assertThat(api.put(path).as(owner, "dev").header("If-None-Match", "*").json(body).send().status()).isEqualTo(412);
    assertThat(api.put(path).as(owner, "dev").header("If-Match", "\"1\"").json(body).send().header("ETag")).isEqualTo("\"2\"");
    TestApi.Response stale = api.put(path).as(owner, "dev").header("If-Match", "\"1\"").json(body).send();
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.code()).isEqualTo("precondition_failed");
    TestApi.Response read = api.get(path).as(owner, "dev").send();
    assertThat(read.header("ETag")).isEqualTo("\"2\"");
    assertThat(read.json().get("pinned_refs").get(0).get("id").asString()).isEqualTo("card:1");
    assertThat(read.json().get("resolution").isNull()).isTrue();
  }

  @Test
  void resolveWhenTargetsLiveThenLoadedWithOneEventNamingEveryLoadedPointer() {
    String id = sessions.session(owner, "dev");
    String atomId = nexus.atom(owner, "dev");
    String assetId = nexus.asset(owner, "dev");
    String other = sessions.session(owner, "dev");
    String turnId = sessions.turn(owner, "dev", other, "assistant", "The answer is 42").text("turn_id");
    api.put("/v1/sessions/" + id + "/memory").as(owner, "dev").json(memory(
        List.of(pointer("atom", atomId), pointer("turn", turnId), pointer("vector", "space1:7")),
        List.of(pointer("asset", assetId), pointer("external", "card:77")), Map.of())).send();

    TestApi.Response r = api.get("/v1/sessions/" + id + "/memory?resolve=true").as(owner, "dev")
        .header("X-Request-Id", "mem-resolve-1").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    JsonNode pinned = r.json().get("resolution").get("pinned_refs");
    assertThat(pinned.get(0).get("state").asString()).isEqualTo("resolved");
    assertThat(pinned.get(0).get("target").get("atom_id").asString()).isEqualTo(atomId);
    assertThat(pinned.get(1).get("state").asString()).isEqualTo("resolved");
    assertThat(pinned.get(1).get("target").get("content").asString()).isEqualTo("The answer is 42");
    assertThat(pinned.get(2).get("state").asString()).isEqualTo("unsupported");
    JsonNode summaries = r.json().get("resolution").get("summary_refs");
    assertThat(summaries.get(0).get("state").asString()).isEqualTo("resolved");
    assertThat(summaries.get(0).get("target").get("asset_id").asString()).isEqualTo(assetId);
    assertThat(summaries.get(1).get("state").asString()).isEqualTo("external");
    assertThat(summaries.get(1).get("ref").get("id").asString()).isEqualTo("card:77");

    JsonNode events = api.get("/v1/events?request_id=mem-resolve-1").as(owner, "dev").send().json().get("items");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("action").asString()).isEqualTo("memory.get");
    String inputs = events.get(0).get("input_refs").toString();
    assertThat(inputs).contains(atomId).contains(turnId).contains(assetId).contains(id).doesNotContain("card:77");
  }

  /** Pointer resolution never returns something outside the reader's tenant, env or user. */
  @Test
  void resolveWhenPointersNameOtherTenantsEnvsOrUsersThenNotFoundAndNothingOfThemReturned() {
    Member stranger = tenants.nexusTenant("memx");
    Member member = tenants.user(owner, "member");
    String foreignAtom = nexus.atom(stranger, "dev");
    String foreignAsset = nexus.asset(stranger, "dev");
    String prodAtom = nexus.atom(owner, "prod");
    String prodAsset = nexus.asset(owner, "prod");
    String theirTurn = sessions.turn(member, "dev");
    String prodTurn = sessions.turn(owner, "prod");
    String id = sessions.session(owner, "dev");
    api.put("/v1/sessions/" + id + "/memory").as(owner, "dev").json(memory(
        List.of(pointer("atom", foreignAtom), pointer("asset", foreignAsset), pointer("atom", prodAtom)),
        List.of(pointer("asset", prodAsset), pointer("turn", theirTurn), pointer("turn", prodTurn)), Map.of())).send();

    TestApi.Response r = api.get("/v1/sessions/" + id + "/memory?resolve=true").as(owner, "dev")
        .header("X-Request-Id", "mem-isolation-1").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    for (String list : List.of("pinned_refs", "summary_refs")) {
      for (JsonNode item : r.json().get("resolution").get(list)) {
        assertThat(item.get("state").asString()).as("%s", item).isEqualTo("not_found");
        assertThat(item.get("target").isNull()).isTrue();
      }
    }
    assertThat(r.body()).doesNotContain(stranger.tenantId()).doesNotContain(member.userId()).doesNotContain("fixture turn");
    JsonNode event = api.get("/v1/events?request_id=mem-isolation-1").as(owner, "dev").send().json().get("items").get(0);
    assertThat(event.get("input_refs").toString()).as("nothing was loaded").doesNotContain(foreignAtom).doesNotContain(theirTurn);
  }

  @Test
  void resolveWhenTargetsGoneThenTombstonesDeletedErasedExpired() {
    String deletedAsset = nexus.asset(owner, "dev", "to be deleted");
    String erasedAsset = nexus.asset(owner, "dev", "to be erased");
    assertThat(api.delete("/v1/assets/" + deletedAsset).as(owner, "dev").send().status()).isEqualTo(200);
    // A write path indexed the asset under a data subject; the subject's erasure soft-deletes it.
    String email = "erase-me@mem.example";
    tx.write(Scope.of(owner.tenantId(), "dev"), () -> {
      subjectIndex.register(Scope.of(owner.tenantId(), "dev").tenant(), SubjectIdentifiers.of(Map.of("email", email)), "raw_asset",
          erasedAsset);
      return null;
    });
    assertThat(api.post("/v1/gdpr/erasure").as(owner, "dev").json(Map.of("identifiers", Map.of("email", email))).send().status())
        .isEqualTo(200);
    String deletedSession = sessions.session(owner, "dev");
    String deletedTurn = sessions.turn(owner, "dev", deletedSession, "user", "soon gone").text("turn_id");
    assertThat(api.delete("/v1/sessions/" + deletedSession).as(owner, "dev").send().status()).isEqualTo(204);

    String id = sessions.session(owner, "dev");
    api.put("/v1/sessions/" + id + "/memory").as(owner, "dev").json(memory(
        List.of(pointer("asset", deletedAsset), pointer("asset", erasedAsset), pointer("turn", deletedTurn)), List.of(), Map.of()))
        .send();
    JsonNode pinned = api.get("/v1/sessions/" + id + "/memory?resolve=true").as(owner, "dev").send().json()
        .get("resolution").get("pinned_refs");
    assertThat(pinned.get(0).get("state").asString()).isEqualTo("deleted");
    assertThat(pinned.get(1).get("state").asString()).isEqualTo("erased");
    assertThat(pinned.get(2).get("state").asString()).isEqualTo("deleted");
    assertThat(pinned.get(2).get("ref").get("id").asString()).isEqualTo(deletedTurn);
  }
}
