package dev.engines.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi.Response;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LedgerIntegrationTests extends IntegrationTest {

  private JsonNode eventsOf(Member reader, String env, String requestId) {
    Response r = api.get("/v1/events?request_id=" + requestId).as(reader, env).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("items");
  }

  @Test
  void writeRouteWhenSucceedsThenOneWriteEventWithOutputRefsAndTrace() {
    Member owner = tenants.tenant("led");
    Response created =
        api.post("/v1/users")
            .as(owner, "dev")
            .header("X-Request-Id", "req-led-1")
            .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .header("X-Agent-Id", "agent.planner-1")
            .json(Map.of("email", "e@led.example", "display_name", "E", "role", "viewer"))
            .send();
    assertThat(created.status()).isEqualTo(201);
    JsonNode events = eventsOf(owner, "dev", "req-led-1");
    assertThat(events.size()).isEqualTo(1);
    JsonNode e = events.get(0);
    assertThat(e.get("surface").asString()).isEqualTo("tenant");
    assertThat(e.get("action").asString()).isEqualTo("user.create");
    assertThat(e.get("kind").asString()).isEqualTo("write");
    assertThat(e.get("outcome").asString()).isEqualTo("success");
    assertThat(e.get("actor_type").asString()).isEqualTo("user");
    assertThat(e.get("actor_id").asString()).isEqualTo(owner.userId());
    assertThat(e.get("key_id").asString()).isEqualTo(owner.keyId());
    assertThat(e.get("agent_id").asString()).isEqualTo("agent.planner-1");
    assertThat(e.get("trace_id").asString()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(e.get("output_refs").toString()).contains(created.text("user_id"));
    assertThat(e.toString()).as("ids only, never content").doesNotContain("e@led.example");
  }

  @Test
  void failuresWhenValidationAuthorizationNotFoundOrConflictThenOneFailureEventEach() {
    Member owner = tenants.tenant("ledf");
    Member viewer = tenants.user(owner, "viewer");
    api.post("/v1/users")
        .as(owner, "dev")
        .header("X-Request-Id", "f-validation")
        .json(Map.of("email", "x"))
        .send();
    api.post("/v1/users")
        .as(viewer, "dev")
        .header("X-Request-Id", "f-role")
        .json(Map.of("email", "v@x.example", "display_name", "V", "role", "viewer"))
        .send();
    api.get("/v1/users/u_aaaaaaaaaaaaaaaaaaaaaaaaaa")
        .as(owner, "dev")
        .header("X-Request-Id", "f-missing")
        .send();
    api.post("/v1/users")
        .as(owner, "dev")
        .header("X-Request-Id", "f-conflict")
        .json(Map.of("email", viewer.email(), "display_name", "V", "role", "viewer"))
        .send();
    Map<String, String> expected =
        Map.of(
            "f-validation",
            "validation_failed",
            "f-role",
            "forbidden_role",
            "f-missing",
            "not_found",
            "f-conflict",
            "user_exists");
    expected.forEach(
        (requestId, code) -> {
          JsonNode events = eventsOf(owner, "dev", requestId);
          assertThat(events.size()).as(requestId).isEqualTo(1);
          assertThat(events.get(0).get("outcome").asString()).isEqualTo("failure");
          assertThat(events.get(0).get("error_code").asString()).isEqualTo(code);
        });
  }

  @Test
  void refsWhenOneEntityNamedByPathAndServiceThenOneRefType() {
    // Guards against key:ak_… beside api_key:ak_… and slot:storage beside config:storage/1.
    Member owner = tenants.tenant("ledv");
    Member viewer = tenants.user(owner, "viewer");
    assertThat(
            api.post("/v1/api-keys/" + viewer.keyId() + "/rotate")
                .as(owner, "dev")
                .header("X-Request-Id", "voc-rotate")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(200);
    tenants.configure(
        owner, "dev", "storage", dev.engines.api.support.TestTenants.FILESYSTEM_STORAGE);
    Response config =
        api.put("/v1/config/nexus")
            .as(owner, "dev")
            .header("X-Request-Id", "voc-config")
            .json(dev.engines.api.support.TestTenants.NEXUS)
            .send();
    assertThat(config.status()).as("%s", config).isEqualTo(200);

    JsonNode rotate = eventsOf(owner, "dev", "voc-rotate").get(0);
    assertThat(rotate.get("input_refs").toString())
        .isEqualTo("[{\"type\":\"api_key\",\"id\":\"" + viewer.keyId() + "\"}]");
    assertThat(rotate.get("output_refs").toString())
        .contains("{\"type\":\"api_key\",\"id\":\"" + viewer.keyId() + "\"}");
    JsonNode slot = eventsOf(owner, "dev", "voc-config").get(0);
    assertThat(slot.get("input_refs").toString())
        .isEqualTo("[{\"type\":\"config\",\"id\":\"nexus\"}]");
    assertThat(slot.get("output_refs").toString())
        .contains("{\"type\":\"config\",\"id\":\"nexus/1\"}");
  }

  @Test
  void refusalsWhenValidPrincipalNamesItsTenantThenOneFailureEventThere() {
    // Guards against refusals of valid principals (act-on-behalf, env grant, suspension, ...)
    // leaving no event.
    dev.engines.api.support.TestTenants.Fixture a = tenants.fixture("ledr");
    Member owner = a.owner();
    api.get("/v1/me")
        .as(owner, "dev")
        .header("X-User-Id", a.member().userId())
        .header("X-Request-Id", "r-obo")
        .send();
    api.get("/v1/me")
        .as(owner, "dev")
        .header("X-User-Id", "bob")
        .header("X-Request-Id", "r-user-invalid")
        .send();
    api.get("/v1/me").as(a.service(), "prod").header("X-Request-Id", "r-env").send();
    api.get("/v1/me").as(a.deactivated(), "dev").header("X-Request-Id", "r-deactivated").send();
    assertRefused(owner, "dev", "r-obo", "act_on_behalf_forbidden", "user", owner.userId());
    assertThat(eventsOf(owner, "dev", "r-obo").get(0).get("input_refs").toString())
        .contains(a.member().userId());
    assertRefused(owner, "dev", "r-user-invalid", "user_invalid", "user", owner.userId());
    assertRefused(owner, "prod", "r-env", "env_forbidden", "service", a.service().keyId());
    assertRefused(
        owner, "dev", "r-deactivated", "user_deactivated", "user", a.deactivated().userId());

    Member suspended = tenants.tenant("ledsus");
    assertThat(
            api.post("/v1/operator/tenants/" + suspended.tenantId() + "/suspend")
                .operator()
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.get("/v1/me")
                .as(suspended, "dev")
                .header("X-Request-Id", "r-suspended")
                .send()
                .code())
        .isEqualTo("tenant_suspended");
    assertThat(
            api.post("/v1/operator/tenants/" + suspended.tenantId() + "/resume")
                .operator()
                .send()
                .status())
        .isEqualTo(200);
    assertRefused(suspended, "dev", "r-suspended", "tenant_suspended", "user", suspended.userId());
  }

  @Test
  void refusalsWhenPrincipalDoesNotBelongToTheNamedTenantThenNoEventAnywhere() {
    Member a = tenants.tenant("ledma");
    Member b = tenants.tenant("ledmb");
    assertThat(
            api.get("/v1/users")
                .as(a, "dev")
                .scope(b.tenantId(), "dev")
                .header("X-Request-Id", "r-mismatch")
                .send()
                .code())
        .isEqualTo("tenant_mismatch");
    assertThat(
            api.get("/v1/me")
                .operator()
                .scope(b.tenantId(), "dev")
                .header("X-Request-Id", "r-operator")
                .send()
                .code())
        .isEqualTo("forbidden_role");
    assertThat(eventsOf(b, "dev", "r-mismatch").size())
        .as("nobody writes into a tenant's ledger by naming it")
        .isZero();
    assertThat(eventsOf(a, "dev", "r-mismatch").size())
        .as("nor copies another tenant's ids into its own")
        .isZero();
    assertThat(eventsOf(b, "dev", "r-operator").size())
        .as("the operator does not belong to a tenant")
        .isZero();
  }

  private void assertRefused(
      Member reader, String env, String requestId, String code, String actorType, String actorId) {
    JsonNode events = eventsOf(reader, env, requestId);
    assertThat(events.size()).as(requestId).isEqualTo(1);
    JsonNode e = events.get(0);
    assertThat(e.get("outcome").asString()).as(requestId).isEqualTo("failure");
    assertThat(e.get("error_code").asString()).as(requestId).isEqualTo(code);
    assertThat(e.get("actor_type").asString()).as(requestId).isEqualTo(actorType);
    assertThat(e.get("actor_id").asString()).as(requestId).isEqualTo(actorId);
    assertThat(e.get("output_refs").size()).as(requestId).isZero();
  }

  @Test
  void eventsWhenOtherEnvOrTenantThenInvisible() {
    Member a = tenants.tenant("leda");
    Member b = tenants.tenant("ledb");
    api.get("/v1/me").as(a, "dev").header("X-Request-Id", "iso-1").send();
    assertThat(eventsOf(a, "dev", "iso-1").size()).isEqualTo(1);
    assertThat(eventsOf(a, "prod", "iso-1").size()).isZero();
    assertThat(eventsOf(b, "dev", "iso-1").size()).isZero();
  }

  @Test
  void listWhenPagedAndFilteredThenStableOrderAndSummaryCountsMatch() {
    Member owner = tenants.tenant("ledp");
    for (int i = 0; i < 5; i++) {
      api.get("/v1/me").as(owner, "staging").send();
    }
    java.util.List<String> ids = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Response page =
          api.get("/v1/events?action=me.get&limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
              .as(owner, "staging")
              .send();
      page.json().get("items").forEach(e -> ids.add(e.get("event_id").asString()));
      cursor = page.text("next_cursor");
    } while (cursor != null);
    assertThat(ids).hasSize(5).doesNotHaveDuplicates();
    Response summary = api.get("/v1/events/summary").as(owner, "staging").send();
    assertThat(summary.status()).isEqualTo(200);
    long meCount = 0;
    for (JsonNode c : summary.json().get("counts")) {
      if (c.get("action").asString().equals("me.get")
          && c.get("outcome").asString().equals("success")) {
        meCount = c.get("count").asLong();
      }
    }
    assertThat(meCount).isEqualTo(5);
    assertThat(api.get("/v1/events?kind=delete").as(owner, "staging").send().code())
        .isEqualTo("validation_failed");
    assertThat(api.get("/v1/events?since=yesterday").as(owner, "staging").send().code())
        .isEqualTo("validation_failed");
  }

  @Test
  void listWhenFilteredByActorThenOnlyThatActorsEvents() {
    // Guards against actor_id being silently ignored: the console's explorer filters by it.
    Member owner = tenants.tenant("ledact");
    Member viewer = tenants.user(owner, "viewer");
    Member service = tenants.serviceKey(owner, "member", null, false);
    api.get("/v1/me").as(viewer, "dev").send();
    api.get("/v1/me").as(service, "dev").send();
    JsonNode byViewer =
        api.get("/v1/events?actor_id=" + viewer.userId())
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    assertThat(byViewer.size()).isEqualTo(1);
    assertThat(byViewer.get(0).get("actor_id").asString()).isEqualTo(viewer.userId());
    JsonNode byKey =
        api.get("/v1/events?actor_id=" + service.keyId() + "&order=desc")
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    assertThat(byKey.size()).isEqualTo(1);
    assertThat(byKey.get(0).get("actor_type").asString()).isEqualTo("service");
    JsonNode byOwner =
        api.get("/v1/events?actor_id=" + owner.userId())
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    assertThat(byOwner.size()).as("the owner's writes and this read's predecessors").isPositive();
    byOwner.forEach(e -> assertThat(e.get("actor_id").asString()).isEqualTo(owner.userId()));
    assertThat(
            api.get("/v1/events?actor_id=u_nobody")
                .as(owner, "dev")
                .send()
                .json()
                .get("items")
                .size())
        .isZero();
  }

  @Test
  void listWhenFilteredByTraceAgentOrRefThenOnlyMatchingEvents() {
    // Guards against trace_id and agent_id being silently ignored (every event answered).
    Member owner = tenants.tenant("ledq");
    Member viewer = tenants.user(owner, "viewer");
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    api.get("/v1/me")
        .as(owner, "dev")
        .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
        .send();
    api.get("/v1/me").as(owner, "dev").header("X-Agent-Id", "agent.q-7").send();
    api.get("/v1/users/" + viewer.userId()).as(owner, "dev").header("X-Request-Id", "q-ref").send();

    JsonNode byTrace =
        api.get("/v1/events?trace_id=" + trace).as(owner, "dev").send().json().get("items");
    assertThat(byTrace.size()).isEqualTo(1);
    assertThat(byTrace.get(0).get("trace_id").asString()).isEqualTo(trace);
    JsonNode byAgent =
        api.get("/v1/events?agent_id=agent.q-7").as(owner, "dev").send().json().get("items");
    assertThat(byAgent.size()).isEqualTo(1);
    assertThat(byAgent.get(0).get("agent_id").asString()).isEqualTo("agent.q-7");
    JsonNode byRef =
        api.get("/v1/events?ref_type=user&ref_id=" + viewer.userId())
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    List<String> requests = new ArrayList<>();
    byRef.forEach(e -> requests.add(e.get("request_id").asString()));
    assertThat(requests)
        .as("the viewer's creation and its read by id")
        .hasSizeGreaterThanOrEqualTo(2)
        .contains("q-ref");
    byRef.forEach(
        e ->
            assertThat(e.get("input_refs").toString() + e.get("output_refs"))
                .contains(viewer.userId()));
    assertThat(
            api.get("/v1/events?ref_type=atom&ref_id=" + viewer.userId())
                .as(owner, "dev")
                .send()
                .json()
                .get("items")
                .size())
        .isZero();
    assertThat(
            api.get("/v1/events?ref_id=" + viewer.userId())
                .as(owner, "dev")
                .send()
                .json()
                .get("items")
                .size())
        .isEqualTo(byRef.size());
    assertThat(api.get("/v1/events?trace_id=nothex").as(owner, "dev").send().code())
        .isEqualTo("validation_failed");
    assertThat(api.get("/v1/events?ref_type=widget&ref_id=x").as(owner, "dev").send().code())
        .isEqualTo("validation_failed");
    assertThat(api.get("/v1/events?ref_type=user").as(owner, "dev").send().code())
        .isEqualTo("validation_failed");
    Response unknown = api.get("/v1/events?traceid=" + trace).as(owner, "dev").send();
    assertThat(unknown.code()).isEqualTo("validation_failed");
    assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("traceid");
  }

  @Test
  void appRoleWhenUpdatingOrDeletingEventsThenDenied() {
    Member owner = tenants.tenant("ledro");
    api.get("/v1/me").as(owner, "dev").send();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                tx.write(
                    Caller.system(dev.engines.core.scope.Scope.of(owner.tenantId(), "dev"), "test"),
                    () -> jdbc.sql("UPDATE dataset_events SET outcome = 'failure'").update()))
        .rootCause()
        .hasMessageContaining("permission denied");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                tx.write(
                    Caller.system(dev.engines.core.scope.Scope.of(owner.tenantId(), "dev"), "test"),
                    () -> jdbc.sql("DELETE FROM dataset_events").update()))
        .rootCause()
        .hasMessageContaining("permission denied");
  }
}
