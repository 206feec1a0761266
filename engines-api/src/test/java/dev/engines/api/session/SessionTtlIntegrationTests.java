package dev.engines.api.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.SessionFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.Ledger;
import dev.engines.session.SessionSettings;
import dev.engines.session.SessionSweep;
import dev.engines.tenant.TenantDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * TTL that holds: an expired session answers 410 at once, before any sweep; the sweep removes it
 * with everything it held, on one replica per scheduled tick, and records what it removed;
 * retention bounds a session's age whatever its TTL. Time passes on the application's clock ({@code
 * TestClock}).
 */
class SessionTtlIntegrationTests extends IntegrationTest {

  @Autowired SessionSweep sweep;

  @Autowired ClusterJobs cluster;

  @Autowired Ledger ledger;

  @Autowired TenantDirectory directory;

  private Member owner;
  private SessionFixtures sessions;

  @BeforeEach
  void tenant() {
    owner = tenants.tenant("ttl");
    tenants.configureSession(owner, "dev");
    sessions = new SessionFixtures(api);
  }

  private String session(int ttlSeconds) {
    TestApi.Response r =
        api.post("/v1/sessions").as(owner, "dev").json(Map.of("ttl_seconds", ttlSeconds)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.text("session_id");
  }

  private int count(String table) {
    return tx.read(
        Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
        () ->
            jdbc.sql("SELECT count(*) FROM " + table + " WHERE tenant_id = :t")
                .param("t", owner.tenantId())
                .query(Integer.class)
                .single());
  }

  @Test
  void sessionWhenTtlPassedThen410OnEveryRouteAtOnceAndGoneFromTheList() {
    String id = session(60);
    sessions.turn(owner, "dev", id, "user", "hello");
    clock.advance(Duration.ofSeconds(61));
    List<TestApi.Call> calls =
        List.of(
            api.get("/v1/sessions/" + id),
            api.get("/v1/sessions/" + id + "/turns"),
            api.get("/v1/sessions/" + id + "/memory"),
            api.get("/v1/sessions/" + id + "/blackboard"),
            api.get("/v1/sessions/" + id + "/inbox"),
            api.post("/v1/sessions/" + id + "/turns")
                .json(Map.of("role", "user", "content", "late")),
            api.put("/v1/sessions/" + id + "/blackboard/k").json(Map.of("value", 1)),
            api.patch("/v1/sessions/" + id).json(Map.of("title", "late")),
            api.delete("/v1/sessions/" + id));
    for (TestApi.Call call : calls) {
      TestApi.Response r = call.as(owner, "dev").send();
      assertThat(r.status()).as("%s", r).isEqualTo(410);
      assertThat(r.code()).isEqualTo("session_expired");
    }
    assertThat(api.get("/v1/sessions").as(owner, "dev").send().json().get("items")).isEmpty();
    assertThat(count("sessions")).as("still stored until the sweep").isOne();
  }

  @Test
  void ttlWhenSessionWrittenThenCountsFromTheLastWrite() {
    String id = session(60);
    clock.advance(Duration.ofSeconds(50));
    assertThat(sessions.turn(owner, "dev", id, "user", "keep me alive").status()).isEqualTo(201);
    clock.advance(Duration.ofSeconds(50));
    assertThat(api.get("/v1/sessions/" + id).as(owner, "dev").send().status())
        .as("100 s after creation, 50 s after the turn")
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(11));
    assertThat(api.get("/v1/sessions/" + id).as(owner, "dev").send().status()).isEqualTo(410);
  }

  @Test
  void sweepWhenSessionsExpiredThenRemovedWithEverythingTombstonedAndRecorded() {
    String expired = session(60);
    String turnId = sessions.turn(owner, "dev", expired, "user", "remember me").text("turn_id");
    api.put("/v1/sessions/" + expired + "/blackboard/k")
        .as(owner, "dev")
        .json(Map.of("value", 1))
        .send();
    api.put("/v1/sessions/" + expired + "/memory")
        .as(owner, "dev")
        .json(Map.of("pinned_refs", List.of(), "summary_refs", List.of(), "preferences", Map.of()))
        .send();
    String alive = session(3600);
    clock.advance(Duration.ofSeconds(120));

    SessionSweep.Report report = sweep.run();
    assertThat(report.sessions()).isGreaterThanOrEqualTo(1);
    assertThat(count("sessions")).isOne();
    for (String table : List.of("session_turns", "session_blackboard", "session_memory")) {
      assertThat(count(table)).as(table).isZero();
    }
    assertThat(api.get("/v1/sessions/" + alive).as(owner, "dev").send().status()).isEqualTo(200);
    assertThat(api.get("/v1/sessions/" + expired).as(owner, "dev").send().status())
        .as("swept: gone")
        .isEqualTo(404);

    // The sweep's own record: a system event in the tenant's ledger naming the user and what went.
    JsonNode events =
        api.get("/v1/events?request_id=" + report.requestId())
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    assertThat(events).hasSize(1);
    JsonNode event = events.get(0);
    assertThat(event.get("action").asString()).isEqualTo("session.sweep");
    assertThat(event.get("actor_type").asString()).isEqualTo("system");
    assertThat(event.get("actor_id").asString()).isEqualTo("session-sweep");
    assertThat(event.get("input_refs").toString()).contains(owner.userId());
    assertThat(event.get("output_refs").toString()).contains(expired).doesNotContain(alive);

    // A pointer to a turn of the swept session answers what became of it.
    api.put("/v1/sessions/" + alive + "/memory")
        .as(owner, "dev")
        .json(
            Map.of(
                "pinned_refs",
                List.of(Map.of("type", "turn", "id", turnId)),
                "summary_refs",
                List.of(),
                "preferences",
                Map.of()))
        .send();
    JsonNode pinned =
        api.get("/v1/sessions/" + alive + "/memory?resolve=true")
            .as(owner, "dev")
            .send()
            .json()
            .get("resolution")
            .get("pinned_refs");
    assertThat(pinned.get(0).get("state").asString()).isEqualTo("expired");

    // Tombstones go once they are older than the retention (30 days by default); by then the other
    // session has expired and left a fresh tombstone of its own.
    clock.advance(Duration.ofDays(31));
    assertThat(sweep.run().tombstones()).isGreaterThanOrEqualTo(1);
    assertThat(
            tx.read(
                Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
                () ->
                    jdbc.sql("SELECT session_id FROM session_tombstones" + " WHERE tenant_id = :t")
                        .param("t", owner.tenantId())
                        .query(String.class)
                        .list()))
        .containsExactly(alive);
    assertThat(count("session_turn_tombstones")).isZero();
  }

