package dev.engines.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.RawHttp;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.error.EnginesException;
import dev.engines.core.idempotency.Idempotency;
import dev.engines.core.idempotency.IdempotencyStore;
import dev.engines.core.idempotency.StoredResponse;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Safe retries through real HTTP: a creating POST with an Idempotency-Key runs once, and its
 * retries within 24 h answer the first response again (status, body, ids, Location, marked
 * replayed), wait for a first request still running, and never cross a principal, env or tenant.
 */
class IdempotencyIntegrationTests extends IntegrationTest {

  private static final String KEY = "Idempotency-Key";
  private static final String REPLAYED = "Idempotent-Replayed";

  @Autowired IdempotencySweep sweep;

  @Autowired Idempotency idempotency;

  @Autowired IdempotencyStore store;

  @Test
  void createWhenRetriedWithTheSameKeyThenReplaysTheFirstResponseOnce() {
    Member owner = tenants.tenant("idem");
    String key = "create-user-" + Ids.randomToken(8);
    Map<String, Object> body =
        Map.of(
            "email",
            "ana-" + Ids.randomToken(6) + "@example.test",
            "display_name",
            "Ana",
            "role",
            "member");

    TestApi.Response first =
        api.post("/v1/users").as(owner, "dev").header(KEY, key).json(body).send();
    assertThat(first.status()).as("%s", first).isEqualTo(201);
    String userId = first.text("user_id");
    assertThat(first.header("Location")).isEqualTo("/v1/users/" + userId);
    assertThat(first.header("ETag")).isEqualTo("\"1\"");
    assertThat(first.header(REPLAYED)).isNull();

    TestApi.Response retry =
        api.post("/v1/users")
            .as(owner, "dev")
            .header(KEY, key)
            .header("X-Request-Id", "retry-1")
            .json(body)
            .send();
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
    assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
    assertThat(retry.header("Content-Type")).isEqualTo(first.header("Content-Type"));
    assertThat(retry.header(REPLAYED)).isEqualTo("true");
    assertThat(retry.header("X-Request-Id")).isEqualTo("retry-1");
    // The draft's structured-field form names the same key.
    TestApi.Response quoted =
        api.post("/v1/users").as(owner, "dev").header(KEY, "\"" + key + "\"").json(body).send();
    assertThat(quoted.header(REPLAYED)).isEqualTo("true");
    assertThat(quoted.text("user_id")).isEqualTo(userId);

    assertThat(usersWithEmail(owner, (String) body.get("email"))).isEqualTo(1);
    // The replay is a DatasetEvent of its own, a read that names the first request's event.
    JsonNode firstEvent = onlyEvent(owner, first.header("X-Request-Id"));
    assertThat(firstEvent.get("action").asString()).isEqualTo("user.create");
    JsonNode replay = onlyEvent(owner, "retry-1");
    assertThat(replay.get("action").asString()).isEqualTo("user.create.replay");
    assertThat(replay.get("kind").asString()).isEqualTo("read");
    assertThat(replay.get("outcome").asString()).isEqualTo("success");
    assertThat(replay.get("input_refs").toString())
        .contains("\"type\":\"event\"", firstEvent.get("event_id").asString());
    assertThat(replay.get("output_refs")).isEmpty();
  }

