package dev.engines.api.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.gates.ActionCatalog;
import dev.engines.gates.GateActions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Strategy locks and the kill switch through real HTTP: the gate chain lets a gated action through
 * only under an approved lock valid now for its surface, four eyes where the gates slot asks for
 * them, and the kill switch refuses what it disables on every route, Nexus included.
 */
class StrategyLockIntegrationTests extends IntegrationTest {

  private static final String FLOORS =
      "{\"performance_floors\":{\"conversion\":0.02},\"cadence_floors\":{}}";

  @Autowired ActionCatalog catalog;

  private GateFixtures gates;

  @BeforeEach
  void fixtures() {
    gates = new GateFixtures(api);
  }

  private TestApi.Response putFloors(Member by, String env, String surface) {
    return api.put("/v1/temperature/" + surface + "/floors").as(by, env).json(FLOORS).send();
  }

  /** The request's own event; its gate decision, if any, is {@link #decision}. */
  private JsonNode event(Member reader, String env, String requestId) {
    List<JsonNode> own = new java.util.ArrayList<>();
    api.get("/v1/events?request_id=" + requestId)
        .as(reader, env)
        .send()
        .json()
        .get("items")
        .forEach(
            e -> {
              if (!e.get("surface").asString().equals("safety")) {
                own.add(e);
              }
            });
    assertThat(own).hasSize(1);
    return own.getFirst();
  }

  /** The request's one {@code safety.decision} event. */
  private JsonNode decision(Member reader, String env, String requestId) {
    JsonNode items =
        api.get("/v1/events?surface=safety&action=decision&request_id=" + requestId)
            .as(reader, env)
            .send()
            .json()
            .get("items");
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  @Test
  void gatedUpsertWhenLockDraftedThenApprovedThenAllowedAndAuditedWithTheLock() {
    Member owner = tenants.tenant("lockok");
    Member admin = tenants.user(owner, "admin");
    gates.slot(owner, "dev", true);
    String lockId = gates.draft(admin, "dev", "checkout", List.of("temperature:upsert_floors"));
    TestApi.Response draft = api.get("/v1/strategy-locks/" + lockId).as(admin, "dev").send();
    assertThat(draft.text("status")).isEqualTo("draft");
    assertThat(putFloors(admin, "dev", "checkout").code())
        .as("a draft permits nothing")
        .isEqualTo("strategy_lock_required");

    TestApi.Response approved =
        api.post("/v1/strategy-locks/" + lockId + "/approve").as(owner, "dev").send();
    assertThat(approved.status()).as("%s", approved).isEqualTo(200);
    assertThat(approved.text("status")).isEqualTo("approved");
    assertThat(approved.text("decided_by")).isEqualTo(owner.userId());

    TestApi.Response put =
        api.put("/v1/temperature/checkout/floors")
            .as(admin, "dev")
            .header("X-Request-Id", "floors-ok-1")
            .json(FLOORS)
            .send();
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    assertThat(put.header("ETag")).isEqualTo("\"1\"");
    JsonNode event = event(owner, "dev", "floors-ok-1");
    assertThat(event.get("outcome").asString()).isEqualTo("success");
    assertThat(event.get("input_refs").toString()).contains(lockId);
    JsonNode decision = decision(owner, "dev", "floors-ok-1");
    assertThat(decision.get("outcome").asString()).as("allowed").isEqualTo("success");
    assertThat(decision.get("input_refs").toString())
        .contains("{\"type\":\"gate\",\"id\":\"strategy_lock\"}")
        .contains("{\"type\":\"action\",\"id\":\"temperature:upsert_floors\"}")
        .contains(lockId);
    JsonNode audit =
        api.get("/v1/audit?action=temperature.floors_upsert")
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("details").get("strategy_lock_id").asString()).isEqualTo(lockId);
    assertThat(audit.get(0).get("details").get("gate_action").asString())
        .isEqualTo("temperature:upsert_floors");
    assertThat(audit.get(0).get("details").get("performance_floors").get("conversion").asString())
        .isEqualTo("0.02");
    JsonNode locks =
        api.get("/v1/audit?action=strategy_lock.approve")
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    assertThat(locks.get(0).get("details").get("four_eyes").asBoolean()).isTrue();
    assertThat(locks.get(0).get("details").toString())
        .as("free text stays out of the audit trail")
        .doesNotContain("weekly review")
        .doesNotContain("Q3");
    assertThat(api.get("/v1/audit/verify").as(owner, "dev").send().json().get("valid").asBoolean())
        .isTrue();
  }

