package dev.engines.api.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.SessionFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Sessions, turns, blackboards and bundles through the API: the success paths and their failures,
 * user by user.
 */
class SessionIntegrationTests extends IntegrationTest {

  private Member owner;
  private SessionFixtures sessions;

  @BeforeEach
  void tenant() {
    owner = tenants.tenant("sess");
    tenants.configureSession(owner, "dev");
    sessions = new SessionFixtures(api);
  }

  @Test
  void createWhenEnvHasNoSessionSlotThen409ConfigMissingAndNothingStored() {
    TestApi.Response r =
        api.post("/v1/sessions").as(owner, "staging").json(Map.of("title", "t")).send();
    assertThat(r.status()).as("%s", r).isEqualTo(409);
    assertThat(r.code()).isEqualTo("config_missing");
    assertThat(r.text("detail")).contains("session");
    assertThat(
            tx.read(
                Caller.system(Scope.of(owner.tenantId(), "staging"), "test"),
                () -> jdbc.sql("SELECT count(*) FROM sessions").query(Integer.class).single()))
        .isZero();
  }

  @Test
  void createWhenNewThen201WithLocationETagAndSlotDefaults() {
    TestApi.Response r =
        api.post("/v1/sessions").as(owner, "dev").json(Map.of("title", "Trip planning")).send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    String id = r.text("session_id");
    assertThat(id).startsWith("se_");
    assertThat(r.header("Location")).isEqualTo("/v1/sessions/" + id);
    assertThat(r.header("ETag")).isEqualTo("\"1\"");
    assertThat(r.json().get("ttl_seconds").asInt()).isEqualTo(3600);
    assertThat(r.json().get("train_ok").asBoolean()).isTrue();
    assertThat(r.text("user_id")).isEqualTo(owner.userId());

    TestApi.Response got = api.get("/v1/sessions/" + id).as(owner, "dev").send();
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.header("ETag")).isEqualTo("\"1\"");
    JsonNode listed = api.get("/v1/sessions").as(owner, "dev").send().json().get("items");
    assertThat(listed.get(0).get("session_id").asString()).isEqualTo(id);
  }

  @Test
  void createWhenCallerIdRepeatedThenSameSettingsReplayOtherSettingsConflict() {
    Map<String, Object> body =
        Map.of("session_id", "thread-42", "title", "Hello", "ttl_seconds", 600);
    TestApi.Response first = api.post("/v1/sessions").as(owner, "dev").json(body).send();
    assertThat(first.status()).as("%s", first).isEqualTo(201);
    TestApi.Response again = api.post("/v1/sessions").as(owner, "dev").json(body).send();
    assertThat(again.status()).as("%s", again).isEqualTo(200);
    assertThat(again.json().get("created_at")).isEqualTo(first.json().get("created_at"));
    TestApi.Response other =
        api.post("/v1/sessions")
            .as(owner, "dev")
            .json(Map.of("session_id", "thread-42", "ttl_seconds", 60))
            .send();
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.code()).isEqualTo("session_exists");
    // Another user may use the same id for a session of their own: ids are per user, and nothing
    // tells
    // them it is taken elsewhere.
    Member member = tenants.user(owner, "member");
    assertThat(api.post("/v1/sessions").as(member, "dev").json(body).send().status())
        .isEqualTo(201);
  }

  @Test
  void createWhenFieldsInvalidThenEveryOneNamed() {
    TestApi.Response r =
        api.post("/v1/sessions")
            .as(owner, "dev")
            .json(
                Map.of(
                    "session_id",
                    "no spaces",
                    "ttl_seconds",
                    86401,
                    "metadata",
                    Map.of("Bad-Key", 1, "nested", Map.of())))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(r.json().get("errors").toString())
        .contains("session_id")
        .contains("ttl_seconds")
        .contains("metadata.nested")
        .contains("\"metadata\"");
    TestApi.Response unknown =
        api.post("/v1/sessions").as(owner, "dev").json(Map.of("ttl", 5)).send();
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("ttl");
  }

  @Test
  void titleAndMetadataWhenTheyHoldPiiThenStoredRedacted() {
    TestApi.Response r =
        api.post("/v1/sessions")
            .as(owner, "dev")
            .json(
                Map.of(
                    "title",
                    "Call ana.b@example.com",
                    "metadata",
                    Map.of("contact", "ana.b@example.com", "n", 3)))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(r.body()).doesNotContain("ana.b@example.com");
    assertThat(r.json().get("pii_flags").get("EMAIL_ADDRESS").asInt()).isEqualTo(2);
    assertThat(r.json().get("metadata").get("n").asInt()).isEqualTo(3);
  }

  @Test
  void sessionsWhenAnotherUsersThen404OnEveryRouteAndServicesSeeOnlyTheirUser() {
    Member member = tenants.user(owner, "member");
    String mine = sessions.session(owner, "dev");
    List<String> paths =
        List.of(
            "/v1/sessions/" + mine,
            "/v1/sessions/" + mine + "/turns",
            "/v1/sessions/" + mine + "/memory",
            "/v1/sessions/" + mine + "/blackboard",
            "/v1/sessions/" + mine + "/inbox");
    for (String path : paths) {
      TestApi.Response r = api.get(path).as(member, "dev").send();
      assertThat(r.status()).as("%s %s", path, r).isEqualTo(404);
      assertThat(r.body()).doesNotContain(owner.userId());
    }
    assertThat(
            api.patch("/v1/sessions/" + mine)
                .as(member, "dev")
                .json(Map.of("title", "x"))
                .send()
                .status())
        .isEqualTo(404);
    assertThat(api.delete("/v1/sessions/" + mine).as(member, "dev").send().status()).isEqualTo(404);
    assertThat(sessions.turn(member, "dev", mine, "user", "hi").status()).isEqualTo(404);

    // A service key acting for the owner sees the owner's sessions, and only theirs.
    Member service = tenants.serviceKey(owner, "member", null, true);
    TestApi.Response asOwner =
        api.get("/v1/sessions/" + mine)
            .as(service, "dev")
            .header("X-User-Id", owner.userId())
            .send();
    assertThat(asOwner.status()).as("%s", asOwner).isEqualTo(200);
    assertThat(
            api.get("/v1/sessions/" + mine)
                .as(service, "dev")
                .header("X-User-Id", member.userId())
                .send()
                .status())
        .isEqualTo(404);
    TestApi.Response bare = api.get("/v1/sessions").as(service, "dev").send();
    assertThat(bare.status()).isEqualTo(400);
    assertThat(bare.code()).isEqualTo("user_required");
  }

  @Test
  void listWhenUserIdGivenThenAdminsOnly() {
    Member member = tenants.user(owner, "member");
    Member admin = tenants.user(owner, "admin");
    String theirs = sessions.session(member, "dev");
    TestApi.Response byAdmin =
        api.get("/v1/sessions?user_id=" + member.userId()).as(admin, "dev").send();
    assertThat(byAdmin.status()).as("%s", byAdmin).isEqualTo(200);
    assertThat(byAdmin.json().get("items").get(0).get("session_id").asString()).isEqualTo(theirs);
    TestApi.Response byMember =
        api.get("/v1/sessions?user_id=" + admin.userId()).as(member, "dev").send();
    assertThat(byMember.status()).isEqualTo(403);
    assertThat(byMember.code()).isEqualTo("forbidden_role");
    assertThat(api.get("/v1/sessions?user_id=" + member.userId()).as(member, "dev").send().status())
        .isEqualTo(200);
    // Admins list; they still do not read another user's session.
    assertThat(api.get("/v1/sessions/" + theirs).as(admin, "dev").send().status()).isEqualTo(404);
    assertThat(api.get("/v1/sessions?user_id=nobody").as(admin, "dev").send().code())
        .isEqualTo("validation_failed");
  }

  @Test
  void listWhenMoreThanAPageThenNewestFirstWithCursor() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(sessions.session(owner, "dev"));
    }
    TestApi.Response first = api.get("/v1/sessions?limit=2").as(owner, "dev").send();
    assertThat(first.json().get("items")).hasSize(2);
    assertThat(first.json().get("items").get(0).get("session_id").asString()).isEqualTo(ids.get(2));
    TestApi.Response second =
        api.get("/v1/sessions?limit=2&cursor=" + first.text("next_cursor")).as(owner, "dev").send();
    assertThat(second.json().get("items")).hasSize(1);
    assertThat(second.json().get("items").get(0).get("session_id").asString())
        .isEqualTo(ids.get(0));
  }

  @Test
  void patchWhenIfMatchStaleOrWeakThen412AndWhenCurrentThenApplied() {
    String id = sessions.session(owner, "dev");
    TestApi.Response stale =
        api.patch("/v1/sessions/" + id)
            .as(owner, "dev")
            .header("If-Match", "\"7\"")
            .json(Map.of("title", "x"))
            .send();
    assertThat(stale.status()).as("%s", stale).isEqualTo(412);
    assertThat(stale.code()).isEqualTo("precondition_failed");
    TestApi.Response weak =
        api.patch("/v1/sessions/" + id)
            .as(owner, "dev")
            .header("If-Match", "W/\"1\"")
            .json(Map.of("title", "x"))
            .send();
    assertThat(weak.status()).isEqualTo(412);
    TestApi.Response malformed =
        api.patch("/v1/sessions/" + id)
            .as(owner, "dev")
            .header("If-Match", "1")
            .json(Map.of("title", "x"))
            .send();
    assertThat(malformed.status()).isEqualTo(400);
    TestApi.Response ok =
        api.patch("/v1/sessions/" + id)
            .as(owner, "dev")
            .header("If-Match", "\"1\"")
            .json(Map.of("title", "Renamed", "ttl_seconds", 120))
            .send();
    assertThat(ok.status()).as("%s", ok).isEqualTo(200);
    assertThat(ok.header("ETag")).isEqualTo("\"2\"");
    assertThat(ok.text("title")).isEqualTo("Renamed");
    assertThat(ok.json().get("ttl_seconds").asInt()).isEqualTo(120);
    assertThat(
            api.patch("/v1/sessions/" + id)
                .as(owner, "dev")
                .header("If-Match", "*")
                .json(Map.of("title", ""))
                .send()
                .text("title"))
        .isNull();
  }

  @Test
  void trainOkWhenWithdrawnThenTurnsAndEntriesFollowAndItCannotComeBack() {
    String id = sessions.session(owner, "dev");
    assertThat(
            sessions
                .turn(owner, "dev", id, "user", "plain text")
                .json()
                .get("train_ok")
                .asBoolean())
        .isTrue();
    assertThat(
            api.put("/v1/sessions/" + id + "/blackboard/plan")
                .as(owner, "dev")
                .json(Map.of("value", "step 1"))
                .send()
                .json()
                .get("train_ok")
                .asBoolean())
        .isTrue();
    TestApi.Response off =
        api.patch("/v1/sessions/" + id).as(owner, "dev").json(Map.of("train_ok", false)).send();
    assertThat(off.status()).as("%s", off).isEqualTo(200);
    JsonNode turns =
        api.get("/v1/sessions/" + id + "/turns").as(owner, "dev").send().json().get("items");
    assertThat(turns.get(0).get("train_ok").asBoolean()).as("an existing turn").isFalse();
    assertThat(
            sessions
                .turn(owner, "dev", id, "assistant", "more plain text")
                .json()
                .get("train_ok")
                .asBoolean())
        .as("a new turn")
        .isFalse();
    assertThat(
            api.get("/v1/sessions/" + id + "/blackboard/plan")
                .as(owner, "dev")
                .send()
                .json()
                .get("train_ok")
                .asBoolean())
        .isFalse();
    TestApi.Response back =
        api.patch("/v1/sessions/" + id).as(owner, "dev").json(Map.of("train_ok", true)).send();
    assertThat(back.status()).isEqualTo(409);
    assertThat(back.code()).isEqualTo("train_ok_withdrawn");
  }

  @Test
  void turnWhenContentHoldsPiiThenStoredRedactedWithKeyedIdAndFlags() {
    String id = sessions.session(owner, "dev");
    String text = "Reach me at ana.b@example.com or +1 415 555 0100";
    TestApi.Response r = sessions.turn(owner, "dev", id, "user", text);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    String turnId = r.text("turn_id");
    assertThat(turnId).matches("^tu_[0-9a-f]{32}$");
    assertThat(r.header("Location")).isEqualTo("/v1/sessions/" + id + "/turns/" + turnId);
    assertThat(r.body()).doesNotContain("ana.b@example.com").doesNotContain("555 0100");
    assertThat(r.json().get("seq").asInt()).isEqualTo(1);
    assertThat(r.json().get("train_ok").asBoolean()).isFalse();
    assertThat(r.json().get("pii_flags").has("EMAIL_ADDRESS")).isTrue();
    String stored =
        tx.read(
            Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
            () ->
                jdbc.sql(
                        "SELECT content FROM session_turns"
                            + " WHERE tenant_id = :t AND turn_id = :id")
                    .param("t", owner.tenantId())
                    .param("id", turnId)
                    .query(String.class)
                    .single());
    assertThat(stored).doesNotContain("ana.b@example.com").isEqualTo(r.text("content"));
    TestApi.Response session = api.get("/v1/sessions/" + id).as(owner, "dev").send();
    assertThat(session.json().get("turn_count").asInt()).isEqualTo(1);
    assertThat(session.text("last_turn_id")).isEqualTo(turnId);
    assertThat(
            api.get("/v1/sessions/" + id + "/turns/" + turnId)
                .as(owner, "dev")
                .send()
                .text("turn_id"))
        .isEqualTo(turnId);
    assertThat(
            api.get("/v1/sessions/" + id + "/turns/tu_" + "0".repeat(32))
                .as(owner, "dev")
                .send()
                .status())
        .isEqualTo(404);
  }

  @Test
  void turnWhenSeqNamedThenRetryIsAReplayAndAnythingElseAConflict() {
    String id = sessions.session(owner, "dev");
    Map<String, Object> first = Map.of("role", "user", "content", "one", "seq", 1);
    TestApi.Response created =
        api.post("/v1/sessions/" + id + "/turns").as(owner, "dev").json(first).send();
    assertThat(created.status()).isEqualTo(201);
    TestApi.Response retry =
        api.post("/v1/sessions/" + id + "/turns").as(owner, "dev").json(first).send();
    assertThat(retry.status()).as("%s", retry).isEqualTo(200);
    assertThat(retry.text("turn_id")).isEqualTo(created.text("turn_id"));
    TestApi.Response other =
        api.post("/v1/sessions/" + id + "/turns")
            .as(owner, "dev")
            .json(Map.of("role", "user", "content", "not one", "seq", 1))
            .send();
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.code()).isEqualTo("turn_seq_conflict");
    TestApi.Response gap =
        api.post("/v1/sessions/" + id + "/turns")
            .as(owner, "dev")
            .json(Map.of("role", "user", "content", "three", "seq", 3))
            .send();
    assertThat(gap.code()).isEqualTo("turn_seq_conflict");
    assertThat(
            api.get("/v1/sessions/" + id).as(owner, "dev").send().json().get("turn_count").asInt())
        .isEqualTo(1);
  }

  @Test
  void turnWhenInvalidOrOverTheSlotLimitsThenRefused() {
    Member limited = tenants.tenant("sesslim");
    Map<String, Object> slot = new HashMap<>(TestTenants.SESSION);
    slot.put("max_turns", 2);
    slot.put("max_turn_chars", 10);
    tenants.configure(limited, "dev", "session", slot);
    String id = sessions.session(limited, "dev");
    TestApi.Response invalid =
        api.post("/v1/sessions/" + id + "/turns")
            .as(limited, "dev")
            .json(Map.of("role", "robot", "content", "eleven chars"))
            .send();
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("errors").toString()).contains("role").contains("content");
    assertThat(sessions.turn(limited, "dev", id, "user", "a").status()).isEqualTo(201);
    assertThat(sessions.turn(limited, "dev", id, "user", "b").status()).isEqualTo(201);
    TestApi.Response full = sessions.turn(limited, "dev", id, "user", "c");
    assertThat(full.status()).isEqualTo(409);
    assertThat(full.code()).isEqualTo("turn_limit_reached");
  }

  @Test
  void turnsWhenListedThenInSeqOrderWithCursor() {
    String id = sessions.session(owner, "dev");
    for (String content : List.of("a", "b", "c")) {
      sessions.turn(owner, "dev", id, "user", content);
    }
    TestApi.Response page =
        api.get("/v1/sessions/" + id + "/turns?limit=2").as(owner, "dev").send();
    assertThat(page.json().get("items").get(1).get("seq").asInt()).isEqualTo(2);
    TestApi.Response rest =
        api.get("/v1/sessions/" + id + "/turns?cursor=" + page.text("next_cursor"))
            .as(owner, "dev")
            .send();
    assertThat(rest.json().get("items").get(0).get("content").asString()).isEqualTo("c");
    assertThat(api.get("/v1/sessions/" + id + "/turns?cursor=bogus").as(owner, "dev").send().code())
        .isEqualTo("cursor_invalid");
  }

  @Test
  void deleteWhenIfMatchStaleThen412ElseGoneWithItsTurns() {
    String id = sessions.session(owner, "dev");
    sessions.turn(owner, "dev", id, "user", "x");
    assertThat(
            api.delete("/v1/sessions/" + id)
                .as(owner, "dev")
                .header("If-Match", "\"1\"")
                .send()
                .status())
        .isEqualTo(412);
    assertThat(
            api.delete("/v1/sessions/" + id)
                .as(owner, "dev")
                .header("If-Match", "\"2\"")
                .send()
                .status())
        .isEqualTo(204);
    assertThat(api.get("/v1/sessions/" + id).as(owner, "dev").send().status()).isEqualTo(404);
    Scope dev = Scope.of(owner.tenantId(), "dev");
    assertThat(
            tx.read(
                Caller.system(dev, "test"),
                () ->
                    jdbc.sql("SELECT count(*) FROM session_turns WHERE tenant_id = :t")
                        .param("t", owner.tenantId())
                        .query(Integer.class)
                        .single()))
        .isZero();
    assertThat(
            tx.read(
                Caller.system(dev, "test"),
                () ->
                    jdbc.sql(
                            "SELECT state FROM session_tombstones WHERE tenant_id = :t AND session_id = :id")
                        .param("t", owner.tenantId())
                        .param("id", id)
                        .query(String.class)
                        .single()))
        .isEqualTo("deleted");
  }

  @Test
  void blackboardWhenWrittenUnderPreconditionsThenVersionedAnd412WhenStale() {
    String id = sessions.session(owner, "dev");
    String path = "/v1/sessions/" + id + "/blackboard/plan";
    TestApi.Response created =
        api.put(path)
            .as(owner, "dev")
            .header("If-None-Match", "*")
            .json(Map.of("value", Map.of("step", 1, "note", "ping ana.b@example.com")))
            .send();
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String etag = created.header("ETag");
    assertThat(created.header("Location")).isEqualTo(path);
    assertThat(created.body()).doesNotContain("ana.b@example.com");
    assertThat(created.json().get("train_ok").asBoolean()).isFalse();
    assertThat(
            api.put(path)
                .as(owner, "dev")
                .header("If-None-Match", "*")
                .json(Map.of("value", 1))
                .send()
                .status())
        .as("create-only on an existing entry")
        .isEqualTo(412);
    TestApi.Response updated =
        api.put(path)
            .as(owner, "dev")
            .header("If-Match", etag)
            .json(Map.of("value", Map.of("step", 2)))
            .send();
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.header("ETag")).isNotEqualTo(etag);
    TestApi.Response stale =
        api.put(path)
            .as(owner, "dev")
            .header("If-Match", etag)
            .json(Map.of("value", Map.of("step", 3)))
            .send();
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.code()).isEqualTo("precondition_failed");
    assertThat(api.get(path).as(owner, "dev").send().json().get("value").get("step").asInt())
        .isEqualTo(2);
    assertThat(
            api.put("/v1/sessions/" + id + "/blackboard/none")
                .as(owner, "dev")
                .header("If-Match", "*")
                .json(Map.of("value", 1))
                .send()
                .status())
        .as("If-Match: * on a missing entry")
        .isEqualTo(412);

    TestApi.Response list = api.get("/v1/sessions/" + id + "/blackboard").as(owner, "dev").send();
    assertThat(list.json().get("items")).hasSize(1);
    assertThat(api.delete(path).as(owner, "dev").header("If-Match", etag).send().status())
        .isEqualTo(412);
    assertThat(
            api.delete(path)
                .as(owner, "dev")
                .header("If-Match", updated.header("ETag"))
                .send()
                .status())
        .isEqualTo(204);
    assertThat(api.get(path).as(owner, "dev").send().status()).isEqualTo(404);
    // Re-created, the entry never takes an old version: the old tag does not match it.
    TestApi.Response again = api.put(path).as(owner, "dev").json(Map.of("value", 0)).send();
    assertThat(again.header("ETag")).isNotIn(etag, updated.header("ETag"));
  }

  @Test
  void blackboardWhenObjectKeysHoldPiiThenKeysRedactedTooAndCollisionsRefused() {
    String id = sessions.session(owner, "dev");
    TestApi.Response one =
        api.put("/v1/sessions/" + id + "/blackboard/people")
            .as(owner, "dev")
            .json(Map.of("value", Map.of("ana.b@example.com", Map.of("seat", "12A"))))
            .send();
    assertThat(one.status()).as("%s", one).isEqualTo(201);
    assertThat(one.body()).doesNotContain("ana.b@example.com");
    assertThat(
            one.json()
                .get("value")
                .properties()
                .iterator()
                .next()
                .getValue()
                .get("seat")
                .asString())
        .isEqualTo("12A");
    TestApi.Response two =
        api.put("/v1/sessions/" + id + "/blackboard/people")
            .as(owner, "dev")
            .json(Map.of("value", Map.of("ana.b@example.com", 1, "bo.c@example.com", 2)))
            .send();
    assertThat(two.status()).as("two keys that redact alike would lose one").isEqualTo(400);
    assertThat(two.json().get("errors").get(0).get("field").asString()).isEqualTo("value");
    assertThat(two.body()).doesNotContain("example.com");
  }

  @Test
  void blackboardWhenValueTooLargeKeyInvalidOrFullThenRefused() {
    Member limited = tenants.tenant("sessbb");
    Map<String, Object> slot = new HashMap<>(TestTenants.SESSION);
    slot.put("blackboard_max_bytes", 100);
    slot.put("blackboard_max_keys", 1);
    tenants.configure(limited, "dev", "session", slot);
    String id = sessions.session(limited, "dev");
    TestApi.Response large =
        api.put("/v1/sessions/" + id + "/blackboard/a")
            .as(limited, "dev")
            .json(Map.of("value", "x".repeat(200)))
            .send();
    assertThat(large.status()).isEqualTo(413);
    assertThat(large.code()).isEqualTo("value_too_large");
    assertThat(
            api.put("/v1/sessions/" + id + "/blackboard/Bad_Key")
                .as(limited, "dev")
                .json(Map.of("value", 1))
                .send()
                .status())
        .isEqualTo(400);
    assertThat(
            api.put("/v1/sessions/" + id + "/blackboard/a")
                .as(limited, "dev")
                .json(Map.of())
                .send()
                .code())
        .isEqualTo("validation_failed");
    assertThat(
            api.put("/v1/sessions/" + id + "/blackboard/a")
                .as(limited, "dev")
                .json(Map.of("value", 1))
                .send()
                .status())
        .isEqualTo(201);
    TestApi.Response full =
        api.put("/v1/sessions/" + id + "/blackboard/b")
            .as(limited, "dev")
            .json(Map.of("value", 1))
            .send();
    assertThat(full.status()).isEqualTo(409);
    assertThat(full.code()).isEqualTo("blackboard_full");
  }

  @Test
  void bundleWhenForwardedToOwnSessionThenInInboxWithBothSessionIdsInTheEvent() {
    String from = sessions.session(owner, "dev");
    String to = sessions.session(owner, "dev");
    Map<String, Object> body =
        Map.of(
            "to_session_id",
            to,
            "refs",
            List.of(
                Map.of("type", "external", "id", "card:9"),
                Map.of("type", "atom", "id", "at_" + "1".repeat(32))));
    TestApi.Response r =
        api.post("/v1/sessions/" + from + "/bundles")
            .as(owner, "dev")
            .header("X-Request-Id", "bundle-fwd-1")
            .json(body)
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    String bundleId = r.text("bundle_id");
    assertThat(r.header("Location")).isEqualTo("/v1/sessions/" + to + "/inbox/" + bundleId);
    assertThat(
            api.post("/v1/sessions/" + from + "/bundles")
                .as(owner, "dev")
                .json(body)
                .send()
                .status())
        .as("the same bundle again")
        .isEqualTo(200);
    JsonNode inbox =
        api.get("/v1/sessions/" + to + "/inbox").as(owner, "dev").send().json().get("items");
    assertThat(inbox).hasSize(1);
    assertThat(inbox.get(0).get("from_session_id").asString()).isEqualTo(from);
    assertThat(
            api.get("/v1/sessions/" + to + "/inbox/" + bundleId).as(owner, "dev").send().status())
        .isEqualTo(200);
    assertThat(
            api.get("/v1/sessions/" + from + "/inbox/" + bundleId).as(owner, "dev").send().status())
        .isEqualTo(404);

    JsonNode event =
        api.get("/v1/events?request_id=bundle-fwd-1")
            .as(owner, "dev")
            .send()
            .json()
            .get("items")
            .get(0);
    assertThat(event.get("action").asString()).isEqualTo("bundle.forward");
    assertThat(event.get("input_refs").toString()).contains(from);
    assertThat(event.get("output_refs").toString()).contains(to).contains(bundleId);
  }

  @Test
  void bundleWhenTargetIsAnotherUsersOrEnvsOrItselfThenRefused() {
    tenants.configureSession(owner, "prod");
    Member member = tenants.user(owner, "member");
    String from = sessions.session(owner, "dev");
    String theirs = sessions.session(member, "dev");
    String prod = sessions.session(owner, "prod");
    for (String target : List.of(theirs, prod, "never-created")) {
      TestApi.Response r =
          api.post("/v1/sessions/" + from + "/bundles")
              .as(owner, "dev")
              .json(
                  Map.of(
                      "to_session_id",
                      target,
                      "refs",
                      List.of(Map.of("type", "external", "id", "x"))))
              .send();
      assertThat(r.status()).as("%s: %s", target, r).isEqualTo(404);
    }
    TestApi.Response self =
        api.post("/v1/sessions/" + from + "/bundles")
            .as(owner, "dev")
            .json(Map.of("to_session_id", from, "refs", List.of()))
            .send();
    assertThat(self.status()).isEqualTo(400);
    assertThat(self.json().get("errors").toString()).contains("to_session_id").contains("refs");
    assertThat(
            api.get("/v1/sessions/" + theirs + "/inbox")
                .as(member, "dev")
                .send()
                .json()
                .get("items"))
        .isEmpty();
  }
}
