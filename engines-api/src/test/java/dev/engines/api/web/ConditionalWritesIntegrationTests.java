package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every versioned resource speaks the same conditional-write contract (docs/api.md, "Concurrency"):
 * a strong ETag on reads and writes, If-Match with a stale version answers 412 precondition_failed
 * and changes nothing, If-Match: * holds once the resource was written, a weak tag never matches a
 * write, a malformed header is a 400; and 201 answers name what they created in Location.
 */
class ConditionalWritesIntegrationTests extends IntegrationTest {

  /**
   * One versioned resource: where it is read, and a write of it with the given If-Match (null for
   * none).
   */
  private record Resource(String name, String read, Function<String, TestApi.Response> write) {}

  private List<Resource> resources(Member owner) {
    GateFixtures gates = new GateFixtures(api);
    gates.approved(owner, "dev", null, "*");
    String userId = tenants.user(owner, "viewer").userId();
    String lockId = gates.draft(owner, "dev", null, List.of("*"));
    return List.of(
        new Resource(
            "config slot",
            "/v1/config/nexus",
            ifMatch ->
                with(api.put("/v1/config/nexus"), owner, ifMatch).json(TestTenants.NEXUS).send()),
        new Resource(
            "PII policy",
            "/v1/pii/policy",
            ifMatch ->
                with(api.put("/v1/pii/policy"), owner, ifMatch)
                    .json(Map.of("default_operator", "redact"))
                    .send()),
        new Resource(
            "PII lists",
            "/v1/pii/lists",
            ifMatch ->
                with(api.put("/v1/pii/lists"), owner, ifMatch)
                    .json(Map.of("allow", List.of(), "deny", List.of("Zephyr")))
                    .send()),
        new Resource(
            "member",
            "/v1/users/" + userId,
            ifMatch ->
                with(api.patch("/v1/users/" + userId), owner, ifMatch)
                    .json(Map.of("role", "member"))
                    .send()),
        new Resource(
            "KPI",
            "/v1/kpis/conversion",
            ifMatch ->
                with(api.put("/v1/kpis/conversion"), owner, ifMatch)
                    .json(
                        Map.of(
                            "description", "Orders per visit", "unit", "%", "surface", "checkout"))
                    .send()),
        new Resource(
            "kill switch",
            "/v1/kill-switch",
            ifMatch ->
                with(api.put("/v1/kill-switch"), owner, ifMatch)
                    .json(
                        Map.of("disabled_actions", List.of(), "disabled_providers", List.of("s3")))
                    .send()),
        new Resource(
            "strategy lock",
            "/v1/strategy-locks/" + lockId,
            ifMatch ->
                with(api.post("/v1/strategy-locks/" + lockId + "/reject"), owner, ifMatch).send()));
  }

  private static TestApi.Call with(TestApi.Call call, Member owner, String ifMatch) {
    call.as(owner, "dev");
    return ifMatch == null ? call : call.header("If-Match", ifMatch);
  }

