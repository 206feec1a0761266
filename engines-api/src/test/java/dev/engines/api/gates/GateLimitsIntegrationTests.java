package dev.engines.api.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rate limits, request quotas and budgets through real HTTP: what the env's gates slot sets, the
 * problems and headers of a refusal, the refusal's events, and no overshoot under parallel callers.
 * The limits are set in {@code staging}, where the fixtures make no request of their own.
 */
class GateLimitsIntegrationTests extends IntegrationTest {

  private static final String ENV = "staging";

  private void slot(Member admin, Map<String, Object> settings) {
    TestApi.Response r = api.put("/v1/config/gates").as(admin, ENV).json(settings).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  private List<JsonNode> events(Member reader, String requestId) {
    List<JsonNode> out = new ArrayList<>();
    api.get("/v1/events?request_id=" + requestId)
        .as(reader, ENV)
        .send()
        .json()
        .get("items")
        .forEach(out::add);
    return out;
  }

  private static JsonNode only(List<JsonNode> events, String surface, String action) {
    List<JsonNode> matching =
        events.stream()
            .filter(
                e ->
                    e.get("surface").asString().equals(surface)
                        && e.get("action").asString().equals(action))
            .toList();
    assertThat(matching).as("%s.%s in %s", surface, action, events).hasSize(1);
    return matching.getFirst();
  }

  @Test
  void readWhenApiKeyLimitUsedUpThen429RateLimitedWithRetryAfterHeadersAndRecordedRefusal() {
    Member owner = tenants.tenant("ratelimit");
    Member member = tenants.user(owner, "member");
    slot(owner, Map.of("four_eyes", false, "rate_limits", Map.of("api_key", 3)));

    for (int i = 0; i < 3; i++) {
      TestApi.Response ok = api.get("/v1/me").as(member, ENV).send();
      assertThat(ok.status()).as("%s", ok).isEqualTo(200);
      assertThat(ok.header("RateLimit-Policy"))
          .contains("\"api_key\";q=3;w=60")
          .contains("\"read\";q=30000;w=60");
      assertThat(ok.header("RateLimit")).contains("\"api_key\";r=" + (2 - i) + ";t=");
    }
    TestApi.Response refused =
        api.get("/v1/me").as(member, ENV).header("X-Request-Id", "rl-refused-1").send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("rate_limited");
    assertThat(refused.text("detail")).contains("api_key").contains("3 requests per minute");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 20);
    assertThat(refused.header("RateLimit")).contains("\"api_key\";r=0;t=");
    assertThat(api.get("/v1/me").as(owner, ENV).send().status())
        .as("another key has its own bucket")
        .isEqualTo(200);

    List<JsonNode> events = events(owner, "rl-refused-1");
    JsonNode own = only(events, "tenant", "me.get");
    assertThat(own.get("outcome").asString()).isEqualTo("failure");
    assertThat(own.get("error_code").asString()).isEqualTo("rate_limited");
    assertThat(own.get("input_refs").toString())
        .contains("{\"type\":\"gate\",\"id\":\"rate_limit/api_key\"}");
    JsonNode decision = only(events, "safety", "decision");
    assertThat(decision.get("outcome").asString()).isEqualTo("failure");
    assertThat(decision.get("error_code").asString()).isEqualTo("rate_limited");
    assertThat(decision.get("actor_id").asString()).isEqualTo(member.userId());
    assertThat(decision.get("input_refs").toString())
        .contains("rate_limit/api_key")
        .contains("tenant:me_get");
  }

