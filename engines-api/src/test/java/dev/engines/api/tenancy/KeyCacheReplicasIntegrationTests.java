package dev.engines.api.tenancy;

import static dev.engines.api.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.SecondInstance;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.db.ChangeListener;
import dev.engines.core.scope.TenantId;
import dev.engines.tenant.KeyCache;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two application instances on one database, each with its API-key cache (docs/adr/0016): a change
 * of a key, its user or its tenant applies at once on the instance that made it and within {@link
 * #BOUND} on the other, which hears it through PostgreSQL's notifications; an instance whose
 * listener connection is lost stops answering from its cache within {@link #LOST_BOUND} and starts
 * empty when it listens again.
 */
class KeyCacheReplicasIntegrationTests extends IntegrationTest {

  /** The bound ADR 0016 states for another replica. */
  static final Duration BOUND = Duration.ofSeconds(1);

  /** The bound when the listener's connection is lost: the bound and the confirmation's age. */
  static final Duration LOST_BOUND = Duration.ofSeconds(2);

  private static ConfigurableApplicationContext second;

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

  /** Both instances answer {@code member}'s key from their caches. */
  private void cachedOnBoth(Member member, TestApi other) {
    awaitListening(keyCache);
    awaitListening(second.getBean(KeyCache.class));
    for (TestApi instance : new TestApi[] {api, other, api, other}) {
      TestApi.Response me = instance.get("/v1/me").as(member, "dev").send();
      assertThat(me.status()).as("%s", me).isEqualTo(200);
    }
  }

  @Test
  void revokeWhenOnOneInstanceThenRefusedThereAtOnceAndOnTheOtherWithinTheBound() {
    Member owner = tenants.tenant("kcrev");
    Member member = tenants.user(owner, "member");
    TestApi other = other();
    cachedOnBoth(member, other);

    TestApi.Response revoked =
        api.post("/v1/api-keys/" + member.keyId() + "/revoke").as(owner, "dev").send();
    assertThat(revoked.status()).as("%s", revoked).isEqualTo(200);
    TestApi.Response here = api.get("/v1/me").as(member, "dev").send();
    assertThat(here.status()).as("the revoking instance, at once: %s", here).isEqualTo(401);
    assertThat(here.code()).isEqualTo("credential_revoked");

    long millis = millisUntilRefused(other, member);
    assertThat(millis)
        .as("the other instance refused after %d ms", millis)
        .isLessThan(BOUND.toMillis());
    assertThat(other.get("/v1/me").as(member, "dev").send().code()).isEqualTo("credential_revoked");
  }

  @Test
  void userDeactivatedWhenChangedInTheDatabaseThenBothInstancesRefuseWithinTheBound() {
    Member owner = tenants.tenant("kcusr");
    Member member = tenants.user(owner, "member");
    TestApi other = other();
    cachedOnBoth(member, other);

    // A change neither instance's code made: only the notification tells them.
    tx.tenantLevel(
        TenantId.of(member.tenantId()),
        () ->
            jdbc.sql(
                    "UPDATE users SET status = 'deactivated' WHERE tenant_id = :t AND user_id = :u")
                .param("t", member.tenantId())
                .param("u", member.userId())
                .update());

    for (TestApi instance : new TestApi[] {api, other}) {
      long millis = millisUntilRefused(instance, member);
      assertThat(millis).as("refused after %d ms", millis).isLessThan(BOUND.toMillis());
      assertThat(instance.get("/v1/me").as(member, "dev").send().code())
          .isEqualTo("user_deactivated");
    }
    // The owner's own key, of the same tenant, still works (it was dropped and read again).
    assertThat(other.get("/v1/me").as(owner, "dev").send().status()).isEqualTo(200);
  }

  @Test
  void listenerLostWhenTheConnectionDiesThenNoAnswerFromTheCacheUntilItListensAgainEmpty()
      throws Exception {
    Member owner = tenants.tenant("kclost");
    Member member = tenants.user(owner, "member");
    TestApi other = other();
    cachedOnBoth(member, other);
    KeyCache secondCache = second.getBean(KeyCache.class);

    // Both listeners' connections die, and the key is revoked in the same transaction, so that no
    // listener can hear the revocation: only the reconnect's fresh start keeps it from being
    // served.
    tx.tenantLevel(
        TenantId.of(member.tenantId()),
        () -> {
          jdbc.sql(
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                      + " AND pid <> pg_backend_pid() AND (query LIKE 'LISTEN engines\\_%' OR query = '"
                      + ChangeListener.PROBE.replace("'", "''")
                      + "')")
              .query()
              .listOfRows();
          return jdbc.sql(
                  "UPDATE api_keys SET revoked_at = now() WHERE tenant_id = :t AND key_id = :k")
              .param("t", member.tenantId())
              .param("k", member.keyId())
              .update();
        });
    // Neither listener can hear it; each stops answering from its cache once its connection is no
    // longer confirmed (KeyCache.CONFIRMED_WITHIN), and starts empty when it listens again.
    for (TestApi instance : new TestApi[] {api, other}) {
      long millis = millisUntilRefused(instance, member);
      assertThat(millis).as("refused after %d ms", millis).isLessThan(LOST_BOUND.toMillis());
    }
    awaitListening(keyCache);
    awaitListening(secondCache);
    for (TestApi instance : new TestApi[] {api, other}) {
      assertThat(instance.get("/v1/me").as(member, "dev").send().code())
          .isEqualTo("credential_revoked");
      assertThat(instance.get("/v1/me").as(owner, "dev").send().status()).isEqualTo(200);
    }
  }

  private static long millisUntilRefused(TestApi instance, Member member) {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      // 401 for a revoked key, 403 for a deactivated user.
      if (instance.get("/v1/me").as(member, "dev").send().status() != 200) {
        return (System.nanoTime() - start) / 1_000_000;
      }
    }
    return Long.MAX_VALUE;
  }

  private static void awaitListening(KeyCache cache) {
    await(cache::listening, "the key cache listens");
  }
}