  @Test
  void everyVersionedResourceWhenWrittenWithAStaleVersionThen412AndUnchanged() {
    Member owner = tenants.tenant("cond");
    List<String> failures = new ArrayList<>();
    for (Resource resource : resources(owner)) {
      TestApi.Response first = resource.write().apply(null);
      if (first.status() != 200) {
        failures.add(resource.name() + ": first write " + first);
        continue;
      }
      String etag = first.header("ETag");
      TestApi.Response read = api.get(resource.read()).as(owner, "dev").send();
      if (etag == null || !etag.matches("\"[0-9]+\"") || !etag.equals(read.header("ETag"))) {
        failures.add(
            resource.name()
                + ": ETag "
                + etag
                + " on the write, "
                + read.header("ETag")
                + " on the read");
        continue;
      }
      long version = Long.parseLong(etag.replace("\"", ""));
      String stale = "\"" + (version - 1) + "\"";
      for (String refused : List.of(stale, "W/" + etag, "\"" + (version + 1) + "\", " + stale)) {
        TestApi.Response r = resource.write().apply(refused);
        if (r.status() != 412 || !"precondition_failed".equals(r.code())) {
          failures.add(resource.name() + ": If-Match " + refused + " -> " + r);
        }
      }
      TestApi.Response malformed = resource.write().apply(etag.replace("\"", ""));
      if (malformed.status() != 400 || !"validation_failed".equals(malformed.code())) {
        failures.add(resource.name() + ": If-Match without quotes -> " + malformed);
      }
      TestApi.Response after = api.get(resource.read()).as(owner, "dev").send();
      if (!etag.equals(after.header("ETag"))) {
        failures.add(resource.name() + ": a refused write changed it to " + after.header("ETag"));
      }
      if (resource.name().equals("strategy lock")) {
        // Decided once (version 2 is its last): the precondition holds, the lock's own rule
        // answers.
        TestApi.Response decided = resource.write().apply(etag);
        if (!"lock_not_draft".equals(decided.code())) {
          failures.add(resource.name() + ": If-Match " + etag + " -> " + decided);
        }
        continue;
      }
      TestApi.Response star = resource.write().apply("*");
      if (star.status() != 200 || star.header("ETag") == null || star.header("ETag").equals(etag)) {
        failures.add(resource.name() + ": If-Match * -> " + star);
        continue;
      }
      TestApi.Response current = resource.write().apply(star.header("ETag"));
      if (current.status() != 200) {
        failures.add(resource.name() + ": If-Match " + star.header("ETag") + " -> " + current);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void neverWrittenResourcesWhenIfMatchZeroThenCreatedOnceAndIfMatchStarRefused() {
    Member owner = tenants.tenant("condzero");
    new GateFixtures(api).approved(owner, "dev", null, "*");
    for (String path :
        List.of("/v1/config/nexus", "/v1/kpis/conversion", "/v1/kill-switch", "/v1/pii/lists")) {
      Object body =
          switch (path) {
            case "/v1/config/nexus" -> TestTenants.NEXUS;
            case "/v1/kpis/conversion" ->
                Map.of("description", "", "unit", "%", "surface", "checkout");
            case "/v1/kill-switch" ->
                Map.of("disabled_actions", List.of(), "disabled_providers", List.of());
            default -> Map.of("allow", List.of(), "deny", List.of());
          };
      TestApi.Response star =
          api.put(path).as(owner, "dev").header("If-Match", "*").json(body).send();
      assertThat(star.status())
          .as("%s If-Match * before the first write: %s", path, star)
          .isEqualTo(412);
      TestApi.Response created =
          api.put(path).as(owner, "dev").header("If-Match", "\"0\"").json(body).send();
      assertThat(created.header("ETag")).as("%s: %s", path, created).isEqualTo("\"1\"");
      TestApi.Response again =
          api.put(path).as(owner, "dev").header("If-Match", "\"0\"").json(body).send();
      assertThat(again.code()).as(path).isEqualTo("precondition_failed");
    }
  }

  @Test
  void memberWhenManyAdminsChangeItUnderTheSameVersionThenExactlyOneWins() throws Exception {
    Member owner = tenants.tenant("condrace");
    String userId = tenants.user(owner, "viewer").userId();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<TestApi.Response>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String role = i % 2 == 0 ? "member" : "viewer";
      results.add(
          pool.submit(
              () -> {
                start.await();
                return api.patch("/v1/users/" + userId)
                    .as(owner, "dev")
                    .header("If-Match", "\"1\"")
                    .json(Map.of("role", role))
                    .send();
              }));
    }
    start.countDown();
    int won = 0;
    for (Future<TestApi.Response> result : results) {
      TestApi.Response r = result.get(60, TimeUnit.SECONDS);
      assertThat(r.status()).as("%s", r).isIn(200, 412);
      won += r.status() == 200 ? 1 : 0;
    }
    pool.shutdown();
    assertThat(won).isEqualTo(1);
    assertThat(api.get("/v1/users/" + userId).as(owner, "dev").send().header("ETag"))
        .isEqualTo("\"2\"");
  }

  @Test
  void piiPolicyWhenTwoWritesRaceUnderTheSameVersionThenTheLoserGets412() throws Exception {
    Member owner = tenants.tenant("condpii");
    int threads = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<TestApi.Response>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return api.put("/v1/pii/policy")
                    .as(owner, "dev")
                    .header("If-Match", "\"1\"")
                    .json(Map.of("default_operator", "mask"))
                    .send();
              }));
    }
    start.countDown();
    int won = 0;
    for (Future<TestApi.Response> result : results) {
      TestApi.Response r = result.get(60, TimeUnit.SECONDS);
      assertThat(r.status()).as("%s", r).isIn(200, 412);
      won += r.status() == 200 ? 1 : 0;
    }
    pool.shutdown();
    assertThat(won).isEqualTo(1);
    assertThat(api.get("/v1/pii/policy").as(owner, "dev").send().header("ETag")).isEqualTo("\"2\"");
  }

  @Test
  void createdWhen201ThenLocationNamesAResourceThatReadsBack() {
    Member owner = tenants.nexusTenant("condloc");
    GateFixtures gates = new GateFixtures(api);
    Map<String, TestApi.Response> created = new java.util.LinkedHashMap<>();
    created.put(
        "user",
        api.post("/v1/users")
            .as(owner, "dev")
            .json(
                Map.of(
                    "email",
                    "loc-" + Ids.randomToken(6) + "@example.test",
                    "display_name",
                    "Loc",
                    "role",
                    "viewer"))
            .send());
    created.put(
        "api key",
        api.post("/v1/api-keys")
            .as(owner, "dev")
            .json(Map.of("kind", "service", "name", "loc", "role", "viewer"))
            .send());
    created.put(
        "strategy lock",
        api.post("/v1/strategy-locks")
            .as(owner, "dev")
            .json(GateFixtures.lockBody(null, List.of("*")))
            .send());
    created.put(
        "legal hold",
        api.post("/v1/gdpr/legal-holds").as(owner, "dev").json(Map.of("reason", "audit")).send());
    created.put(
        "asset",
        api.post("/v1/assets?filename=loc.txt")
            .as(owner, "dev")
            .body("located\n", "text/plain")
            .send());
    created.put(
        "vector space",
        api.post("/v1/vector-spaces")
            .as(owner, "dev")
            .json(Map.of("name", "loc", "dimension", 3, "metric", "cosine", "model", "caller"))
            .send());
    String snapshotId = gates.snapshot(owner, "dev", "checkout");
    created.put(
        "temperature snapshot",
        api.post("/v1/temperature/checkout/snapshots").as(owner, "dev").json(Map.of()).send());
    tenants.configureSession(owner, "dev");
    created.put(
        "session",
        api.post("/v1/sessions").as(owner, "dev").json(Map.of("session_id", "loc-1")).send());
    created.put(
        "turn",
        api.post("/v1/sessions/loc-1/turns")
            .as(owner, "dev")
            .json(Map.of("role", "user", "content", "hi"))
            .send());
    for (Map.Entry<String, TestApi.Response> entry : created.entrySet()) {
      TestApi.Response r = entry.getValue();
      assertThat(r.status()).as("%s: %s", entry.getKey(), r).isEqualTo(201);
      String location = r.header("Location");
      assertThat(location).as(entry.getKey()).startsWith("/v1/");
      TestApi.Response read = api.get(location).as(owner, "dev").send();
      assertThat(read.status())
          .as("%s: GET %s -> %s", entry.getKey(), location, read)
          .isEqualTo(200);
    }
    assertThat(
            api.get("/v1/temperature/checkout/snapshots/" + snapshotId)
                .as(owner, "dev")
                .send()
                .text("snapshot_id"))
        .isEqualTo(snapshotId);
    TestApi.Response tenant =
        api.post("/v1/operator/tenants")
            .operator()
            .json(
                Map.of(
                    "tenant_id",
                    "t_loc_" + Ids.randomToken(8),
                    "name",
                    "Located",
                    "owner",
                    Map.of(
                        "email", "o-" + Ids.randomToken(6) + "@example.test", "display_name", "O")))
            .send();
    assertThat(tenant.status()).isEqualTo(201);
    assertThat(api.get(tenant.header("Location")).operator().send().status()).isEqualTo(200);
  }
}
