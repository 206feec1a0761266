package dev.engines.api.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.SessionFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.api.support.VectorFixtures;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Session memory: pointers written under preconditions, and resolved under the reader's scope only.
 */
class SessionMemoryIntegrationTests extends IntegrationTest {

  @Autowired SubjectIndex subjectIndex;

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

  private static Map<String, Object> memory(
      List<Map<String, Object>> pinned,
      List<Map<String, Object>> summaries,
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
    TestApi.Response r =
        api.put("/v1/sessions/" + id + "/memory")
            .as(owner, "dev")
            .json(
                memory(
                    List.of(pointer("atom", "at_nope"), pointer("card", "c1")),
                    null,
                    Map.of("tone", Map.of())))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.json().get("errors").toString())
        .contains("pinned_refs[0].id")
        .contains("pinned_refs[1].type")
        .contains("summary_refs")
        .contains("preferences.tone");
  }

  @Test
  void putWhenPreconditionsThenFirstWriteOnlyOnceAndStaleVersions412() {
    String id = sessions.session(owner, "dev");
    String path = "/v1/sessions/" + id + "/memory";
    TestApi.Response empty = api.get(path).as(owner, "dev").send();
    assertThat(empty.json().get("version").asInt()).isZero();
    assertThat(empty.header("ETag")).isNull();
    Map<String, Object> body =
        memory(
            List.of(pointer("external", "card:1")),
            List.of(),
            Map.of("tone", "Formal, to ana.b@example.com"));
    TestApi.Response first =
        api.put(path).as(owner, "dev").header("If-None-Match", "*").json(body).send();
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(first.header("ETag")).isEqualTo("\"1\"");
    assertThat(first.body()).doesNotContain("ana.b@example.com");
    assertThat(
            api.put(path).as(owner, "dev").header("If-None-Match", "*").json(body).send().status())
        .isEqualTo(412);
    assertThat(
            api.put(path)
                .as(owner, "dev")
                .header("If-Match", "\"1\"")
                .json(body)
                .send()
                .header("ETag"))
        .isEqualTo("\"2\"");
    TestApi.Response stale =
        api.put(path).as(owner, "dev").header("If-Match", "\"1\"").json(body).send();
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
    String turnId =
        sessions.turn(owner, "dev", other, "assistant", "The answer is 42").text("turn_id");
    new VectorFixtures(api).space(owner, "dev");
    api.put("/v1/sessions/" + id + "/memory")
        .as(owner, "dev")
        .json(
            memory(
                List.of(
                    pointer("atom", atomId),
                    pointer("turn", turnId),
                    pointer("vector", "docs/v-1")),
                List.of(pointer("asset", assetId), pointer("external", "card:77")),
                Map.of()))
        .send();

    TestApi.Response r =
        api.get("/v1/sessions/" + id + "/memory?resolve=true")
            .as(owner, "dev")
            .header("X-Request-Id", "mem-resolve-1")
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    JsonNode pinned = r.json().get("resolution").get("pinned_refs");
    assertThat(pinned.get(0).get("state").asString()).isEqualTo("resolved");
    assertThat(pinned.get(0).get("target").get("atom_id").asString()).isEqualTo(atomId);
    assertThat(pinned.get(1).get("state").asString()).isEqualTo("resolved");
    assertThat(pinned.get(1).get("target").get("content").asString()).isEqualTo("The answer is 42");
    assertThat(pinned.get(2).get("state").asString()).isEqualTo("resolved");
    assertThat(pinned.get(2).get("target").get("id").asString()).isEqualTo("v-1");
    assertThat(pinned.get(2).get("target").get("metadata").get("lang").asString()).isEqualTo("en");
    assertThat(pinned.get(2).get("target").get("vector").isNull())
        .as("no embedding in a resolution")
        .isTrue();
    JsonNode summaries = r.json().get("resolution").get("summary_refs");
    assertThat(summaries.get(0).get("state").asString()).isEqualTo("resolved");
    assertThat(summaries.get(0).get("target").get("asset_id").asString()).isEqualTo(assetId);
    assertThat(summaries.get(1).get("state").asString()).isEqualTo("external");
    assertThat(summaries.get(1).get("ref").get("id").asString()).isEqualTo("card:77");

    JsonNode events =
        api.get("/v1/events?request_id=mem-resolve-1").as(owner, "dev").send().json().get("items");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("action").asString()).isEqualTo("memory.get");
    String inputs = events.get(0).get("input_refs").toString();
    assertThat(inputs)
        .contains(atomId)
        .contains(turnId)
        .contains(assetId)
        .contains(id)
        .doesNotContain("card:77")
        .contains("{\"type\":\"vector\",\"id\":\"docs/v-1\"}");
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
    // The same space and vector names in another tenant and in another env of this one.
    new VectorFixtures(api).space(stranger, "dev");
    new VectorFixtures(api).space(owner, "prod");
    String id = sessions.session(owner, "dev");
    api.put("/v1/sessions/" + id + "/memory")
        .as(owner, "dev")
        .json(
            memory(
                List.of(
                    pointer("atom", foreignAtom),
                    pointer("asset", foreignAsset),
                    pointer("atom", prodAtom),
                    pointer("vector", "docs/v-1")),
                List.of(
                    pointer("asset", prodAsset),
                    pointer("turn", theirTurn),
                    pointer("turn", prodTurn)),
                Map.of()))
        .send();

    TestApi.Response r =
        api.get("/v1/sessions/" + id + "/memory?resolve=true")
            .as(owner, "dev")
            .header("X-Request-Id", "mem-isolation-1")
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    for (String list : List.of("pinned_refs", "summary_refs")) {
      for (JsonNode item : r.json().get("resolution").get(list)) {
        assertThat(item.get("state").asString()).as("%s", item).isEqualTo("not_found");
        assertThat(item.get("target").isNull()).isTrue();
      }
    }
    assertThat(r.body())
        .doesNotContain(stranger.tenantId())
        .doesNotContain(member.userId())
        .doesNotContain("fixture turn");
    JsonNode event =
        api.get("/v1/events?request_id=mem-isolation-1")
            .as(owner, "dev")
            .send()
            .json()
            .get("items")
            .get(0);
    assertThat(event.get("input_refs").toString())
        .as("nothing was loaded")
        .doesNotContain(foreignAtom)
        .doesNotContain(theirTurn)
        .doesNotContain("docs/v-1");
  }

  @Test
  void resolveWhenTargetsGoneThenTombstonesDeletedErasedExpired() {
    String deletedAsset = nexus.asset(owner, "dev", "to be deleted");
    String erasedAsset = nexus.asset(owner, "dev", "to be erased");
    assertThat(api.delete("/v1/assets/" + deletedAsset).as(owner, "dev").send().status())
        .isEqualTo(200);
    // A write path indexed the asset under a data subject; the subject's erasure soft-deletes it.
    String email = "erase-me@mem.example";
    tx.write(
        Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
        () -> {
          subjectIndex.register(
              Scope.of(owner.tenantId(), "dev").tenant(),
              SubjectIdentifiers.of(Map.of("email", email)),
              "raw_asset",
              erasedAsset);
          return null;
        });
    assertThat(
            api.post("/v1/gdpr/erasure")
                .as(owner, "dev")
                .json(Map.of("identifiers", Map.of("email", email)))
                .send()
                .status())
        .isEqualTo(200);
    String deletedSession = sessions.session(owner, "dev");
    String deletedTurn =
        sessions.turn(owner, "dev", deletedSession, "user", "soon gone").text("turn_id");
    assertThat(api.delete("/v1/sessions/" + deletedSession).as(owner, "dev").send().status())
        .isEqualTo(204);

    String id = sessions.session(owner, "dev");
    api.put("/v1/sessions/" + id + "/memory")
        .as(owner, "dev")
        .json(
            memory(
                List.of(
                    pointer("asset", deletedAsset),
                    pointer("asset", erasedAsset),
                    pointer("turn", deletedTurn)),
                List.of(),
                Map.of()))
        .send();
    JsonNode pinned =
        api.get("/v1/sessions/" + id + "/memory?resolve=true")
            .as(owner, "dev")
            .send()
            .json()
            .get("resolution")
            .get("pinned_refs");
    assertThat(pinned.get(0).get("state").asString()).isEqualTo("deleted");
    assertThat(pinned.get(1).get("state").asString()).isEqualTo("erased");
    assertThat(pinned.get(2).get("state").asString()).isEqualTo("deleted");
    assertThat(pinned.get(2).get("ref").get("id").asString()).isEqualTo(deletedTurn);
  }

  @Test
  void resolveWhenVectorsGoneThenDeletedOrErasedAsTheirRemovalWasAndResolvedOnceWrittenAgain() {
    VectorFixtures vectors = new VectorFixtures(api);
    vectors.space(owner, "dev", "s", 2, "l2", "caller");
    vectors.space(owner, "dev", "doomed", 2, "l2", "caller");
    String deletedAsset = nexus.asset(owner, "dev", "to be deleted");
    String erasedAsset = nexus.asset(owner, "dev", "to be erased");
    vectors.upsert(
        owner,
        "dev",
        "s",
        List.of(
            VectorFixtures.item("alone", new float[] {1, 0}, null),
            Map.of(
                "id",
                "with-deleted",
                "vector",
                List.of(0, 1),
                "ref",
                Map.of("type", "asset", "id", deletedAsset)),
            Map.of(
                "id",
                "with-erased",
                "vector",
                List.of(1, 1),
                "ref",
                Map.of("type", "asset", "id", erasedAsset)),
            VectorFixtures.item("again", new float[] {2, 0}, null)));
    vectors.upsert(
        owner, "dev", "doomed", List.of(VectorFixtures.item("inside", new float[] {1, 0}, null)));
    String id = sessions.session(owner, "dev");
    api.put("/v1/sessions/" + id + "/memory")
        .as(owner, "dev")
        .json(
            memory(
                List.of(
                    pointer("vector", "s/alone"),
                    pointer("vector", "s/with-deleted"),
                    pointer("vector", "s/with-erased"),
                    pointer("vector", "doomed/inside"),
                    pointer("vector", "s/again"),
                    pointer("vector", "s/never")),
                List.of(),
                Map.of()))
        .send();

    assertThat(api.delete("/v1/vector-spaces/s/vectors/alone").as(owner, "dev").send().status())
        .isEqualTo(200);
    assertThat(api.delete("/v1/vector-spaces/s/vectors/again").as(owner, "dev").send().status())
        .isEqualTo(200);
    vectors.upsert(
        owner, "dev", "s", List.of(VectorFixtures.item("again", new float[] {2, 0}, null)));
    assertThat(api.delete("/v1/vector-spaces/doomed").as(owner, "dev").send().status())
        .isEqualTo(200);
    assertThat(api.delete("/v1/assets/" + deletedAsset).as(owner, "dev").send().status())
        .isEqualTo(200);
    String email = "erase-vector@mem.example";
    tx.write(
        Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
        () -> {
          subjectIndex.register(
              Scope.of(owner.tenantId(), "dev").tenant(),
              SubjectIdentifiers.of(Map.of("email", email)),
              "raw_asset",
              erasedAsset);
          return null;
        });
    assertThat(
            api.post("/v1/gdpr/erasure")
                .as(owner, "dev")
                .json(Map.of("identifiers", Map.of("email", email)))
                .send()
                .status())
        .isEqualTo(200);

    TestApi.Response r =
        api.get("/v1/sessions/" + id + "/memory?resolve=true")
            .as(owner, "dev")
            .header("X-Request-Id", "mem-vector-gone-1")
            .send();
    JsonNode pinned = r.json().get("resolution").get("pinned_refs");
    assertThat(pinned.get(0).get("state").asString()).as("deleted on its own").isEqualTo("deleted");
    assertThat(pinned.get(1).get("state").asString())
        .as("went with its deleted asset")
        .isEqualTo("deleted");
    assertThat(pinned.get(2).get("state").asString())
        .as("went with its erased asset")
        .isEqualTo("erased");
    assertThat(pinned.get(3).get("state").asString())
        .as("went with its space")
        .isEqualTo("deleted");
    assertThat(pinned.get(4).get("state").asString())
        .as("written again after its delete")
        .isEqualTo("resolved");
    assertThat(pinned.get(5).get("state").asString()).as("never existed").isEqualTo("not_found");
    for (int i = 0; i < 6; i++) {
      assertThat(pinned.get(i).get("target").isNull()).isEqualTo(i != 4);
    }
    String inputs =
        api.get("/v1/events?request_id=mem-vector-gone-1")
            .as(owner, "dev")
            .send()
            .json()
            .get("items")
            .get(0)
            .get("input_refs")
            .toString();
    assertThat(inputs)
        .as("only what was loaded")
        .contains("s/again")
        .doesNotContain("s/alone")
        .doesNotContain("doomed/inside");
  }

  @Test
  void putWhenVectorPointerNamesNoSpaceThenRefused() {
    String id = sessions.session(owner, "dev");
    TestApi.Response r =
        api.put("/v1/sessions/" + id + "/memory")
            .as(owner, "dev")
            .json(
                memory(
                    List.of(pointer("vector", "v-1"), pointer("vector", "Docs/v-1")),
                    List.of(),
                    Map.of()))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.json().get("errors").toString())
        .contains("pinned_refs[0].id")
        .contains("pinned_refs[1].id");
  }
}
