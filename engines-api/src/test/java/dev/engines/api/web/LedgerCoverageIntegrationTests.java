package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.SessionFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.api.support.VectorFixtures;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Every tenant route, on its success path and its failure paths (refusals of a valid principal
 * included), emits exactly one DatasetEvent with the route's surface, action and kind and the right
 * outcome. Routes come from the handler mapping, so new routes join automatically.
 */
@ExtendWith(OutputCaptureExtension.class)
class LedgerCoverageIntegrationTests extends IntegrationTest {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  private Map<String, Function<Member, String>> fixtures() {
    NexusFixtures nexus = new NexusFixtures(api);
    GateFixtures gates = new GateFixtures(api);
    SessionFixtures sessions = new SessionFixtures(api);
    VectorFixtures vectors = new VectorFixtures(api);
    return Map.ofEntries(
        Map.entry("userId", owner -> tenants.user(owner, "viewer").userId()),
        Map.entry("keyId", owner -> tenants.serviceKey(owner, "viewer", null, false).keyId()),
        Map.entry("assetId", owner -> nexus.asset(owner, "dev")),
        Map.entry("atomId", owner -> nexus.atom(owner, "dev")),
        Map.entry("holdId", owner -> tenants.legalHold(owner)),
        Map.entry("slot", owner -> "storage"),
        Map.entry("kpi", owner -> gates.kpi(owner, "dev", "checkout")),
        Map.entry("surface", owner -> "checkout"),
        Map.entry(
            "lockId",
            owner -> gates.draft(owner, "dev", "checkout", List.of("kpi:corridor_upsert"))),
        Map.entry("snapshotId", owner -> gates.snapshot(owner, "dev", "checkout")),
        Map.entry("sessionId", owner -> sessions.session(owner, "dev")),
        Map.entry("turnId", owner -> sessions.turn(owner, "dev")),
        Map.entry("bundleId", owner -> sessions.bundle(owner, "dev")),
        Map.entry("blackboardKey", owner -> "coverage.key"),
        Map.entry("space", owner -> vectors.space(owner, "dev")),
        Map.entry("vectorId", owner -> vectors.vector(owner, "dev")));
  }

  private JsonNode eventsOf(Member reader, String requestId) {
    TestApi.Response r = api.get("/v1/events?request_id=" + requestId).as(reader, "dev").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("items");
  }