  @Test
  void turnPointerWhenItsSessionExpiredButNotSweptThenExpired() {
    String shortLived = session(60);
    String turnId = sessions.turn(owner, "dev", shortLived, "user", "x").text("turn_id");
    String reader = session(3600);
    api.put("/v1/sessions/" + reader + "/memory")
        .as(owner, "dev")
        .json(
            Map.of(
                "pinned_refs",
                List.of(Map.of("type", "turn", "id", turnId)),
                "summary_refs",
                List.of(),
                "preferences",
                Map.of()))
        .send();
    clock.advance(Duration.ofSeconds(61));
    JsonNode pinned =
        api.get("/v1/sessions/" + reader + "/memory?resolve=true")
            .as(owner, "dev")
            .send()
            .json()
            .get("resolution")
            .get("pinned_refs");
    assertThat(pinned.get(0).get("state").asString()).isEqualTo("expired");
    assertThat(pinned.get(0).get("target").isNull()).isTrue();
  }

  @Test
  void sweepTickWhenAnotherReplicaHoldsTheJobLockThenSkipsTheTick() {
    session(60);
    clock.advance(Duration.ofSeconds(61));
    boolean[] inner = {true};

    boolean outer = cluster.tick(SessionSweep.CLUSTER_JOB, () -> inner[0] = sweep.tick());

    assertThat(outer).as("this test holds the job's lock, as another replica would").isTrue();
    assertThat(inner[0]).as("the tick is skipped while the lock is held").isFalse();
    assertThat(count("sessions")).isOne();
    assertThat(sweep.tick()).as("the lock went with the other replica's tick").isTrue();
    assertThat(count("sessions")).isZero();
  }

  @Test
  void sweepWhenMoreExpiredThanOneBatchThenAllGoBatchByBatch() {
    Member member = tenants.user(owner, "member");
    for (int i = 0; i < 5; i++) {
      session(60);
      assertThat(
              api.post("/v1/sessions")
                  .as(member, "dev")
                  .json(Map.of("ttl_seconds", 60))
                  .send()
                  .status())
          .isEqualTo(201);
    }
    clock.advance(Duration.ofSeconds(61));
    SessionSweep small =
        new SessionSweep(
            cluster,
            jdbc,
            tx,
            clock,
            ledger,
            directory,
            new SessionSettings(null, 0, 0, 0, SessionSettings.DISABLED, 3, null));
    SessionSweep.Report report = small.run();
    assertThat(count("sessions")).isZero();
    JsonNode events =
        api.get("/v1/events?request_id=" + report.requestId() + "&limit=100")
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    int removed = 0;
    for (JsonNode event : events) {
      assertThat(event.get("output_refs").size()).as("one batch at most").isLessThanOrEqualTo(3);
      removed += event.get("output_refs").size();
    }
    assertThat(removed).isEqualTo(10);
    assertThat(events.size())
        .as("4 batches of 3, 3, 3 and 1 sessions, one event per user in each")
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void retentionWhenSessionsOlderThanThePeriodThenRemovedWhateverTheirTtl() {
    String old = session(86400);
    clock.advance(Duration.ofHours(20));
    assertThat(sessions.turn(owner, "dev", old, "user", "still busy").status()).isEqualTo(201);
    clock.advance(Duration.ofHours(20));
    String young = session(86400);
    assertThat(
            api.put("/v1/gdpr/retention")
                .as(owner, "dev")
                .json(Map.of("data_class", "sessions", "max_age_days", 1))
                .send()
                .status())
        .isEqualTo(200);
    TestApi.Response run = api.post("/v1/gdpr/retention/run").as(owner, "dev").send();
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    assertThat(run.json().get("purged").get("sessions").asInt()).isOne();
    assertThat(api.get("/v1/sessions/" + old).as(owner, "dev").send().status()).isEqualTo(404);
    assertThat(api.get("/v1/sessions/" + young).as(owner, "dev").send().status()).isEqualTo(200);
  }
}