  @Test
  void gatedUpsertWhenNoLockThen409NamingTheActionAndTheRefusalIsAnEvent() {
    Member owner = tenants.tenant("locknone");
    TestApi.Response r =
        api.put("/v1/temperature/checkout/floors")
            .as(owner, "dev")
            .header("X-Request-Id", "floors-no-lock")
            .json(FLOORS)
            .send();
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("strategy_lock_required");
    assertThat(r.json().get("detail").asString())
        .contains("temperature:upsert_floors")
        .contains("checkout");
    JsonNode event = event(owner, "dev", "floors-no-lock");
    assertThat(event.get("outcome").asString()).isEqualTo("failure");
    assertThat(event.get("error_code").asString()).isEqualTo("strategy_lock_required");
    JsonNode decision = decision(owner, "dev", "floors-no-lock");
    assertThat(decision.get("outcome").asString()).as("blocked").isEqualTo("failure");
    assertThat(decision.get("error_code").asString()).isEqualTo("strategy_lock_required");
    assertThat(decision.get("input_refs").toString())
        .contains("strategy_lock")
        .contains("temperature:upsert_floors");
    assertThat(
            api.get("/v1/temperature/checkout/config")
                .as(owner, "dev")
                .send()
                .json()
                .get("floors")
                .get("version")
                .asInt())
        .as("nothing written")
        .isZero();
  }

  @Test
  void
      gatedUpsertWhenLockIsForAnotherSurfaceOrActionOrEnvThen409AndForAllSurfacesOrStarThenAllowed() {
    Member owner = tenants.tenant("lockscope");
    gates.approved(owner, "dev", "search", "temperature:upsert_floors");
    gates.approved(owner, "dev", "checkout", "temperature:upsert_weights");
    gates.approved(owner, "prod", "checkout", "temperature:upsert_floors");
    assertThat(putFloors(owner, "dev", "checkout").code()).isEqualTo("strategy_lock_required");
    assertThat(putFloors(owner, "dev", "search").status()).isEqualTo(200);

    Member other = tenants.tenant("lockstar");
    gates.approved(other, "dev", null, "*");
    assertThat(putFloors(other, "dev", "checkout").status())
        .as("* for every surface")
        .isEqualTo(200);
    assertThat(
            api.put("/v1/kill-switch")
                .as(other, "dev")
                .json(Map.of("disabled_actions", List.of(), "disabled_providers", List.of()))
                .send()
                .status())
        .as("* covers the kill switch too")
        .isEqualTo(200);
  }

  @Test
  void lockWhenPastValidUntilThenReadsExpiredNoLongerPermitsAndCannotBeApproved() {
    Member owner = tenants.tenant("lockexp");
    String approved = gates.approved(owner, "dev", "checkout", "temperature:upsert_floors");
    String draft = gates.draft(owner, "dev", "checkout", List.of("temperature:upsert_floors"));
    assertThat(putFloors(owner, "dev", "checkout").status()).isEqualTo(200);
    // Move both windows into the past (the API accepts only future valid_until).
    Scope dev = Scope.of(owner.tenantId(), "dev");
    tx.write(
        Caller.system(dev, "test"),
        () ->
            jdbc.sql(
                    "UPDATE strategy_locks SET valid_from = now() - interval '2 hours',"
                        + " valid_until = now() - interval '1 hour' WHERE tenant_id = :t AND env = 'dev'")
                .param("t", owner.tenantId())
                .update());

    assertThat(api.get("/v1/strategy-locks/" + approved).as(owner, "dev").send().text("status"))
        .isEqualTo("expired");
    assertThat(api.get("/v1/strategy-locks/" + draft).as(owner, "dev").send().text("status"))
        .isEqualTo("expired");
    TestApi.Response refused = putFloors(owner, "dev", "checkout");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("strategy_lock_required");
    TestApi.Response approve =
        api.post("/v1/strategy-locks/" + draft + "/approve").as(owner, "dev").send();
    assertThat(approve.status()).isEqualTo(409);
    assertThat(approve.code()).isEqualTo("lock_expired");
    TestApi.Response expired = api.get("/v1/strategy-locks?status=expired").as(owner, "dev").send();
    assertThat(expired.json().get("items")).hasSize(2);
    assertThat(
            api.get("/v1/strategy-locks?status=approved")
                .as(owner, "dev")
                .send()
                .json()
                .get("items"))
        .isEmpty();
  }