  @Test
  void everyTenantRouteWhenCalledThenExactlyOneEventOnSuccessAndFailurePaths() {
    Member owner = tenants.nexusTenant("cov");
    tenants.configureSession(owner, "dev");
    Member viewer = tenants.user(owner, "viewer");
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Routes.Route route : Routes.audience(mapping, RoutePolicy.Audience.TENANT)) {
      Map<String, String> ids = new java.util.LinkedHashMap<>();
      for (String variable : Routes.variables(route.pattern())) {
        assertThat(fixtures())
            .as("%s: add a fixture for {%s}", route, variable)
            .containsKey(variable);
        ids.put(variable, fixtures().get(variable).apply(owner));
      }
      String path = Routes.expand(route.pattern(), ids);
      List<Object[]> calls = new ArrayList<>();
      calls.add(new Object[] {owner, null, null});
      calls.add(new Object[] {owner, "bad agent id!", "agent_invalid"});
      // A valid principal refused before its caller is resolved: a personal key acting on behalf.
      calls.add(new Object[] {owner, null, "act_on_behalf_forbidden"});
      calls.add(new Object[] {owner, null, "validation_failed"});
      if (route.policy().role() != Role.VIEWER) {
        calls.add(new Object[] {viewer, null, "forbidden_role"});
      }
      for (Object[] call : calls) {
        String requestId = "cov-" + Ids.randomToken(12);
        // validation_failed here is a query parameter the route does not take
        String query = "validation_failed".equals(call[2]) ? "?no_such_filter=1" : "";
        TestApi.Call request =
            api.call(route.method(), path + query)
                .as((Member) call[0], "dev")
                .header("X-Request-Id", requestId);
        if (call[1] != null) {
          request.header("X-Agent-Id", (String) call[1]);
        }
        if ("act_on_behalf_forbidden".equals(call[2])) {
          request.header("X-User-Id", viewer.userId());
        }
        if (!route.method().equals("GET")) {
          request.json("{}");
        }
        TestApi.Response response = request.send();
        JsonNode all = eventsOf(owner, requestId);
        checked++;
        String cell = route + " " + (call[2] == null ? "success path" : call[2]);
        // Besides its own event, a request may give rise to a gate's decision or a usage warning.
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode event : all) {
          if (!event.get("surface").asString().equals("safety")) {
            events.add(event);
          } else if (!List.of("decision", "usage_warning")
              .contains(event.get("action").asString())) {
            failures.add(cell + ": unexpected related event " + event);
          }
        }
        if (events.size() != 1) {
          failures.add(cell + ": " + events.size() + " events");
          continue;
        }
        JsonNode e = events.get(0);
        String kind = route.policy().kind() == RoutePolicy.Kind.READ ? "read" : "write";
        String outcome = response.status() >= 400 ? "failure" : "success";
        if (!e.get("surface").asString().equals(route.policy().surface())
            || !e.get("action").asString().equals(route.policy().action())
            || !e.get("kind").asString().equals(kind)
            || !e.get("outcome").asString().equals(outcome)) {
          failures.add(cell + ": wrong event " + e);
        }
        if (call[2] != null && !call[2].equals(e.get("error_code").asString())) {
          failures.add(cell + ": error_code " + e.get("error_code"));
        }
        if (outcome.equals("failure") && !e.get("error_code").asString().equals(response.code())) {
          failures.add(cell + ": event code differs from the problem's");
        }
        if (outcome.equals("failure") && !e.get("output_refs").isEmpty()) {
          failures.add(
              cell + ": a failure names output refs it never committed " + e.get("output_refs"));
        }
        refVocabulary(cell, e, failures);
        if (call[2] == null
            && response.status() == 200
            && String.valueOf(response.header("Content-Type")).startsWith("application/json")) {
          returnedRecords(cell, route, response, e, failures);
        }
      }
    }
    System.out.printf(
        "ledger coverage: %d route calls checked, %d failures%n", checked, failures.size());
    assertThat(failures).isEmpty();
  }

  /**
   * One entity has one ref type inside an event: an id never appears under two types (guards
   * against {@code key:ak_…} from the path beside {@code api_key:ak_…} from the service; a slot and
   * its versions are checked in LedgerIntegrationTests).
   */
  private static void refVocabulary(String cell, JsonNode event, List<String> failures) {
    Map<String, String> types = new java.util.HashMap<>();
    for (String side : List.of("input_refs", "output_refs")) {
      for (JsonNode ref : event.get(side)) {
        String before = types.putIfAbsent(ref.get("id").asString(), ref.get("type").asString());
        if (before != null && !before.equals(ref.get("type").asString())) {
          failures.add(cell + ": one entity, two ref types " + before + " and " + ref);
        }
      }
    }
  }

  /**
   * A list read names every record it returned as an output ref, and its flags describe them:
   * train_ok is false if any record's is, policy_version is the newest of theirs (never a sum). The
   * ledger's own records (events) carry ids only: listing them reads no data with flags.
   */
  private static void returnedRecords(
      String cell,
      Routes.Route route,
      TestApi.Response response,
      JsonNode event,
      List<String> failures) {
    JsonNode items = response.json().path("items");
    if (!items.isArray()) {
      return;
    }
    String outputs = event.get("output_refs").toString();
    boolean trainOk = true;
    long policyVersion = 0;
    boolean flagged = false;
    for (JsonNode item : items) {
      String first = item.propertyNames().iterator().next();
      if (first.endsWith("_id") && !outputs.contains("\"" + item.get(first).asString() + "\"")) {
        failures.add(
            cell + ": returned " + first + " " + item.get(first) + " is not an output ref");
      }
      if (item.has("train_ok") && !route.policy().surface().equals("ledger")) {
        flagged = true;
        trainOk &= item.get("train_ok").asBoolean();
        policyVersion =
            Math.max(policyVersion, item.path("pii_flags").path("policy_version").asLong(0));
      }
    }
    if (flagged && event.get("train_ok").asBoolean() != trainOk) {
      failures.add(
          cell + ": event train_ok " + event.get("train_ok") + " but the records' is " + trainOk);
    }
    if (flagged && event.path("pii_flags").path("policy_version").asLong(0) != policyVersion) {
      failures.add(
          cell
              + ": event policy_version "
              + event.path("pii_flags").path("policy_version")
              + " but the records' newest is "
              + policyVersion);
    }
  }

  @Test
  void oneAuditedRequestWhenTracedThenSameTraceIdInHeaderLogsEventAndAuditEntry(
      CapturedOutput output) {
    Member owner = tenants.tenant("trace");
    String traceId = "5c1f1d0f9a8b4e2c8d7e6f5a4b3c2d1e";
    // Creating a member is an audited action: the one request leaves a response, log lines, a
    // DatasetEvent and an audit entry, and all four must name the caller's trace.
    TestApi.Response r =
        api.post("/v1/users")
            .as(owner, "dev")
            .header("X-Request-Id", "trace-req-1")
            .header("traceparent", "00-" + traceId + "-1111111111111111-01")
            .json(Map.of("email", "t@trace.example", "display_name", "T", "role", "viewer"))
            .send();
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("traceparent")).startsWith("00-" + traceId + "-");
    assertThat(r.header("X-Request-Id")).isEqualTo("trace-req-1");

    List<String> lines = output.getOut().lines().filter(l -> l.contains("trace-req-1")).toList();
    assertThat(lines).as("the request's log lines").isNotEmpty();
    assertThat(lines)
        .allSatisfy(l -> assertThat(TestApi.JSON.readTree(l).toString()).contains(traceId));
    // Every line of the request correlates by the ECS fields; the access event adds the request's
    // own.
    String spanId = r.header("traceparent").split("-")[2];
    assertThat(lines)
        .allSatisfy(
            l -> {
              JsonNode line = TestApi.JSON.readTree(l);
              assertThat(line.at("/trace/id").asString()).isEqualTo(traceId);
              assertThat(line.at("/span/id").asString()).isEqualTo(spanId);
              assertThat(line.at("/transaction/id").asString()).isEqualTo("trace-req-1");
            });
    JsonNode access =
        lines.stream()
            .map(TestApi.JSON::readTree)
            .filter(l -> l.at("/log/logger").asString("").equals("dev.engines.access"))
            .findFirst()
            .orElseThrow();
    assertThat(access.at("/labels/tenant_id").asString()).isEqualTo(owner.tenantId());
    assertThat(access.at("/labels/env").asString()).isEqualTo("dev");
    assertThat(access.at("/labels/actor").asString()).isEqualTo(owner.userId());
    assertThat(access.at("/http/request/method").asString()).isEqualTo("POST");
    assertThat(access.at("/url/path").asString()).isEqualTo("/v1/users");
    assertThat(access.at("/http/response/status_code").asInt()).isEqualTo(201);
    assertThat(access.at("/event/duration").isIntegralNumber()).as("%s", access).isTrue();
    assertThat(access.at("/event/duration").asLong()).isPositive();
    assertThat(access.has("trace_id") || access.has("request_id") || access.has("tenant_id"))
        .as("old field names")
        .isFalse();

    JsonNode event = eventsOf(owner, "trace-req-1").get(0);
    assertThat(event.get("trace_id").asString()).isEqualTo(traceId);
    assertThat(event.get("request_id").asString()).isEqualTo("trace-req-1");

    JsonNode entries =
        api.get("/v1/audit?action=user.create").as(owner, "dev").send().json().get("items");
    List<JsonNode> ours = new ArrayList<>();
    entries.forEach(
        e -> {
          if ("trace-req-1".equals(e.get("request_id").asString())) {
            ours.add(e);
          }
        });
    assertThat(ours).as("one audit entry for the request").hasSize(1);
    JsonNode entry = ours.get(0);
    assertThat(entry.get("trace_id").asString()).isEqualTo(traceId);
    assertThat(entry.get("target_id").asString()).isEqualTo(r.text("user_id"));
    assertThat(event.get("output_refs").toString())
        .as("the event names the audit entry")
        .contains(entry.get("entry_id").asString());
    assertThat(output.getOut()).doesNotContain(owner.token());
  }
}