  @Test
  void requestsWhenDailyQuotaReachedByParallelCallersThenExactlyTheQuotaAdmittedAndTheRest429()
      throws Exception {
    Member owner = tenants.tenant("quota");
    List<Member> callers =
        List.of(
            tenants.user(owner, "member"),
            tenants.user(owner, "viewer"),
            tenants.user(owner, "admin"));
    int quota = 24;
    slot(owner, Map.of("four_eyes", false, "quotas", Map.of("requests_per_day", quota)));
    JsonNode before = api.get("/v1/usage/quotas").as(owner, ENV).send().json();
    long usedBefore = before.get("quotas").get(0).get("used").asLong();
    assertThat(before.get("quotas").get(0).get("name").asString()).isEqualTo("requests_per_day");
    assertThat(before.get("quotas").get(0).get("limit").asLong()).isEqualTo(quota);

    int attempts = 60;
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
      List<Future<TestApi.Response>> sent = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        Member caller = callers.get(i % callers.size());
        sent.add(pool.submit(() -> api.get("/v1/me").as(caller, ENV).send()));
      }
      for (Future<TestApi.Response> f : sent) {
        TestApi.Response r = f.get();
        statuses.add(r.status());
        if (r.status() != 200) {
          assertThat(r.code()).isEqualTo("quota_exceeded");
          assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 86_400);
        }
      }
    }
    assertThat(statuses.stream().filter(s -> s == 200).count())
        .as("admitted")
        .isEqualTo(quota - usedBefore);
    assertThat(statuses.stream().filter(s -> s == 429).count())
        .isEqualTo(attempts - (quota - usedBefore));

    JsonNode after = api.get("/v1/usage/quotas").as(owner, ENV).send().json();
    assertThat(after.get("quotas").get(0).get("used").asLong())
        .as("never past the quota")
        .isEqualTo(quota);
    assertThat(api.get("/v1/events").as(owner, ENV).send().code())
        .as("reading the ledger counts too")
        .isEqualTo("quota_exceeded");
    slot(owner, Map.of("four_eyes", false, "quotas", Map.of("requests_per_day", 1000)));
    JsonNode warnings =
        api.get("/v1/events?surface=safety&action=usage_warning")
            .as(owner, ENV)
            .send()
            .json()
            .get("items");
    assertThat(warnings).as("one warning at 80 %").hasSize(1);
    assertThat(warnings.get(0).get("input_refs").toString()).contains("quota/requests_per_day");
  }

  @Test
  void pricedActionWhenBudgetWouldBeExceededThen402BudgetExceededAndUnpricedActionsStillPass() {
    Member owner = tenants.tenant("budget");
    slot(
        owner,
        Map.of(
            "four_eyes",
            false,
            "budgets",
            Map.of("cost_units_per_day", 10, "prices", Map.of("kpi:list", 4))));
    assertThat(api.get("/v1/kpis").as(owner, ENV).send().status()).isEqualTo(200);
    assertThat(api.get("/v1/kpis").as(owner, ENV).send().status()).isEqualTo(200);
    TestApi.Response refused = api.get("/v1/kpis").as(owner, ENV).send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(402);
    assertThat(refused.code()).isEqualTo("budget_exceeded");
    assertThat(refused.text("detail"))
        .contains("cost_units_per_day")
        .contains("has 2 left")
        .contains("kpi:list costs 4");
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(api.get("/v1/me").as(owner, ENV).send().status())
        .as("no price, no charge")
        .isEqualTo(200);

    JsonNode usage = api.get("/v1/usage/quotas").as(owner, ENV).send().json();
    assertThat(usage.get("budgets").get(0).get("name").asString()).isEqualTo("cost_units_per_day");
    assertThat(usage.get("budgets").get(0).get("used").asLong()).isEqualTo(8);
    assertThat(usage.get("budgets").get(0).get("limit").asLong()).isEqualTo(10);
    assertThat(usage.get("prices").get("kpi:list").asLong()).isEqualTo(4);
  }

  @Test
  void gatesSlotWhenLimitsUnknownAboveCeilingOrPricedUnknownActionThen400NamingEachField() {
    Member owner = tenants.tenant("slotlimits");
    TestApi.Response r =
        api.put("/v1/config/gates")
            .as(owner, ENV)
            .json(
                Map.of(
                    "four_eyes",
                    true,
                    "rate_limits",
                    Map.of("writes", 10, "heavy", 12_001, "tenant", 5),
                    "quotas",
                    Map.of("requests_per_day", 0),
                    "budgets",
                    Map.of("prices", Map.of("nexus:derive", 1, "nexus:dream", 2))))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    r.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "rate_limits.writes",
            "rate_limits.tenant",
            "rate_limits.heavy",
            "quotas.requests_per_day",
            "budgets.prices.nexus:dream");
  }

  @Test
  void usageWhenNoGatesSlotThenDeploymentDefaultsAndNoQuota() {
    Member owner = tenants.tenant("usagedefaults");
    TestApi.Response r = api.get("/v1/usage/quotas").as(owner, ENV).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().get("quotas").get(0).get("limit").isNull()).isTrue();
    assertThat(r.json().get("rate_limits").toString())
        .contains("{\"name\":\"env\",\"per_minute\":30000}");
    assertThat(r.json().get("quotas").get(1).get("resets_at").asString()).endsWith("T00:00:00Z");
  }

  @Test
  void sessionsWhenQuotaSetAndParallelCreatorsThenNeverPastItAndADeleteGivesRoomBack()
      throws Exception {
    Member owner = tenants.tenant("sessionquota");
    tenants.configureSession(owner, ENV);
    slot(owner, Map.of("four_eyes", false, "quotas", Map.of("sessions", 5)));

    List<TestApi.Response> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<TestApi.Response>> sent = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        sent.add(
            pool.submit(
                () ->
                    api.post("/v1/sessions")
                        .as(owner, ENV)
                        .json(Map.of("title", "parallel"))
                        .send()));
      }
      for (Future<TestApi.Response> f : sent) {
        answers.add(f.get());
      }
    }
    List<TestApi.Response> created = answers.stream().filter(r -> r.status() == 201).toList();
    assertThat(created).as("exactly the quota").hasSize(5);
    assertThat(answers.stream().filter(r -> r.status() == 429).map(TestApi.Response::code))
        .hasSize(11)
        .containsOnly("quota_exceeded");
    assertThat(
            answers.stream()
                .filter(r -> r.status() == 429)
                .findFirst()
                .orElseThrow()
                .text("detail"))
        .contains("sessions (5) has 0 left");
    assertThat(sessionsUsed(owner)).isEqualTo(5);

    TestApi.Response deleted =
        api.delete("/v1/sessions/" + created.getFirst().text("session_id")).as(owner, ENV).send();
    assertThat(deleted.status()).as("%s", deleted).isIn(200, 204);
    assertThat(sessionsUsed(owner)).as("the delete gave one back").isEqualTo(4);
    assertThat(
            api.post("/v1/sessions").as(owner, ENV).json(Map.of("title", "again")).send().status())
        .isEqualTo(201);
    JsonNode warnings =
        api.get("/v1/events?surface=safety&action=usage_warning")
            .as(owner, ENV)
            .send()
            .json()
            .get("items");
    assertThat(warnings).as("once at 4 of 5").hasSize(1);
    assertThat(warnings.get(0).get("input_refs").toString()).contains("quota/sessions");
  }

  @Test
  void uploadWhenStoredBytesQuotaWouldBeExceededThen429AndTheBytesAreNotCounted() {
    Member owner = tenants.tenant("bytequota");
    tenants.configureNexus(owner, ENV);
    slot(owner, Map.of("four_eyes", false, "quotas", Map.of("stored_bytes", 100, "assets", 10)));
    String sixty = "x".repeat(59) + "\n";
    assertThat(
            api.post("/v1/assets?filename=a.txt")
                .as(owner, ENV)
                .body(sixty, "text/plain")
                .send()
                .status())
        .isEqualTo(201);
    TestApi.Response refused =
        api.post("/v1/assets?filename=b.txt")
            .as(owner, ENV)
            .body(sixty.replace('x', 'y'), "text/plain")
            .send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("quota_exceeded");
    assertThat(refused.text("detail"))
        .contains("stored_bytes (100) has 40 left")
        .contains("needs 60");
    JsonNode usage = api.get("/v1/usage/quotas").as(owner, ENV).send().json().get("quotas");
    assertThat(usage.toString())
        .contains(
            "{\"name\":\"assets\",\"limit\":10,\"used\":1,\"period\":null,\"resets_at\":null}")
        .contains(
            "{\"name\":\"stored_bytes\",\"limit\":100,\"used\":60,\"period\":null,\"resets_at\":null}");
    assertThat(api.get("/v1/assets").as(owner, ENV).send().json().get("items"))
        .as("the refused upload left nothing")
        .hasSize(1);
  }

  private long sessionsUsed(Member owner) {
    for (JsonNode quota : api.get("/v1/usage/quotas").as(owner, ENV).send().json().get("quotas")) {
      if (quota.get("name").asString().equals("sessions")) {
        return quota.get("used").asLong();
      }
    }
    throw new AssertionError("no sessions quota");
  }

  /**
   * The chain's order is kill switch → strategy lock → limits: a gated action refused for want of a
   * lock gets back the rate-limit token, the request count and the price its admission took, so
   * refusals by the lock never use up the limits of the requests that follow.
   */
  @Test
  void gatedActionWhenRefusedByItsStrategyLockThenItSpendsNoRateLimitQuotaOrBudget() {
    Member owner = tenants.tenant("lockfirst");
    slot(
        owner,
        Map.of(
            "four_eyes",
            false,
            "rate_limits",
            Map.of("write", 2),
            "quotas",
            Map.of("requests_per_day", 1000),
            "budgets",
            Map.of("cost_units_per_day", 10, "prices", Map.of("temperature:upsert_weights", 5))));
    long requestsBefore = usage(owner, "quotas", "requests_per_day");
    for (int i = 0; i < 5; i++) {
      TestApi.Response r =
          api.put("/v1/temperature/checkout/weights")
              .as(owner, ENV)
              .json(Map.of("weights", Map.of("conversion", 1), "source", "tenant_override"))
              .send();
      assertThat(r.code()).as("attempt %d: %s", i, r).isEqualTo("strategy_lock_required");
      assertThat(r.header("RateLimit")).as("the token is back").contains("\"write\";r=1;");
    }
    assertThat(usage(owner, "budgets", "cost_units_per_day")).as("no price charged").isZero();
    assertThat(usage(owner, "quotas", "requests_per_day"))
        .as("the refused requests are not counted")
        .isEqualTo(requestsBefore);
    // The write limit is whole: two writes pass, the third is the one refused.
    for (int i = 0; i < 2; i++) {
      TestApi.Response ok =
          api.put("/v1/kpis/conversion")
              .as(owner, ENV)
              .json(Map.of("description", "Orders per visit", "unit", "%", "surface", "checkout"))
              .send();
      assertThat(ok.status()).as("%s", ok).isEqualTo(200);
    }
    TestApi.Response third =
        api.put("/v1/kpis/conversion")
            .as(owner, ENV)
            .json(Map.of("description", "Orders per visit", "unit", "%", "surface", "checkout"))
            .send();
    assertThat(third.code()).as("%s", third).isEqualTo("rate_limited");
  }

  private long usage(Member reader, String group, String name) {
    for (JsonNode q : api.get("/v1/usage/quotas").as(reader, ENV).send().json().get(group)) {
      if (q.get("name").asString().equals(name)) {
        return q.get("used").asLong();
      }
    }
    throw new AssertionError(name + " not in the usage report");
  }
}