  @Test
  void createWhenTheKeyComesWithAnotherRequestThen422AndNothingRuns() {
    Member owner = tenants.tenant("idemre");
    String key = "k-" + Ids.randomToken(10);
    Map<String, Object> lock = GateFixtures.lockBody("checkout", List.of("kpi:corridor_upsert"));
    assertThat(
            api.post("/v1/strategy-locks")
                .as(owner, "dev")
                .header(KEY, key)
                .json(lock)
                .send()
                .status())
        .isEqualTo(201);

    Map<String, Object> other = new java.util.LinkedHashMap<>(lock);
    other.put("title", "Another title");
    TestApi.Response otherBody =
        api.post("/v1/strategy-locks").as(owner, "dev").header(KEY, key).json(other).send();
    assertThat(otherBody.status()).as("%s", otherBody).isEqualTo(422);
    assertThat(otherBody.code()).isEqualTo("idempotency_key_reused");
    assertThat(otherBody.header("Content-Type")).startsWith("application/problem+json");
    // Another route, another content type or other query parameters are other requests too.
    TestApi.Response otherRoute =
        api.post("/v1/users")
            .as(owner, "dev")
            .header(KEY, key)
            .json(
                Map.of(
                    "email",
                    "x-" + Ids.randomToken(6) + "@example.test",
                    "display_name",
                    "X",
                    "role",
                    "viewer"))
            .send();
    assertThat(otherRoute.code()).isEqualTo("idempotency_key_reused");
    TestApi.Response otherType =
        api.post("/v1/strategy-locks")
            .as(owner, "dev")
            .header(KEY, key)
            .body(TestApi.JSON.writeValueAsString(lock), "application/json;charset=UTF-8")
            .send();
    assertThat(otherType.code()).isEqualTo("idempotency_key_reused");

    tenants.configureNexus(owner, "dev");
    String uploadKey = "up-" + Ids.randomToken(10);
    assertThat(
            api.post("/v1/assets?filename=a.txt")
                .as(owner, "dev")
                .header(KEY, uploadKey)
                .body("same", "text/plain")
                .send()
                .status())
        .isEqualTo(201);
    assertThat(
            api.post("/v1/assets?filename=b.txt")
                .as(owner, "dev")
                .header(KEY, uploadKey)
                .body("same", "text/plain")
                .send()
                .code())
        .isEqualTo("idempotency_key_reused");
    assertThat(api.get("/v1/strategy-locks").as(owner, "dev").send().json().get("items"))
        .hasSize(1);
    assertThat(api.get("/v1/assets").as(owner, "dev").send().json().get("items")).hasSize(1);
  }

  @Test
  void createWhenTheKeyIsMalformedThen400BeforeAnythingRuns() {
    Member owner = tenants.tenant("idembad");
    Map<String, Object> lock = GateFixtures.lockBody(null, List.of("*"));
    for (String bad : List.of("x".repeat(256), "tab\there", "\"open", "\"bad \\escape\"", "\"\"")) {
      TestApi.Response r =
          api.post("/v1/strategy-locks").as(owner, "dev").header(KEY, bad).json(lock).send();
      assertThat(r.status()).as("%s: %s", bad, r).isEqualTo(400);
      assertThat(r.code()).as(bad).isIn("idempotency_key_invalid", "header_invalid");
    }
    assertThat(
            api.post("/v1/strategy-locks")
                .as(owner, "dev")
                .header(KEY, "x".repeat(256))
                .json(lock)
                .send()
                .code())
        .isEqualTo("idempotency_key_invalid");
    // Non-ASCII bytes (UTF-8 on the wire; a well-behaved client refuses to send them).
    TestApi.Response accented =
        new RawHttp(api.port())
            .send(
                "POST",
                "/v1/strategy-locks",
                Map.of(
                    "Authorization",
                    "Bearer " + owner.token(),
                    "X-Tenant-Id",
                    owner.tenantId(),
                    "X-Env",
                    "dev",
                    "Content-Type",
                    "application/json",
                    KEY,
                    "caf\u00e9"),
                TestApi.JSON.writeValueAsString(lock));
    assertThat(accented.status()).as("%s", accented).isEqualTo(400);
    assertThat(accented.code()).isEqualTo("idempotency_key_invalid");
    // Two keys in one request are no key either.
    HttpRequest twice =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/strategy-locks"))
            .header("Authorization", "Bearer " + owner.token())
            .header("X-Tenant-Id", owner.tenantId())
            .header("X-Env", "dev")
            .header("Content-Type", "application/json")
            .header(KEY, "one")
            .header(KEY, "two")
            .POST(HttpRequest.BodyPublishers.ofString(TestApi.JSON.writeValueAsString(lock)))
            .build();
    assertThat(send(twice).statusCode()).isEqualTo(400);
    // The longest key and every printable character are fine.
    assertThat(
            api.post("/v1/strategy-locks")
                .as(owner, "dev")
                .header(KEY, "k".repeat(255))
                .json(lock)
                .send()
                .status())
        .isEqualTo(201);
    assertThat(
            api.post("/v1/strategy-locks")
                .as(owner, "dev")
                .header(KEY, "a b~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}")
                .json(lock)
                .send()
                .status())
        .isEqualTo(201);
    assertThat(api.get("/v1/strategy-locks").as(owner, "dev").send().json().get("items"))
        .hasSize(2);
  }

