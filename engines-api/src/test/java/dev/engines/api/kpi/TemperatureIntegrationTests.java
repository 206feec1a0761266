package dev.engines.api.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * KPI definitions, corridors, observations and Temperature through real HTTP against PostgreSQL:
 * the locked formulas end to end (sums by PostgreSQL over the daily and hourly rollups and the
 * window's partial hours), the window edges, versions and ETags, roles and tenant isolation.
 */
class TemperatureIntegrationTests extends IntegrationTest {

  private GateFixtures gates;

  @BeforeEach
  void fixtures() {
    gates = new GateFixtures(api);
  }

  /** A tenant whose dev env has a lock permitting every action on every surface. */
  private Member unlocked(String prefix) {
    Member owner = tenants.tenant(prefix);
    gates.approved(owner, "dev", null, "*");
    return owner;
  }

  private TestApi.Response put(Member by, String path, String json) {
    return api.put(path).as(by, "dev").json(json).send();
  }

  private void ok(TestApi.Response r) {
    assertThat(r.status()).as("%s", r).isBetween(200, 201);
  }

  private void observe(Member by, String surface, String... metricValueTimes) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < metricValueTimes.length; i += 3) {
      items.add(
          Map.of(
              "surface",
              surface,
              "metric",
              metricValueTimes[i],
              "value",
              new BigDecimal(metricValueTimes[i + 1]),
              "observed_at",
              metricValueTimes[i + 2]));
    }
    ok(api.post("/v1/metrics/observations").as(by, "dev").json(Map.of("items", items)).send());
  }

  @Test
  void snapshotWhenObservationsAndConfigThenTheLockedFormulasEndToEnd() {
    Member owner = unlocked("tempgold");
    ok(
        put(
            owner,
            "/v1/temperature/checkout/weights",
            "{\"weights\":{\"a\":2,\"b\":-1,\"c\":0.5},\"source\":\"tenant_override\"}"));
    ok(
        put(
            owner,
            "/v1/temperature/checkout/floors",
            "{\"performance_floors\":{\"a\":11,\"c\":0.1},\"cadence_floors\":{\"a\":12,\"b\":3}}"));
    ok(put(owner, "/v1/temperature/checkout/ceilings", "{\"ceilings\":{\"b\":3,\"a\":10}}"));
    String kpi = gates.kpi(owner, "dev", "checkout");
    gates.kpi(owner, "dev", "checkout");
    gates.kpi(owner, "dev", "search");
    ok(put(owner, "/v1/kpis/" + kpi + "/corridor", "{\"floor\":1,\"ceiling\":2.5}"));
    // a: 4 + 6 = 10 in the window (100 at as_of and 1000 just before the start do not count); b: 4;
    // c: none; the other surface's observations never count.
    observe(
        owner,
        "checkout",
        "a",
        "4",
        "2026-03-09T08:15:00Z",
        "a",
        "6.000",
        "2026-03-04T00:00:00Z",
        "b",
        "4",
        "2026-03-10T12:29:59.999999Z",
        "a",
        "100",
        "2026-03-10T12:30:00Z",
        "a",
        "1000",
        "2026-03-03T12:29:59.999999Z",
        "zzz",
        "5",
        "2026-03-09T00:00:00Z");
    observe(owner, "search", "a", "77", "2026-03-09T00:00:00Z");

    TestApi.Response r =
        api.get("/v1/temperature/checkout?window_days=7&as_of=2026-03-10T12:30:00Z")
            .as(owner, "dev")
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(
            "{\"surface\":\"checkout\",\"as_of\":\"2026-03-10T12:30:00Z\",\"window_days\":7,"
                + "\"window_start\":\"2026-03-03T12:30:00Z\",\"window_end\":\"2026-03-10T12:30:00Z\",\"value\":4.571428571429,"
                + "\"raw_metrics\":{\"a\":10,\"b\":4},\"floors_breached\":[\"a\",\"c\",\"a\"],\"ceilings_breached\":[\"b\"],"
                + "\"kpi_corridors_used\":[\""
                + kpi
                + "\"],\"config_versions\":{\"floors\":1,\"ceilings\":1,\"weights\":1}}");
    TestApi.Response again =
        api.get("/v1/temperature/checkout?window_days=7&as_of=2026-03-10T12:30:00Z")
            .as(owner, "dev")
            .send();
    assertThat(again.body())
        .as("same observations, config and as_of: same bytes")
        .isEqualTo(r.body());
  }

  @Test
  void snapshotWhenObservationsExactlyAtTheWindowEdgesThenStartIncludedAndAsOfExcluded() {
    Member owner = unlocked("tempedge");
    for (String surface : List.of("day", "quarter", "hourly")) {
      ok(
          put(
              owner,
              "/v1/temperature/" + surface + "/weights",
              "{\"weights\":{\"x\":1},\"source\":\"system_default\"}"));
    }
    // 1 day ending off the hour: 1 at the start and 10 a microsecond before as_of count; 1000 a
    // microsecond before the start and 10000 at as_of do not; 100 in a whole hour (the rollups).
    observe(
        owner,
        "day",
        "x",
        "1",
        "2026-03-09T12:34:56.789012Z",
        "x",
        "10",
        "2026-03-10T12:34:56.789011Z",
        "x",
        "1000",
        "2026-03-09T12:34:56.789011Z",
        "x",
        "10000",
        "2026-03-10T12:34:56.789012Z",
        "x",
        "100",
        "2026-03-10T00:30:00Z");
    JsonNode day =
        api.get("/v1/temperature/day?window_days=1&as_of=2026-03-10T12:34:56.789012Z")
            .as(owner, "dev")
            .send()
            .json();
    assertThat(day.get("raw_metrics").get("x").asString()).isEqualTo("111");
    assertThat(day.get("window_start").asString()).isEqualTo("2026-03-09T12:34:56.789012Z");
    // 90 days ending on the hour: the start and the end fall on hour boundaries (hourly rollups),
    // the
    // whole days between them from 2025-12-11 to 2026-03-10 on the daily rollups, first and last
    // microsecond included.
    observe(
        owner,
        "quarter",
        "x",
        "1",
        "2025-12-10T12:00:00Z",
        "x",
        "10",
        "2026-03-10T11:59:59.999999Z",
        "x",
        "1000",
        "2025-12-10T11:59:59.999999Z",
        "x",
        "10000",
        "2026-03-10T12:00:00Z",
        "x",
        "100",
        "2026-01-15T00:00:00Z",
        "x",
        "0.5",
        "2025-12-11T00:00:00Z",
        "x",
        "0.25",
        "2026-03-09T23:59:59.999999Z");
    JsonNode quarter =
        api.get("/v1/temperature/quarter?window_days=90&as_of=2026-03-10T12:00:00Z")
            .as(owner, "dev")
            .send()
            .json();
    assertThat(quarter.get("raw_metrics").get("x").asString()).isEqualTo("111.75");
    assertThat(quarter.get("window_start").asString()).isEqualTo("2025-12-10T12:00:00Z");
    assertThat(quarter.get("value").asString()).isEqualTo("111.75");
    // Many observations in one hour and its neighbours: rollups and edge rows add up to the exact
    // sum.
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < 180; i++) {
      items.add(
          Map.of(
              "surface",
              "hourly",
              "metric",
              "x",
              "value",
              new BigDecimal("0.1"),
              "observed_at",
              "2026-03-10T1" + (i / 60) + ":" + String.format("%02d", i % 60) + ":30Z"));
    }
    ok(api.post("/v1/metrics/observations").as(owner, "dev").json(Map.of("items", items)).send());
    // window [2026-03-09T11:20:00Z, 2026-03-10T11:20:00Z): 10:00–10:59 (60) + 11:00–11:19 (20) = 80
    // × 0.1
    assertThat(
            api.get("/v1/temperature/hourly?window_days=1&as_of=2026-03-10T11:20:00Z")
                .as(owner, "dev")
                .send()
                .json()
                .get("raw_metrics")
                .get("x")
                .asString())
        .isEqualTo("8");
    // the real default window: the last 7 days up to now hold none of these
    assertThat(
            api.get("/v1/temperature/hourly")
                .as(owner, "dev")
                .send()
                .json()
                .get("window_days")
                .asInt())
        .isEqualTo(7);
    for (String bad :
        List.of("window_days=0", "window_days=91", "as_of=yesterday", "window_days=x")) {
      TestApi.Response r = api.get("/v1/temperature/day?" + bad).as(owner, "dev").send();
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation_failed");
    }
  }

  @Test
  void snapshotWhenStoredThenListedNewestFirstWithTheBodyAsComputed() {
    Member owner = unlocked("tempstore");
    ok(
        put(
            owner,
            "/v1/temperature/checkout/weights",
            "{\"weights\":{\"a\":1},\"source\":\"tenant_override\"}"));
    observe(owner, "checkout", "a", "2.5", "2026-03-09T00:00:00Z");
    TestApi.Response first =
        api.post("/v1/temperature/checkout/snapshots")
            .as(owner, "dev")
            .json(Map.of("window_days", 2, "as_of", "2026-03-10T00:00:00Z"))
            .send();
    assertThat(first.status()).as("%s", first).isEqualTo(201);
    assertThat(first.json().get("snapshot").get("value").asString()).isEqualTo("2.5");
    TestApi.Response second =
        api.post("/v1/temperature/checkout/snapshots").as(owner, "dev").json("{}").send();
    assertThat(second.status()).isEqualTo(201);
    JsonNode list =
        api.get("/v1/temperature/checkout/snapshots").as(owner, "dev").send().json().get("items");
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("snapshot_id").asString()).isEqualTo(second.text("snapshot_id"));
    assertThat(list.get(1).toString()).isEqualTo(first.json().toString());
    assertThat(
            api.get("/v1/temperature/search/snapshots").as(owner, "dev").send().json().get("items"))
        .isEmpty();
  }

  @Test
  void snapshotWhenSurfaceHasNoConfigurationThen409ConfigMissing() {
    Member owner = tenants.tenant("tempnone");
    TestApi.Response r = api.get("/v1/temperature/checkout").as(owner, "dev").send();
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("config_missing");
    JsonNode config = api.get("/v1/temperature/checkout/config").as(owner, "dev").send().json();
    assertThat(config.get("floors").get("version").asInt()).isZero();
    assertThat(config.get("weights").get("source").isNull()).isTrue();
  }

  @Test
  void configWhenPartsWrittenThenEachVersionedOnItsOwnWithIfMatch() {
    Member owner = unlocked("tempver");
    TestApi.Response w1 =
        api.put("/v1/temperature/checkout/weights")
            .as(owner, "dev")
            .header("If-Match", "\"0\"")
            .json("{\"weights\":{\"a\":1.50},\"source\":\"system_default\"}")
            .send();
    assertThat(w1.header("ETag")).isEqualTo("\"1\"");
    TestApi.Response stale =
        api.put("/v1/temperature/checkout/weights")
            .as(owner, "dev")
            .header("If-Match", "\"0\"")
            .json("{\"weights\":{\"a\":2},\"source\":\"tenant_override\"}")
            .send();
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.code()).isEqualTo("precondition_failed");
    ok(
        put(
            owner,
            "/v1/temperature/checkout/weights",
            "{\"weights\":{\"a\":2},\"source\":\"tenant_override\"}"));
    ok(put(owner, "/v1/temperature/checkout/ceilings", "{\"ceilings\":{\"a\":1E+2}}"));
    JsonNode config = api.get("/v1/temperature/checkout/config").as(owner, "dev").send().json();
    assertThat(config.get("weights").get("version").asInt()).isEqualTo(2);
    assertThat(config.get("weights").get("source").asString()).isEqualTo("tenant_override");
    assertThat(config.get("ceilings").get("version").asInt()).isEqualTo(1);
    assertThat(config.get("ceilings").get("ceilings").toString()).isEqualTo("{\"a\":100}");
    assertThat(config.get("floors").get("version").asInt()).isZero();
    TestApi.Response bad =
        put(
            owner,
            "/v1/temperature/checkout/weights",
            "{\"weights\":{\"Bad Name\":1,\"ok\":0.0000000001,\"big\":1000000000000000},\"source\":\"mine\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("errors").toString())
        .contains("\"weights\"")
        .contains("weights.ok")
        .contains("weights.big")
        .contains("\"source\"");
  }

  @Test
  void kpiWhenWrittenThenVersionedWithETagAndIfMatchAndTheCorridorIsGated() {
    Member owner = tenants.tenant("kpiver");
    TestApi.Response created =
        api.put("/v1/kpis/conversion")
            .as(owner, "dev")
            .header("If-Match", "\"0\"")
            .json(
                Map.of(
                    "description",
                    "Orders per visit; ask ana@example.com",
                    "unit",
                    "%",
                    "surface",
                    "checkout"))
            .send();
    assertThat(created.status()).as("%s", created).isEqualTo(200);
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    assertThat(created.text("description"))
        .as("free text passes the PII pipeline")
        .doesNotContain("ana@example.com");
    TestApi.Response stale =
        api.put("/v1/kpis/conversion")
            .as(owner, "dev")
            .header("If-Match", "\"0\"")
            .json(Map.of("description", "", "unit", "%", "surface", "checkout"))
            .send();
    assertThat(stale.code()).isEqualTo("precondition_failed");
    TestApi.Response updated =
        api.put("/v1/kpis/conversion")
            .as(owner, "dev")
            .header("If-Match", "\"1\"")
            .json(Map.of("description", "", "unit", "ratio", "surface", "checkout"))
            .send();
    assertThat(updated.header("ETag")).isEqualTo("\"2\"");
    assertThat(api.get("/v1/kpis/conversion").as(owner, "dev").send().header("ETag"))
        .isEqualTo("\"2\"");

    TestApi.Response refused =
        put(owner, "/v1/kpis/conversion/corridor", "{\"floor\":0.01,\"ceiling\":0.2}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("strategy_lock_required");
    assertThat(refused.json().get("detail").asString())
        .contains("kpi:corridor_upsert")
        .contains("checkout");
    gates.approved(owner, "dev", "checkout", "kpi:corridor_upsert");
    TestApi.Response corridor =
        put(owner, "/v1/kpis/conversion/corridor", "{\"floor\":0.010,\"ceiling\":0.2}");
    assertThat(corridor.status()).as("%s", corridor).isEqualTo(200);
    assertThat(corridor.header("ETag")).isEqualTo("\"1\"");
    assertThat(corridor.body()).contains("\"floor\":0.01,").contains("\"cadence_floor\":null");
    TestApi.Response inverted =
        put(owner, "/v1/kpis/conversion/corridor", "{\"floor\":3,\"ceiling\":2}");
    assertThat(inverted.status()).isEqualTo(400);
    assertThat(inverted.json().get("errors").toString()).contains("floor");

    TestApi.Response moved =
        api.put("/v1/kpis/conversion")
            .as(owner, "dev")
            .json(Map.of("description", "", "unit", "ratio", "surface", "search"))
            .send();
    assertThat(moved.code()).isEqualTo("kpi_has_corridor");
    JsonNode list =
        api.get("/v1/kpis?surface=checkout").as(owner, "dev").send().json().get("items");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("corridor").get("ceiling").asString()).isEqualTo("0.2");
    JsonNode audit =
        api.get("/v1/audit?action=kpi.corridor_upsert").as(owner, "dev").send().json().get("items");
    assertThat(audit.get(0).get("details").get("floor").asString()).isEqualTo("0.01");
  }

  @Test
  void deleteWhenKpiHasACorridorThenGatedLikeACorridorChange() {
    Member owner = tenants.tenant("kpidel");
    String plain = gates.kpi(owner, "dev", "checkout");
    String withCorridor = gates.kpi(owner, "dev", "checkout");
    assertThat(api.delete("/v1/kpis/" + plain).as(owner, "dev").send().status()).isEqualTo(204);
    assertThat(api.get("/v1/kpis/" + plain).as(owner, "dev").send().status()).isEqualTo(404);
    String lockId = gates.approved(owner, "dev", "checkout", "kpi:corridor_upsert");
    ok(put(owner, "/v1/kpis/" + withCorridor + "/corridor", "{\"floor\":1}"));
    tx.write(
        Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
        () ->
            jdbc.sql(
                    "UPDATE strategy_locks SET status = 'rejected'"
                        + " WHERE tenant_id = :t AND env = 'dev' AND lock_id = :id")
                .param("t", owner.tenantId())
                .param("id", lockId)
                .update());
    TestApi.Response refused = api.delete("/v1/kpis/" + withCorridor).as(owner, "dev").send();
    assertThat(refused.code()).isEqualTo("strategy_lock_required");
    gates.approved(owner, "dev", "checkout", "kpi:corridor_upsert");
    assertThat(api.delete("/v1/kpis/" + withCorridor).as(owner, "dev").send().status())
        .isEqualTo(204);
    assertThat(api.get("/v1/audit?action=kpi.delete").as(owner, "dev").send().json().get("items"))
        .hasSize(2);
  }

  @Test
  void observationsWhenClientIdReplayedThenIdempotentAndWithOtherContent409AllOrNothing() {
    Member owner = unlocked("obsidem");
    ok(
        put(
            owner,
            "/v1/temperature/checkout/weights",
            "{\"weights\":{\"a\":1},\"source\":\"tenant_override\"}"));
    String item =
        "{\"id\":\"job-7:a\",\"surface\":\"checkout\",\"metric\":\"a\",\"value\":5,\"observed_at\":\"2026-03-09T00:00:00Z\"}";
    TestApi.Response first =
        api.post("/v1/metrics/observations")
            .as(owner, "dev")
            .json("{\"items\":[" + item + "]}")
            .send();
    assertThat(first.json().get("recorded").asInt()).isEqualTo(1);
    TestApi.Response replay =
        api.post("/v1/metrics/observations")
            .as(owner, "dev")
            .json(
                "{\"items\":["
                    + item
                    + ",{\"surface\":\"checkout\",\"metric\":\"a\",\"value\":1,\"observed_at\":\"2026-03-09T01:00:00Z\"}]}")
            .send();
    assertThat(replay.json().get("recorded").asInt()).isEqualTo(1);
    assertThat(replay.json().get("existing").asInt()).isEqualTo(1);
    assertThat(replay.json().get("ids").get(0).asString()).isEqualTo("job-7:a");
    assertThat(replay.json().get("ids").get(1).asString()).startsWith("ob_");
    TestApi.Response conflict =
        api.post("/v1/metrics/observations")
            .as(owner, "dev")
            .json(
                "{\"items\":["
                    + "{\"surface\":\"checkout\",\"metric\":\"a\",\"value\":1000,\"observed_at\":\"2026-03-09T02:00:00Z\"},"
                    + item.replace("\"value\":5", "\"value\":6")
                    + "]}")
            .send();
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.code()).isEqualTo("observation_conflict");
    assertThat(
            api.get("/v1/temperature/checkout?window_days=2&as_of=2026-03-10T00:00:00Z")
                .as(owner, "dev")
                .send()
                .json()
                .get("raw_metrics")
                .get("a")
                .asString())
        .as("5 + 1: the replay counted once, the refused call not at all")
        .isEqualTo("6");
  }

  @Test
  void observationsWhenInvalidThen400NamingTheItemFields() {
    Member owner = tenants.tenant("obsbad");
    TestApi.Response r =
        api.post("/v1/metrics/observations")
            .as(owner, "dev")
            .json(
                "{\"items\":["
                    + "{\"surface\":\"Bad\",\"metric\":\"a\",\"value\":1},"
                    + "{\"id\":\"x y\",\"surface\":\"s\",\"metric\":\"9a\",\"value\":0.0000000001,\"observed_at\":\"2026-03-09T00:00:00Z\"}]}")
            .send();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("errors").toString())
        .contains("items[0].surface")
        .contains("items[0].observed_at")
        .contains("items[1].id")
        .contains("items[1].metric")
        .contains("items[1].value");
    assertThat(
            api.post("/v1/metrics/observations")
                .as(owner, "dev")
                .json("{\"items\":[]}")
                .send()
                .code())
        .isEqualTo("validation_failed");
  }

  @Test
  void rolesWhenViewerOrMemberThenViewersReadAndMembersOnlyObserve() {
    Member owner = unlocked("temprole");
    Member member = tenants.user(owner, "member");
    Member viewer = tenants.user(owner, "viewer");
    String kpi = gates.kpi(owner, "dev", "checkout");
    ok(
        put(
            owner,
            "/v1/temperature/checkout/weights",
            "{\"weights\":{\"a\":1},\"source\":\"tenant_override\"}"));
    String observation =
        "{\"items\":[{\"surface\":\"checkout\",\"metric\":\"a\",\"value\":1,\"observed_at\":\"2026-03-09T00:00:00Z\"}]}";
    assertThat(
            api.post("/v1/metrics/observations")
                .as(member, "dev")
                .json(observation)
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/metrics/observations").as(viewer, "dev").json(observation).send().code())
        .isEqualTo("forbidden_role");
    for (Member m : List.of(member, viewer)) {
      assertThat(
              api.put("/v1/kpis/" + kpi)
                  .as(m, "dev")
                  .json(Map.of("description", "", "unit", "%", "surface", "x"))
                  .send()
                  .code())
          .isEqualTo("forbidden_role");
      assertThat(
              put(
                      m,
                      "/v1/temperature/checkout/floors",
                      "{\"performance_floors\":{},\"cadence_floors\":{}}")
                  .code())
          .isEqualTo("forbidden_role");
      assertThat(put(m, "/v1/kpis/" + kpi + "/corridor", "{}").code()).isEqualTo("forbidden_role");
      assertThat(api.delete("/v1/kpis/" + kpi).as(m, "dev").send().code())
          .isEqualTo("forbidden_role");
      assertThat(
              api.post("/v1/temperature/checkout/snapshots").as(m, "dev").json("{}").send().code())
          .isEqualTo("forbidden_role");
    }
    assertThat(api.get("/v1/kpis/" + kpi).as(viewer, "dev").send().status()).isEqualTo(200);
    assertThat(api.get("/v1/temperature/checkout").as(viewer, "dev").send().status())
        .isEqualTo(200);
    assertThat(api.get("/v1/temperature/checkout/config").as(viewer, "dev").send().status())
        .isEqualTo(200);
    assertThat(api.get("/v1/temperature/checkout/snapshots").as(viewer, "dev").send().status())
        .isEqualTo(200);
  }

  @Test
  void kpisAndObservationsWhenOfAnotherTenantOrEnvThenInvisible() {
    Member a = unlocked("tempxa");
    Member b = unlocked("tempxb");
    String kpi = gates.kpi(a, "dev", "checkout");
    assertThat(api.get("/v1/kpis/" + kpi).as(b, "dev").send().status()).isEqualTo(404);
    assertThat(api.get("/v1/kpis/" + kpi).as(a, "prod").send().status()).isEqualTo(404);
    assertThat(api.delete("/v1/kpis/" + kpi).as(b, "dev").send().status()).isEqualTo(404);
    assertThat(put(b, "/v1/kpis/" + kpi + "/corridor", "{\"floor\":1}").status()).isEqualTo(404);
    assertThat(api.get("/v1/kpis").as(b, "dev").send().body()).doesNotContain(kpi);
    for (Member m : List.of(a, b)) {
      ok(
          put(
              m,
              "/v1/temperature/checkout/weights",
              "{\"weights\":{\"a\":1},\"source\":\"tenant_override\"}"));
    }
    observe(a, "checkout", "a", "42", "2026-03-09T00:00:00Z");
    JsonNode seenByB =
        api.get("/v1/temperature/checkout?as_of=2026-03-10T00:00:00Z").as(b, "dev").send().json();
    assertThat(seenByB.get("raw_metrics").has("a")).isFalse();
    assertThat(seenByB.get("kpi_corridors_used")).isEmpty();
    ok(api.post("/v1/temperature/checkout/snapshots").as(a, "dev").json("{}").send());
    assertThat(
            api.get("/v1/temperature/checkout/snapshots").as(b, "dev").send().json().get("items"))
        .isEmpty();
  }

  @Test
  void tenantPurgeWhenKpiTemperatureAndGateDataThenAllOfItGoesInEveryEnv() {
    Member owner = unlocked("temppurge");
    gates.approved(owner, "prod", null, "*");
    for (String env : List.of("dev", "prod")) {
      String kpi = gates.kpi(owner, env, "checkout");
      ok(api.put("/v1/kpis/" + kpi + "/corridor").as(owner, env).json("{\"floor\":1}").send());
      ok(
          api.put("/v1/temperature/checkout/weights")
              .as(owner, env)
              .json("{\"weights\":{\"a\":1},\"source\":\"tenant_override\"}")
              .send());
      ok(
          api.post("/v1/metrics/observations")
              .as(owner, env)
              .json(
                  "{\"items\":[{\"surface\":\"checkout\",\"metric\":\"a\","
                      + "\"value\":1,\"observed_at\":\"2026-03-09T00:00:00Z\"}]}")
              .send());
      ok(api.post("/v1/temperature/checkout/snapshots").as(owner, env).json("{}").send());
      ok(
          api.put("/v1/kill-switch")
              .as(owner, env)
              .json(
                  Map.of(
                      "disabled_actions", List.of("pii:redact"), "disabled_providers", List.of()))
              .send());
    }
    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(owner, "dev")
            .json(Map.of("confirm_tenant_id", owner.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    assertThat(purge.json().get("complete").asBoolean()).isTrue();
    // per env: a definition, a configuration version, an observation and a snapshot; a lock and a
    // switch
    // version, with the env's usage counters and the tenant's rate buckets (as many as its requests
    // made)
    assertThat(purge.json().get("deleted").get("kpi").asInt()).isEqualTo(2 * 4);
    assertThat(purge.json().get("deleted").get("gates").asInt()).isGreaterThan(2 * 2);
    for (String env : List.of("dev", "prod")) {
      Scope scope = Scope.of(owner.tenantId(), env);
      for (String table :
          List.of(
              "kpi_definitions",
              "kpi_corridors",
              "temperature_config",
              "metric_observations",
              "metric_rollups",
              "temperature_snapshots",
              "strategy_locks",
              "kill_switches",
              "usage_counters")) {
        assertThat(
                tx.read(
                    Caller.system(scope, "test"),
                    () ->
                        jdbc.sql(
                                "SELECT count(*) FROM "
                                    + table
                                    + " WHERE tenant_id = :t AND env = :e")
                            .param("t", owner.tenantId())
                            .param("e", env)
                            .query(Integer.class)
                            .single()))
            .as("%s %s", table, env)
            .isZero();
      }
    }
    assertThat(
            tx.read(
                Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
                () ->
                    jdbc.sql("SELECT count(*) FROM rate_buckets WHERE tenant_id = :t")
                        .param("t", owner.tenantId())
                        .query(Integer.class)
                        .single()))
        .as("rate buckets")
        .isZero();
  }
}
