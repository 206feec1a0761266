package dev.engines.api.gates;

import static dev.engines.api.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.SecondInstance;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.db.ChangeListener;
import dev.engines.core.scope.TenantId;
import dev.engines.gates.GateStateCache;
import dev.engines.tenant.TenantActions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The replicas' cache of each env's kill switch and gates slot (docs/adr/0018-gate-state-cache.md),
 * through real HTTP on two application instances over one database: repeated requests read nothing
 * from the database; a change applies to the very next request on the instance that made it and
 * within {@link #BOUND} on the other; a lost listener connection bypasses the cache within {@link
 * #LOST_BOUND} and the cache recovers empty; a rolled-back change drops and changes nothing; a
 * tenant's change never touches another tenant's entries, and an entry answers its tenant/env only.
 */
class GateStateCacheIntegrationTests extends IntegrationTest {

  /** The bound the ADR states for another replica. */
  static final Duration BOUND = Duration.ofSeconds(1);

  /** The bound when the listener's connection is lost: the bound and the confirmation's age. */
  static final Duration LOST_BOUND = Duration.ofSeconds(2);

  private static final String ME = "/v1/me";

  private static ConfigurableApplicationContext second;

  @Autowired private GateStateCache states;

  @BeforeAll
  static void secondInstance() {
    second = SecondInstance.start();
  }

  @AfterAll
  static void stopSecond() {
    if (second != null) {
      second.close();
    }
  }

  private TestApi other() {
    return SecondInstance.api(second);
  }

  private GateStateCache otherStates() {
    return second.getBean(GateStateCache.class);
  }

  /** A tenant whose owner may change the kill switch of {@code dev}. */
  private Member tenantWithLock(String name) {
    Member owner = tenants.tenant(name);
    new GateFixtures(api).approved(owner, "dev", null, "safety:kill_switch_update");
    return owner;
  }

  /** Sets the kill switch through the API on {@code instance}; answers its new version. */
  private static int killSwitch(TestApi instance, Member owner, int version, List<String> actions) {
    TestApi.Response r =
        instance
            .put("/v1/kill-switch")
            .as(owner, "dev")
            .header("If-Match", "\"" + version + "\"")
            .json(Map.of("disabled_actions", actions, "disabled_providers", List.of()))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return version + 1;
  }

  /** Sets the gates slot of {@code dev} through the API on {@code instance}. */
  private static void slot(TestApi instance, Member owner, Map<String, Object> settings) {
    TestApi.Response r = instance.put("/v1/config/gates").as(owner, "dev").json(settings).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  /** Both instances hold {@code member}'s dev gates: a few requests each, all admitted. */
  private void cachedOnBoth(Member member, TestApi other) {
    awaitListening(states);
    awaitListening(otherStates());
    for (TestApi instance : new TestApi[] {api, other, api, other}) {
      TestApi.Response me = instance.get(ME).as(member, "dev").send();
      assertThat(me.status()).as("%s", me).isEqualTo(200);
    }
  }

  @Test
  void requestsWhenStateCachedThenNoReadUntilTheKillSwitchChangesAndTheVeryNextRequestIsBlocked() {
    Member owner = tenantWithLock("gscsame");
    awaitListening(states);
    assertThat(api.get(ME).as(owner, "dev").send().status()).isEqualTo(200);
    long reads = states.reads();
    for (int i = 0; i < 20; i++) {
      assertThat(api.get(ME).as(owner, "dev").send().status()).isEqualTo(200);
    }
    assertThat(states.reads()).as("20 repeated requests read no gates").isEqualTo(reads);

    int version = killSwitch(api, owner, 0, List.of(TenantActions.ME_GET));
    TestApi.Response blocked = api.get(ME).as(owner, "dev").send();
    assertThat(blocked.status()).as("the very next request: %s", blocked).isEqualTo(403);
    assertThat(blocked.code()).isEqualTo("kill_switch_blocked");
    assertThat(states.reads()).as("the change dropped the entry").isGreaterThan(reads);

    killSwitch(api, owner, version, List.of());
    assertThat(api.get(ME).as(owner, "dev").send().status())
        .as("enabled again, at once")
        .isEqualTo(200);
  }

  @Test
  void killSwitchWhenChangedOnOneInstanceThenTheOtherBlocksWithinTheBound() {
    Member owner = tenantWithLock("gsckill");
    TestApi other = other();
    cachedOnBoth(owner, other);
    long otherReads = otherStates().reads();
    assertThat(other.get(ME).as(owner, "dev").send().status()).isEqualTo(200);
    assertThat(otherStates().reads())
        .as("the other instance answers from its cache")
        .isEqualTo(otherReads);

    killSwitch(api, owner, 0, List.of(TenantActions.ME_GET));
    assertThat(api.get(ME).as(owner, "dev").send().code()).isEqualTo("kill_switch_blocked");
    long millis = millisUntil(other, owner, r -> r.status() == 403);
    assertThat(millis)
        .as("the other instance blocked after %d ms", millis)
        .isLessThan(BOUND.toMillis());
    assertThat(other.get(ME).as(owner, "dev").send().code()).isEqualTo("kill_switch_blocked");

    // A change no instance's code made: only the notification tells them.
    insertKillSwitch(owner, List.of());
    for (TestApi instance : new TestApi[] {api, other}) {
      long enabled = millisUntil(instance, owner, r -> r.status() == 200);
      assertThat(enabled).as("enabled after %d ms", enabled).isLessThan(BOUND.toMillis());
    }
  }

  @Test
  void gatesSlotWhenLoweredOnOneInstanceThenItAppliesThereAtOnceAndOnTheOtherWithinTheBound() {
    Member owner = tenantWithLock("gscslot");
    TestApi other = other();
    slot(api, owner, Map.of("four_eyes", false, "rate_limits", Map.of("read", 900)));
    cachedOnBoth(owner, other);
    assertThat(other.get(ME).as(owner, "dev").send().header("RateLimit-Policy"))
        .contains("\"read\";q=900;");

    slot(other, owner, Map.of("four_eyes", false, "rate_limits", Map.of("read", 700)));
    assertThat(other.get(ME).as(owner, "dev").send().header("RateLimit-Policy"))
        .as("the instance that wrote the slot, at once")
        .contains("\"read\";q=700;");
    long millis =
        millisUntil(
            api, owner, r -> String.valueOf(r.header("RateLimit-Policy")).contains("q=700;"));
    assertThat(millis).as("the lowered limit after %d ms", millis).isLessThan(BOUND.toMillis());

    // A budget the action's price exceeds: refused by gate_admit_periods, which only a fresh slot
    // calls.
    slot(
        api,
        owner,
        Map.of(
            "four_eyes",
            false,
            "budgets",
            Map.of("cost_units_per_day", 1, "prices", Map.of(TenantActions.ME_GET, 5))));
    TestApi.Response here = api.get(ME).as(owner, "dev").send();
    assertThat(here.status()).as("at once: %s", here).isEqualTo(402);
    assertThat(here.code()).isEqualTo("budget_exceeded");
    long budget = millisUntil(other, owner, r -> r.status() == 402);
    assertThat(budget).as("the budget after %d ms", budget).isLessThan(BOUND.toMillis());
    // Without the budget, both admit again.
    slot(api, owner, Map.of("four_eyes", false));
    assertThat(api.get(ME).as(owner, "dev").send().status()).isEqualTo(200);
    assertThat(millisUntil(other, owner, r -> r.status() == 200)).isLessThan(BOUND.toMillis());
  }

  @Test
  void listenerLostWhenTheConnectionDiesThenTheCacheIsBypassedAndListensAgainEmpty() {
    Member owner = tenantWithLock("gsclost");
    TestApi other = other();
    cachedOnBoth(owner, other);

    // Both listeners' connections die, and the switch changes in the same transaction, so that no
    // listener can hear it: only the cache being bypassed, then starting empty, keeps it from
    // being served stale.
    tx.tenantLevel(
        TenantId.of(owner.tenantId()),
        () -> {
          jdbc.sql(
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                      + " AND pid <> pg_backend_pid() AND (query LIKE 'LISTEN engines\\_%' OR query = '"
                      + ChangeListener.PROBE.replace("'", "''")
                      + "')")
              .query()
              .listOfRows();
          insertKillSwitchHere(owner, List.of(TenantActions.ME_GET));
          return null;
        });
    for (TestApi instance : new TestApi[] {api, other}) {
      long millis = millisUntil(instance, owner, r -> r.status() == 403);
      assertThat(millis).as("blocked after %d ms", millis).isLessThan(LOST_BOUND.toMillis());
    }
    awaitListening(states);
    awaitListening(otherStates());
    for (TestApi instance : new TestApi[] {api, other}) {
      assertThat(instance.get(ME).as(owner, "dev").send().code()).isEqualTo("kill_switch_blocked");
    }
    // Listening again, the cache answers again.
    long reads = states.reads();
    for (int i = 0; i < 5; i++) {
      assertThat(api.get(ME).as(owner, "dev").send().code()).isEqualTo("kill_switch_blocked");
    }
    assertThat(states.reads()).as("read once at most, then cached").isLessThanOrEqualTo(reads + 1);
  }

  @Test
  void changeWhenRolledBackThenNothingIsDroppedAndNothingApplies() throws Exception {
    Member owner = tenantWithLock("gscroll");
    TestApi other = other();
    cachedOnBoth(owner, other);
    long reads = states.reads();
    long otherReads = otherStates().reads();

    assertThatThrownBy(
            () ->
                tx.tenantLevel(
                    TenantId.of(owner.tenantId()),
                    () -> {
                      insertKillSwitchHere(owner, List.of(TenantActions.ME_GET));
                      throw new IllegalStateException("rolled back");
                    }))
        .hasMessageContaining("rolled back");
    // Longer than a notification takes (BOUND): none comes, so nothing is dropped or read again.
    Thread.sleep(BOUND.toMillis());
    for (TestApi instance : new TestApi[] {api, other}) {
      assertThat(instance.get(ME).as(owner, "dev").send().status()).isEqualTo(200);
    }
    assertThat(states.reads()).isEqualTo(reads);
    assertThat(otherStates().reads()).isEqualTo(otherReads);
  }

  @Test
  void changeWhenOfOneTenantThenOtherTenantsAndEnvsKeepTheirEntriesAndAnswers() {
    Member a = tenantWithLock("gscisoa");
    Member b = tenantWithLock("gscisob");
    TestApi other = other();
    cachedOnBoth(a, other);
    cachedOnBoth(b, other);
    for (TestApi instance : new TestApi[] {api, other}) {
      assertThat(instance.get(ME).as(a, "staging").send().status()).isEqualTo(200);
    }
    long reads = states.reads();
    long otherReads = otherStates().reads();

    killSwitch(api, a, 0, List.of(TenantActions.ME_GET));
    assertThat(api.get(ME).as(a, "dev").send().code()).isEqualTo("kill_switch_blocked");
    assertThat(millisUntil(other, a, r -> r.status() == 403)).isLessThan(BOUND.toMillis());
    long readsAfterA = states.reads();
    long otherReadsAfterA = otherStates().reads();
    for (TestApi instance : new TestApi[] {api, other}) {
      assertThat(instance.get(ME).as(b, "dev").send().status())
          .as("tenant B is not blocked by A's switch")
          .isEqualTo(200);
    }
    assertThat(states.reads())
        .as(
            "B's entry was kept: no read for it (A's entries were read again: %d)",
            readsAfterA - reads)
        .isEqualTo(readsAfterA);
    assertThat(otherStates().reads()).isEqualTo(otherReadsAfterA);
    assertThat(otherReadsAfterA)
        .as("the other instance dropped A's entries")
        .isGreaterThan(otherReads);
    // A's switch is its dev env's: A's staging entry answers staging, unblocked.
    for (TestApi instance : new TestApi[] {api, other}) {
      assertThat(instance.get(ME).as(a, "staging").send().status()).isEqualTo(200);
    }
  }

  /** Inserts the next kill switch version of {@code owner}'s dev env directly, committed. */
  private void insertKillSwitch(Member owner, List<String> actions) {
    tx.tenantLevel(
        TenantId.of(owner.tenantId()),
        () -> {
          insertKillSwitchHere(owner, actions);
          return null;
        });
  }

  /** Inserts the next kill switch version in the open transaction. */
  private void insertKillSwitchHere(Member owner, List<String> actions) {
    jdbc.sql("SELECT set_config('app.env', 'dev', true)").query().singleRow();
    jdbc.sql(
            "INSERT INTO kill_switches (tenant_id, env, version, disabled_actions, disabled_providers, created_at, created_by)"
                + " SELECT :t, 'dev', coalesce(max(version), 0) + 1, CAST(:actions AS jsonb), '[]', now(), 'test'"
                + " FROM kill_switches WHERE tenant_id = :t AND env = 'dev'")
        .param("t", owner.tenantId())
        .param("actions", actions.isEmpty() ? "[]" : "[\"" + String.join("\", \"", actions) + "\"]")
        .update();
  }

  /** Milliseconds until a request of {@code member} on {@code instance} answers as {@code done}. */
  private static long millisUntil(
      TestApi instance, Member member, Predicate<TestApi.Response> done) {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (done.test(instance.get(ME).as(member, "dev").send())) {
        return (System.nanoTime() - start) / 1_000_000;
      }
    }
    return Long.MAX_VALUE;
  }

  private static void awaitListening(GateStateCache cache) {
    await(cache::listening, "the gate state cache listens");
  }
}