  @Test
  void createWhenTheFirstRequestFailedWithoutChangingAnythingThenTheKeyIsFreeForTheFixedRequest() {
    Member owner = tenants.tenant("idemfix");
    String key = "fix-" + Ids.randomToken(8);
    String email = "fix-" + Ids.randomToken(6) + "@example.test";
    TestApi.Response invalid =
        api.post("/v1/users")
            .as(owner, "dev")
            .header(KEY, key)
            .json(Map.of("email", email, "display_name", "Fix", "role", "superuser"))
            .send();
    assertThat(invalid.status()).isEqualTo(400);
    TestApi.Response fixed =
        api.post("/v1/users")
            .as(owner, "dev")
            .header(KEY, key)
            .json(Map.of("email", email, "display_name", "Fix", "role", "member"))
            .send();
    assertThat(fixed.status()).as("%s", fixed).isEqualTo(201);
    assertThat(fixed.header(REPLAYED)).isNull();
    // A conflict that changed nothing is not kept either: the same request runs again (and
    // conflicts again).
    String other = "dup-" + Ids.randomToken(8);
    TestApi.Response duplicate =
        api.post("/v1/users")
            .as(owner, "dev")
            .header(KEY, other)
            .json(Map.of("email", email, "display_name", "Fix", "role", "member"))
            .send();
    assertThat(duplicate.code()).isEqualTo("user_exists");
    TestApi.Response again =
        api.post("/v1/users")
            .as(owner, "dev")
            .header(KEY, other)
            .json(Map.of("email", email, "display_name", "Fix", "role", "member"))
            .send();
    assertThat(again.code()).isEqualTo("user_exists");
    assertThat(again.header(REPLAYED)).isNull();
  }

  @Test
  void keyWhenSentByAnotherPrincipalEnvOrTenantThenNeverAnswersTheFirstResponse() {
    TestTenants.Fixture a = tenants.fixture("idemiso");
    TestTenants.Fixture b = tenants.fixture("idemisob");
    String key = "shared-" + Ids.randomToken(8);
    Map<String, Object> lock = GateFixtures.lockBody("checkout", List.of("kpi:corridor_upsert"));
    TestApi.Response first =
        api.post("/v1/strategy-locks").as(a.admin(), "dev").header(KEY, key).json(lock).send();
    assertThat(first.status()).isEqualTo(201);
    String firstId = first.text("lock_id");

    // The same key string, the same body: another principal of the tenant, the same principal in
    // another env, and the admin of another tenant each run their own request.
    List<TestApi.Response> others =
        List.of(
            api.post("/v1/strategy-locks").as(a.owner(), "dev").header(KEY, key).json(lock).send(),
            api.post("/v1/strategy-locks").as(a.admin(), "prod").header(KEY, key).json(lock).send(),
            api.post("/v1/strategy-locks").as(b.admin(), "dev").header(KEY, key).json(lock).send());
    Set<String> ids = new HashSet<>(Set.of(firstId));
    for (TestApi.Response other : others) {
      assertThat(other.status()).as("%s", other).isEqualTo(201);
      assertThat(other.header(REPLAYED)).isNull();
      assertThat(other.body()).doesNotContain(firstId);
      ids.add(other.text("lock_id"));
    }
    assertThat(ids).hasSize(4);
    assertThat(
            api.post("/v1/strategy-locks")
                .as(a.admin(), "dev")
                .header(KEY, key)
                .json(lock)
                .send()
                .text("lock_id"))
        .isEqualTo(firstId);

    // A service acting for one user, then with the same key for another: another request, never the
    // first's answer.
    Member forUser = new Member(a.tenantId(), null, a.service().keyId(), a.service().token(), null);
    String turnKey = "svc-" + Ids.randomToken(8);
    tenants.configureSession(a.owner(), "dev");
    TestApi.Response forMember =
        api.post("/v1/sessions")
            .as(forUser, "dev")
            .header("X-User-Id", a.member().userId())
            .header(KEY, turnKey)
            .json(Map.of("session_id", "s-1"))
            .send();
    assertThat(forMember.status()).as("%s", forMember).isEqualTo(201);
    TestApi.Response forAdmin =
        api.post("/v1/sessions")
            .as(forUser, "dev")
            .header("X-User-Id", a.admin().userId())
            .header(KEY, turnKey)
            .json(Map.of("session_id", "s-1"))
            .send();
    assertThat(forAdmin.status()).as("%s", forAdmin).isEqualTo(422);
    assertThat(forAdmin.code()).isEqualTo("idempotency_key_reused");
    assertThat(forAdmin.body()).doesNotContain(a.member().userId());

    // In the database the keys are RLS-bound: tenant b's transaction sees none of tenant a's.
    long seenByB =
        tx.read(
            Caller.system(Scope.of(b.tenantId(), "dev"), "test"),
            () ->
                jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE tenant_id = :a")
                    .param("a", a.tenantId())
                    .query(Long.class)
                    .single());
    assertThat(seenByB).isZero();
    long stored =
        tx.read(
            Caller.system(Scope.of(a.tenantId(), "dev"), "test"),
            () ->
                jdbc.sql(
                        "SELECT count(*) FROM idempotency_keys"
                            + " WHERE tenant_id = :a AND env = 'dev'")
                    .param("a", a.tenantId())
                    .query(Long.class)
                    .single());
    assertThat(stored).isEqualTo(3);
    // Neither the key nor the response is stored in the clear.
    List<String> rows =
        tx.read(
            Caller.system(Scope.of(a.tenantId(), "dev"), "test"),
            () ->
                jdbc.sql(
                        "SELECT key_hash || encode(response, 'escape')"
                            + " FROM idempotency_keys WHERE tenant_id = :a AND env = 'dev' AND state = 'complete'")
                    .param("a", a.tenantId())
                    .query(String.class)
                    .list());
    assertThat(rows)
        .isNotEmpty()
        .allSatisfy(row -> assertThat(row).doesNotContain(key, firstId, "lock_id", "checkout"));
  }