  @Test
  void approveWhenFourEyesThenTheAuthorIsRefusedAndAnotherOwnerApproves() {
    Member owner = tenants.tenant("lock4e");
    Member secondOwner = tenants.user(owner, "owner");
    gates.slot(owner, "dev", true);
    String lockId = gates.draft(owner, "dev", "checkout", List.of("temperature:upsert_floors"));
    TestApi.Response self =
        api.post("/v1/strategy-locks/" + lockId + "/approve").as(owner, "dev").send();
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.code()).isEqualTo("four_eyes_required");
    assertThat(api.get("/v1/strategy-locks/" + lockId).as(owner, "dev").send().text("status"))
        .isEqualTo("draft");
    TestApi.Response other =
        api.post("/v1/strategy-locks/" + lockId + "/approve").as(secondOwner, "dev").send();
    assertThat(other.status()).as("%s", other).isEqualTo(200);
    TestApi.Response again =
        api.post("/v1/strategy-locks/" + lockId + "/approve").as(secondOwner, "dev").send();
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("lock_not_draft");

    // Without four eyes the author may approve their own lock.
    gates.slot(owner, "dev", false);
    String own = gates.draft(owner, "dev", "checkout", List.of("kpi:corridor_upsert"));
    assertThat(api.post("/v1/strategy-locks/" + own + "/approve").as(owner, "dev").send().status())
        .isEqualTo(200);
  }

  @Test
  void approveWhenEnvHasNoGatesSlotThen409ConfigMissingNamingTheSlot() {
    Member owner = tenants.tenant("lockslot");
    String lockId = gates.draft(owner, "dev", null, List.of("safety:kill_switch_update"));
    TestApi.Response r =
        api.post("/v1/strategy-locks/" + lockId + "/approve").as(owner, "dev").send();
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("config_missing");
    assertThat(r.json().get("detail").asString()).contains("gates");
  }

  @Test
  void rejectWhenDraftThenRejectedForGoodAndPermitsNothing() {
    Member owner = tenants.tenant("lockrej");
    String lockId = gates.draft(owner, "dev", "checkout", List.of("temperature:upsert_floors"));
    TestApi.Response r =
        api.post("/v1/strategy-locks/" + lockId + "/reject").as(owner, "dev").send();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text("status")).isEqualTo("rejected");
    gates.slot(owner, "dev", false);
    assertThat(api.post("/v1/strategy-locks/" + lockId + "/approve").as(owner, "dev").send().code())
        .isEqualTo("lock_not_draft");
    assertThat(putFloors(owner, "dev", "checkout").code()).isEqualTo("strategy_lock_required");
  }

  @Test
  void createWhenInvalidThen400NamingEveryField() {
    Member owner = tenants.tenant("lockbad");
    TestApi.Response r =
        api.post("/v1/strategy-locks")
            .as(owner, "dev")
            .json(
                Map.of(
                    "scope",
                    "weekly",
                    "allowed_actions",
                    List.of("*", "Nexus:Derive"),
                    "valid_from",
                    "2026-01-02T00:00:00Z",
                    "valid_until",
                    "2026-01-01T00:00:00Z",
                    "surface",
                    "Bad Surface",
                    "title",
                    ""))
            .send();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("errors").toString())
        .contains("\"scope\"")
        .contains("allowed_actions[0]")
        .contains("allowed_actions[1]")
        .contains("valid_until")
        .contains("surface")
        .contains("title");
  }

  @Test
  void rolesWhenMemberOrViewerOrAdminThenOnlyTheirRoutes() {
    Member owner = tenants.tenant("lockrole");
    Member admin = tenants.user(owner, "admin");
    Member member = tenants.user(owner, "member");
    Member viewer = tenants.user(owner, "viewer");
    gates.slot(owner, "dev", false);
    Map<String, Object> body =
        GateFixtures.lockBody("checkout", List.of("temperature:upsert_floors"));
    assertThat(api.post("/v1/strategy-locks").as(member, "dev").json(body).send().code())
        .isEqualTo("forbidden_role");
    assertThat(api.post("/v1/strategy-locks").as(viewer, "dev").json(body).send().code())
        .isEqualTo("forbidden_role");
    String lockId = gates.draft(admin, "dev", "checkout", List.of("temperature:upsert_floors"));
    assertThat(api.post("/v1/strategy-locks/" + lockId + "/approve").as(admin, "dev").send().code())
        .as("owners approve")
        .isEqualTo("forbidden_role");
    assertThat(api.get("/v1/strategy-locks/" + lockId).as(viewer, "dev").send().status())
        .isEqualTo(200);
    assertThat(api.get("/v1/strategy-locks").as(viewer, "dev").send().status()).isEqualTo(200);
    assertThat(api.get("/v1/kill-switch").as(viewer, "dev").send().status()).isEqualTo(200);
    assertThat(
            api.put("/v1/kill-switch")
                .as(member, "dev")
                .json(Map.of("disabled_actions", List.of(), "disabled_providers", List.of()))
                .send()
                .code())
        .isEqualTo("forbidden_role");
  }

  @Test
  void lockIdsWhenOfAnotherTenantOrEnvThen404AndNothingChanges() {
    Member a = tenants.tenant("lockxa");
    Member b = tenants.tenant("lockxb");
    gates.slot(b, "dev", false);
    String lockId = gates.draft(a, "dev", "checkout", List.of("temperature:upsert_floors"));
    for (String path : List.of("/v1/strategy-locks/" + lockId)) {
      assertThat(api.get(path).as(b, "dev").send().status()).isEqualTo(404);
      assertThat(api.get(path).as(a, "prod").send().status()).isEqualTo(404);
    }
    for (String verb : List.of("approve", "reject")) {
      TestApi.Response r =
          api.post("/v1/strategy-locks/" + lockId + "/" + verb).as(b, "dev").send();
      assertThat(r.status()).as("%s %s", verb, r).isEqualTo(404);
      assertThat(r.body()).doesNotContain(a.tenantId());
    }
    assertThat(api.get("/v1/strategy-locks").as(b, "dev").send().body()).doesNotContain(lockId);
    assertThat(api.get("/v1/strategy-locks/" + lockId).as(a, "dev").send().text("status"))
        .isEqualTo("draft");
  }

  @Test
  void killSwitchWhenNexusDeriveDisabledThen403KillSwitchBlockedOnThatRouteOnly() {
    Member owner = tenants.nexusTenant("kill");
    NexusFixtures nexus = new NexusFixtures(api);
    String assetId = nexus.asset(owner, "dev");
    TestApi.Response unlocked =
        api.put("/v1/kill-switch")
            .as(owner, "dev")
            .json(
                Map.of(
                    "disabled_actions", List.of("nexus:derive"), "disabled_providers", List.of()))
            .send();
    assertThat(unlocked.status()).as("changing the switch is gated").isEqualTo(409);
    assertThat(unlocked.code()).isEqualTo("strategy_lock_required");
    assertThat(unlocked.json().get("detail").asString()).contains("safety:kill_switch_update");

    String lockId = gates.approved(owner, "dev", null, "safety:kill_switch_update");
    TestApi.Response set =
        api.put("/v1/kill-switch")
            .as(owner, "dev")
            .header("If-Match", "\"0\"")
            .json(
                Map.of(
                    "disabled_actions", List.of("nexus:derive"), "disabled_providers", List.of()))
            .send();
    assertThat(set.status()).as("%s", set).isEqualTo(200);
    assertThat(set.header("ETag")).isEqualTo("\"1\"");
    assertThat(set.json().get("disabled_actions").toString()).isEqualTo("[\"nexus:derive\"]");

    TestApi.Response blocked =
        api.post("/v1/assets/" + assetId + "/derivations")
            .as(owner, "dev")
            .header("X-Request-Id", "kill-derive-1")
            .json(Map.of("op_type", "text.lines"))
            .send();
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.code()).isEqualTo("kill_switch_blocked");
    assertThat(blocked.json().get("detail").asString()).contains("nexus:derive");
    JsonNode event = event(owner, "dev", "kill-derive-1");
    assertThat(event.get("error_code").asString()).isEqualTo("kill_switch_blocked");
    assertThat(event.get("input_refs").toString())
        .contains("{\"type\":\"gate\",\"id\":\"kill_switch\"}");
    assertThat(decision(owner, "dev", "kill-derive-1").get("error_code").asString())
        .isEqualTo("kill_switch_blocked");
    assertThat(api.get("/v1/atoms?asset_id=" + assetId).as(owner, "dev").send().json().get("items"))
        .as("the derivation never ran")
        .isEmpty();
    assertThat(api.get("/v1/assets/" + assetId).as(owner, "dev").send().status())
        .as("other routes run")
        .isEqualTo(200);
    assertThat(
            nexus
                .derive(owner, "prod", nexus.asset(owner, "prod"), "text.lines", Map.of())
                .status())
        .as("another env's switch is its own")
        .isEqualTo(200);
    JsonNode audit =
        api.get("/v1/audit?action=kill_switch.update").as(owner, "dev").send().json().get("items");
    assertThat(audit.get(0).get("details").get("strategy_lock_id").asString()).isEqualTo(lockId);

    TestApi.Response stale =
        api.put("/v1/kill-switch")
            .as(owner, "dev")
            .header("If-Match", "\"0\"")
            .json(Map.of("disabled_actions", List.of(), "disabled_providers", List.of()))
            .send();
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.code()).isEqualTo("precondition_failed");
    assertThat(
            api.put("/v1/kill-switch")
                .as(owner, "dev")
                .header("If-Match", "\"1\"")
                .json(Map.of("disabled_actions", List.of(), "disabled_providers", List.of()))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(nexus.derive(owner, "dev", assetId, "text.lines", Map.of()).status())
        .as("enabled again")
        .isEqualTo(200);
    TestApi.Response current = api.get("/v1/kill-switch").as(owner, "dev").send();
    assertThat(current.header("ETag")).isEqualTo("\"2\"");
    assertThat(current.json().get("disabled_actions")).isEmpty();
  }

  @Test
  void killSwitchWhenStorageBackendDisabledAsProviderThenStorageRoutesBlocked() {
    Member owner = tenants.nexusTenant("killprov");
    String assetId = new NexusFixtures(api).asset(owner, "dev");
    gates.approved(owner, "dev", null, "safety:kill_switch_update");
    assertThat(
            api.put("/v1/kill-switch")
                .as(owner, "dev")
                .json(
                    Map.of(
                        "disabled_actions",
                        List.of(),
                        "disabled_providers",
                        List.of("filesystem", "openai")))
                .send()
                .status())
        .isEqualTo(200);
    for (TestApi.Call call :
        List.of(
            api.get("/v1/assets/" + assetId + "/content"),
            api.post("/v1/assets?filename=x.txt").body("text", "text/plain"))) {
      TestApi.Response r = call.as(owner, "dev").send();
      assertThat(r.status()).as("%s", r).isEqualTo(403);
      assertThat(r.code()).isEqualTo("kill_switch_blocked");
      assertThat(r.json().get("detail").asString()).contains("filesystem");
    }
    assertThat(api.get("/v1/kpis").as(owner, "dev").send().status()).isEqualTo(200);
  }

  @Test
  void killSwitchWhenActionUnknownOrNeededToUndoItThen400NamingTheEntry() {
    Member owner = tenants.tenant("killbad");
    gates.approved(owner, "dev", null, "safety:kill_switch_update");
    TestApi.Response r =
        api.put("/v1/kill-switch")
            .as(owner, "dev")
            .json(
                Map.of(
                    "disabled_actions",
                        List.of(
                            "nexus:derve",
                            "strategy_lock:approve",
                            "Bad",
                            "nexus:derive",
                            "nexus:derive"),
                    "disabled_providers", List.of("S3!")))
            .send();
    assertThat(r.status()).isEqualTo(400);
    String errors = r.json().get("errors").toString();
    assertThat(errors)
        .contains("disabled_actions[0]")
        .contains("not an action of this deployment")
        .contains("disabled_actions[1]")
        .contains("cannot be disabled")
        .contains("disabled_actions[2]")
        .contains("disabled_actions[4]")
        .contains("listed twice")
        .contains("disabled_providers[0]")
        .doesNotContain("disabled_actions[3]");
    assertThat(api.get("/v1/kill-switch").as(owner, "dev").send().json().get("version").asInt())
        .isZero();
  }

  @Test
  void killSwitchWhenEveryOtherActionDisabledThenTheLockAndSwitchRoutesStillWork() {
    Member owner = tenants.tenant("killall");
    gates.approved(owner, "dev", null, "safety:kill_switch_update");
    List<String> all =
        catalog.names().stream().filter(a -> !GateActions.NEVER_DISABLED.contains(a)).toList();
    assertThat(all)
        .contains("tenant:me_get", "nexus:derive", "config:slot_update", "kpi:corridor_upsert");
    assertThat(
            api.put("/v1/kill-switch")
                .as(owner, "dev")
                .json(Map.of("disabled_actions", all, "disabled_providers", List.of()))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(api.get("/v1/me").as(owner, "dev").send().code()).isEqualTo("kill_switch_blocked");
    String lockId = gates.draft(owner, "dev", null, List.of("safety:kill_switch_update"));
    assertThat(
            api.post("/v1/strategy-locks/" + lockId + "/approve").as(owner, "dev").send().status())
        .isEqualTo(200);
    assertThat(
            api.put("/v1/kill-switch")
                .as(owner, "dev")
                .json(Map.of("disabled_actions", List.of(), "disabled_providers", List.of()))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(api.get("/v1/me").as(owner, "dev").send().status()).isEqualTo(200);
  }

  @Test
  void listWhenManyLocksThenNewestFirstPagedAndFilteredBySurface() {
    Member owner = tenants.tenant("locklist");
    String first = gates.draft(owner, "dev", "checkout", List.of("kpi:corridor_upsert"));
    String second = gates.draft(owner, "dev", "search", List.of("kpi:corridor_upsert"));
    String third = gates.draft(owner, "dev", "checkout", List.of("kpi:corridor_upsert"));
    TestApi.Response page = api.get("/v1/strategy-locks?limit=2").as(owner, "dev").send();
    assertThat(page.json().get("items").get(0).get("lock_id").asString()).isEqualTo(third);
    assertThat(page.json().get("items").get(1).get("lock_id").asString()).isEqualTo(second);
    TestApi.Response rest =
        api.get("/v1/strategy-locks?limit=2&cursor=" + page.text("next_cursor"))
            .as(owner, "dev")
            .send();
    assertThat(rest.json().get("items").get(0).get("lock_id").asString()).isEqualTo(first);
    assertThat(rest.json().get("next_cursor").isNull()).isTrue();
    TestApi.Response checkout =
        api.get("/v1/strategy-locks?surface=checkout").as(owner, "dev").send();
    assertThat(checkout.json().get("items")).hasSize(2);
    assertThat(api.get("/v1/strategy-locks?status=pending").as(owner, "dev").send().status())
        .isEqualTo(400);
    assertThat(
            api.get("/v1/strategy-locks?cursor=" + Ids.randomToken(5))
                .as(owner, "dev")
                .send()
                .code())
        .isEqualTo("cursor_invalid");
  }
}