  @Test
  void createWhenManyIdenticalRequestsRaceThenOneRunsAndEveryOtherReplaysIt() throws Exception {
    Member owner = tenants.tenant("idemrace");
    String key = "race-" + Ids.randomToken(8);
    Map<String, Object> lock = GateFixtures.lockBody(null, List.of("*"));
    int threads = 10;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<TestApi.Response>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return api.post("/v1/strategy-locks")
                    .as(owner, "dev")
                    .header(KEY, key)
                    .json(lock)
                    .send();
              }));
    }
    start.countDown();
    Set<String> bodies = new HashSet<>();
    int replays = 0;
    for (Future<TestApi.Response> result : results) {
      TestApi.Response r = result.get(60, TimeUnit.SECONDS);
      assertThat(r.status()).as("%s", r).isEqualTo(201);
      bodies.add(r.body());
      replays += "true".equals(r.header(REPLAYED)) ? 1 : 0;
    }
    pool.shutdown();
    assertThat(bodies).hasSize(1);
    assertThat(replays).isEqualTo(threads - 1);
    assertThat(api.get("/v1/strategy-locks").as(owner, "dev").send().json().get("items"))
        .hasSize(1);
  }

  @Test
  void createWhenTheFirstRequestIsStillRunningThenTheRetryWaitsForItsAnswer() throws Exception {
    Member owner = tenants.nexusTenant("idemwait");
    String key = "wait-" + Ids.randomToken(8);
    SlowUpload first = new SlowUpload(owner, key);
    first.awaitClaimed(owner);

    CompletableFuture<TestApi.Response> retry =
        CompletableFuture.supplyAsync(
            () ->
                api.post("/v1/assets?filename=slow.txt")
                    .as(owner, "dev")
                    .header(KEY, key)
                    .body(SlowUpload.BODY, "text/plain")
                    .send());
    Thread.sleep(700);
    assertThat(retry).as("the retry waits while the first request runs").isNotDone();

    first.release();
    TestApi.Response original = first.response();
    assertThat(original.status()).as("%s", original).isEqualTo(201);
    TestApi.Response replay = retry.get(30, TimeUnit.SECONDS);
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(original.body());
    assertThat(replay.header("Location"))
        .isEqualTo(original.header("Location"))
        .startsWith("/v1/assets/ra_");
    assertThat(replay.header(REPLAYED)).isEqualTo("true");
    assertThat(api.get("/v1/assets").as(owner, "dev").send().json().get("items")).hasSize(1);
  }

  @Test
  void createWhenTheFirstRequestRunsPastTheWaitThen409InFlightWithRetryAfter() throws Exception {
    Member owner = tenants.nexusTenant("idemlong");
    String key = "long-" + Ids.randomToken(8);
    SlowUpload first = new SlowUpload(owner, key);
    first.awaitClaimed(owner);

    long started = System.nanoTime();
    TestApi.Response waited =
        api.post("/v1/assets?filename=slow.txt")
            .as(owner, "dev")
            .header(KEY, key)
            .body(SlowUpload.BODY, "text/plain")
            .send();
    assertThat(waited.status()).as("%s", waited).isEqualTo(409);
    assertThat(waited.code()).isEqualTo("idempotency_key_in_flight");
    assertThat(waited.header("Retry-After")).isEqualTo("1");
    // engines.idempotency.retry-wait is 5 s in the tests.
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(4900));

    first.release();
    assertThat(first.response().status()).isEqualTo(201);
    TestApi.Response later =
        api.post("/v1/assets?filename=slow.txt")
            .as(owner, "dev")
            .header(KEY, key)
            .body(SlowUpload.BODY, "text/plain")
            .send();
    assertThat(later.header(REPLAYED)).isEqualTo("true");
    assertThat(api.get("/v1/assets").as(owner, "dev").send().json().get("items")).hasSize(1);
  }

  @Test
  void createWhenTheFirstRequestOutlivesItsLeaseThenARetryTakesOverAndTheFirstCommitIsRefused()
      throws Exception {
    Member owner = tenants.nexusTenant("idemlease");
    String key = "lease-" + Ids.randomToken(8);
    SlowUpload first = new SlowUpload(owner, key);
    first.awaitClaimed(owner);

    // engines.idempotency.lease is 5 minutes: past it, a claim that committed nothing counts as
    // abandoned.
    clock.advance(Duration.ofMinutes(6));
    TestApi.Response takeover =
        api.post("/v1/assets?filename=slow.txt")
            .as(owner, "dev")
            .header(KEY, key)
            .body(SlowUpload.BODY, "text/plain")
            .send();
    assertThat(takeover.status()).as("%s", takeover).isEqualTo(201);
    assertThat(takeover.header(REPLAYED)).isNull();

    first.release();
    TestApi.Response fenced = first.response();
    assertThat(fenced.status()).as("%s", fenced).isEqualTo(409);
    assertThat(fenced.code()).isEqualTo("idempotency_key_in_flight");
    JsonNode assets = api.get("/v1/assets").as(owner, "dev").send().json().get("items");
    assertThat(assets).hasSize(1);
    assertThat(assets.get(0).get("asset_id").asString()).isEqualTo(takeover.text("asset_id"));
    assertThat(
            api.post("/v1/assets?filename=slow.txt")
                .as(owner, "dev")
                .header(KEY, key)
                .body(SlowUpload.BODY, "text/plain")
                .send()
                .text("asset_id"))
        .isEqualTo(takeover.text("asset_id"));
  }

  @Test
  void keyWhenOlderThan24HoursThenTheRequestRunsAgainAndTheSweepDeletesExpiredKeys() {
    Member owner = tenants.tenant("idemexp");
    String key = "exp-" + Ids.randomToken(8);
    String firstId =
        api.post("/v1/gdpr/legal-holds")
            .as(owner, "dev")
            .header(KEY, key)
            .json(Map.of("reason", "first"))
            .send()
            .text("hold_id");
    Scope scope = Scope.of(owner.tenantId(), "dev");

    clock.advance(Duration.ofHours(23));
    assertThat(
            api.post("/v1/gdpr/legal-holds")
                .as(owner, "dev")
                .header(KEY, key)
                .json(Map.of("reason", "first"))
                .send()
                .text("hold_id"))
        .isEqualTo(firstId);
    clock.advance(Duration.ofHours(2));
    // Past 24 h the key is a new one: even another request under it runs.
    TestApi.Response again =
        api.post("/v1/gdpr/legal-holds")
            .as(owner, "dev")
            .header(KEY, key)
            .json(Map.of("reason", "second"))
            .send();
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header(REPLAYED)).isNull();
    assertThat(again.text("hold_id")).isNotEqualTo(firstId);
    assertThat(keys(scope)).isEqualTo(1);

    api.post("/v1/gdpr/legal-holds")
        .as(owner, "dev")
        .header(KEY, "other")
        .json(Map.of("reason", "third"))
        .send();
    clock.advance(Duration.ofHours(25));
    assertThat(sweep.run()).isGreaterThanOrEqualTo(2);
    assertThat(keys(scope)).isZero();
  }

  @Test
  void tenantPurgeWhenKeysExistThenTheyGoWithTheTenant() {
    Member owner = tenants.tenant("idempurge");
    for (String env : List.of("dev", "prod")) {
      api.post("/v1/strategy-locks")
          .as(owner, env)
          .header(KEY, "p-1")
          .json(GateFixtures.lockBody(null, List.of("*")))
          .send();
    }
    assertThat(keys(Scope.of(owner.tenantId(), "dev")) + keys(Scope.of(owner.tenantId(), "prod")))
        .isEqualTo(2);
    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(owner, "dev")
            .json(Map.of("confirm_tenant_id", owner.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    assertThat(purge.json().get("deleted").get("idempotency_key").asInt()).isEqualTo(2);
    assertThat(keys(Scope.of(owner.tenantId(), "dev")) + keys(Scope.of(owner.tenantId(), "prod")))
        .isZero();
  }

  @Test
  void otherRoutesWhenSentAKeyThenIgnoreIt() {
    Member owner = tenants.tenant("idemother");
    String lockId = new GateFixtures(api).draft(owner, "dev", null, List.of("*"));
    new GateFixtures(api).slot(owner, "dev", false);
    TestApi.Response approve =
        api.post("/v1/strategy-locks/" + lockId + "/approve")
            .as(owner, "dev")
            .header(KEY, "a-1")
            .send();
    assertThat(approve.status()).isEqualTo(200);
    TestApi.Response again =
        api.post("/v1/strategy-locks/" + lockId + "/approve")
            .as(owner, "dev")
            .header(KEY, "a-1")
            .send();
    assertThat(again.code()).isEqualTo("lock_not_draft");
    assertThat(keys(Scope.of(owner.tenantId(), "dev"))).isZero();
  }

  @Test
  void
      finishWhenTheChangeCommittedBeforeAFailureThenA4xxIsReplayedAndA5xxLeavesTheOutcomeUnknown() {
    Member owner = tenants.tenant("idemfin");
    Scope scope = Scope.of(owner.tenantId(), "dev");
    String principal = "user:" + owner.userId();

    // A 409 after the change committed is the first response: kept, replayed, and only for the same
    // request.
    Idempotency.Claim conflicted = claim(scope, principal, "after-commit-409");
    tx.write(Caller.system(scope, "test"), () -> store.markCommitted(conflicted));
    byte[] problem = "{\"code\":\"conflict\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(
            idempotency.finish(
                conflicted,
                409,
                new StoredResponse(
                    409, Map.of("Content-Type", "application/problem+json"), problem),
                () -> "a".repeat(64),
                Ids.random("ev")))
        .isTrue();
    Idempotency.Stored stored =
        (Idempotency.Stored)
            idempotency.start(Caller.system(scope, "test"), principal, "after-commit-409");
    StoredResponse replayed = idempotency.replay(stored, "a".repeat(64));
    assertThat(replayed)
        .isEqualTo(
            new StoredResponse(409, Map.of("Content-Type", "application/problem+json"), problem));
    assertThatThrownBy(() -> idempotency.replay(stored, "b".repeat(64)))
        .isInstanceOf(EnginesException.class)
        .extracting(e -> ((EnginesException) e).code())
        .isEqualTo("idempotency_key_reused");

    // A 5xx is never kept: after a committed change the key answers that its outcome is unknown.
    Idempotency.Claim failed = claim(scope, principal, "after-commit-500");
    tx.write(Caller.system(scope, "test"), () -> store.markCommitted(failed));
    assertThat(
            idempotency.finish(
                failed,
                503,
                new StoredResponse(503, Map.of(), new byte[0]),
                () -> "c".repeat(64),
                null))
        .isFalse();
    assertThatThrownBy(
            () -> idempotency.start(Caller.system(scope, "test"), principal, "after-commit-500"))
        .isInstanceOf(EnginesException.class)
        .satisfies(
            e -> {
              assertThat(((EnginesException) e).status()).isEqualTo(409);
              assertThat(((EnginesException) e).code()).isEqualTo("idempotency_outcome_unknown");
            });

    // A 5xx that changed nothing gives the key up.
    Idempotency.Claim untouched = claim(scope, principal, "no-commit-500");
    assertThat(
            idempotency.finish(
                untouched,
                500,
                new StoredResponse(500, Map.of(), new byte[0]),
                () -> "d".repeat(64),
                null))
        .isFalse();
    assertThat(idempotency.start(Caller.system(scope, "test"), principal, "no-commit-500"))
        .isInstanceOf(Idempotency.Claimed.class);
  }

  private Idempotency.Claim claim(Scope scope, String principal, String key) {
    Idempotency.Start start = idempotency.start(Caller.system(scope, "test"), principal, key);
    assertThat(start).isInstanceOf(Idempotency.Claimed.class);
    return ((Idempotency.Claimed) start).claim();
  }

  private long keys(Scope scope) {
    return tx.read(
        Caller.system(scope, "test"),
        () ->
            jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE tenant_id = :t AND env = :e")
                .param("t", scope.tenantId())
                .param("e", scope.env().wire())
                .query(Long.class)
                .single());
  }

  private long usersWithEmail(Member owner, String email) {
    return tx.tenantLevel(
        TenantId.of(owner.tenantId()),
        () ->
            jdbc.sql("SELECT count(*) FROM users WHERE tenant_id = :t" + " AND email = :email")
                .param("t", owner.tenantId())
                .param("email", email)
                .query(Long.class)
                .single());
  }

  private JsonNode onlyEvent(Member owner, String requestId) {
    TestApi.Response events = api.get("/v1/events?request_id=" + requestId).as(owner, "dev").send();
    assertThat(events.status()).as("%s", events).isEqualTo(200);
    assertThat(events.json().get("items")).as("events of %s", requestId).hasSize(1);
    return events.json().get("items").get(0);
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * An upload whose body arrives in two parts over a raw connection: the first at once, the second
   * only when the test releases it. Meanwhile the request holds its key (it claimed it before it
   * read the body).
   */
  private final class SlowUpload {
    static final String BODY = "first part\nsecond part\n";

    private final CountDownLatch gate = new CountDownLatch(1);
    private final CompletableFuture<TestApi.Response> response;
    private final String key;

    SlowUpload(Member owner, String key) {
      this.key = key;
      String head =
          "POST /v1/assets?filename=slow.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
              + "Authorization: Bearer "
              + owner.token()
              + "\r\nX-Tenant-Id: "
              + owner.tenantId()
              + "\r\nX-Env: dev\r\n"
              + "Content-Type: text/plain\r\n"
              + KEY
              + ": "
              + key
              + "\r\nTransfer-Encoding: chunked\r\n\r\n"
              + chunk("first part\n");
      String tail = chunk("second part\n") + "0\r\n\r\n";
      RawHttp raw = new RawHttp(api.port());
      this.response =
          CompletableFuture.supplyAsync(
              () ->
                  raw.exchange(
                      head.getBytes(StandardCharsets.UTF_8),
                      gate,
                      tail.getBytes(StandardCharsets.UTF_8)));
    }

    private static String chunk(String data) {
      return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length)
          + "\r\n"
          + data
          + "\r\n";
    }

    /** Waits until the upload holds its key (its row is in flight). */
    void awaitClaimed(Member owner) throws InterruptedException, TimeoutException {
      Scope scope = Scope.of(owner.tenantId(), "dev");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (tx.read(
              Caller.system(scope, "test"),
              () ->
                  jdbc.sql(
                          "SELECT count(*) FROM idempotency_keys WHERE tenant_id = :t AND env = :e"
                              + " AND state = 'in_flight'")
                      .param("t", scope.tenantId())
                      .param("e", "dev")
                      .query(Long.class)
                      .single())
          == 0) {
        if (response.isDone() || System.nanoTime() > deadline) {
          throw new TimeoutException(
              "the upload never claimed its key "
                  + key
                  + (response.isDone() ? ": " + response.join() : ""));
        }
        Thread.sleep(20);
      }
    }

    void release() {
      gate.countDown();
    }

    TestApi.Response response() throws Exception {
      return response.get(60, TimeUnit.SECONDS);
    }
  }
}
