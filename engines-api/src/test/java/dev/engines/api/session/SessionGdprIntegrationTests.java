package dev.engines.api.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.SessionFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Sessions in GDPR requests: export and erasure of a member's sessions, member removal, tenant
 * purge.
 */
class SessionGdprIntegrationTests extends IntegrationTest {

  private int sessions(Member owner, String env, String userId) {
    return tx.read(
        Caller.system(Scope.of(owner.tenantId(), env), "test"),
        () ->
            jdbc.sql("SELECT count(*) FROM sessions WHERE tenant_id = :t" + " AND user_id = :u")
                .param("t", owner.tenantId())
                .param("u", userId)
                .query(Integer.class)
                .single());
  }

  @Test
  void erasureWhenSubjectIsAMemberThenTheirSessionsGoInEveryEnvAndOthersStay() {
    Member owner = tenants.tenant("sgdpr");
    tenants.configureSession(owner, "dev");
    tenants.configureSession(owner, "prod");
    Member member = tenants.user(owner, "member");
    SessionFixtures fixtures = new SessionFixtures(api);
    String devSession = fixtures.session(member, "dev");
    fixtures.turn(member, "dev", devSession, "user", "my private note");
    fixtures.session(member, "prod");
    String ownersSession = fixtures.session(owner, "dev");

    TestApi.Response export =
        api.post("/v1/gdpr/export")
            .as(owner, "dev")
            .json(Map.of("identifiers", Map.of("email", member.email())))
            .send();
    assertThat(export.status()).as("%s", export).isEqualTo(200);
    JsonNode record = null;
    for (JsonNode r : export.json().get("records")) {
      if (r.get("type").asString().equals("session")) {
        record = r;
      }
    }
    assertThat(record).as("the member's sessions are in the export").isNotNull();
    assertThat(record.get("id").asString()).isEqualTo(member.userId());
    assertThat(
            record.get("data").get("sessions").get(0).get("turns").get(0).get("content").asString())
        .isEqualTo("my private note");

    TestApi.Response erased =
        api.post("/v1/gdpr/erasure")
            .as(owner, "dev")
            .json(Map.of("identifiers", Map.of("email", member.email())))
            .send();
    assertThat(erased.status()).as("%s", erased).isEqualTo(200);
    assertThat(erased.json().get("erased").toString())
        .contains("session")
        .contains(member.userId());
    assertThat(sessions(owner, "dev", member.userId())).isZero();
    assertThat(sessions(owner, "prod", member.userId()))
        .as("with the member row, by foreign key")
        .isZero();
    assertThat(api.get("/v1/sessions/" + ownersSession).as(owner, "dev").send().status())
        .isEqualTo(200);
  }

  @Test
  void memberWhenRemovedThenTheirSessionsGoToo() {
    Member owner = tenants.tenant("sgrm");
    tenants.configureSession(owner, "dev");
    Member member = tenants.user(owner, "member");
    new SessionFixtures(api).session(member, "dev");
    assertThat(api.delete("/v1/users/" + member.userId()).as(owner, "dev").send().status())
        .isEqualTo(204);
    assertThat(sessions(owner, "dev", member.userId())).isZero();
  }

  @Test
  void tenantPurgeWhenSessionsInSeveralEnvsThenAllGo() {
    Member owner = tenants.tenant("sgpurge");
    SessionFixtures fixtures = new SessionFixtures(api);
    for (String env : List.of("dev", "staging", "prod")) {
      tenants.configureSession(owner, env);
      String id = fixtures.session(owner, env);
      fixtures.turn(owner, env, id, "user", "x");
      assertThat(
              api.delete("/v1/sessions/" + fixtures.session(owner, env))
                  .as(owner, env)
                  .send()
                  .status())
          .isEqualTo(204);
    }
    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(owner, "dev")
            .json(Map.of("confirm_tenant_id", owner.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    assertThat(purge.json().get("deleted").get("session").asInt()).isEqualTo(3);
    for (String env : List.of("dev", "staging", "prod")) {
      Scope scope = Scope.of(owner.tenantId(), env);
      for (String table :
          List.of("sessions", "session_turns", "session_tombstones", "session_turn_tombstones")) {
        assertThat(
                tx.read(
                    Caller.system(scope, "test"),
                    () -> jdbc.sql("SELECT count(*) FROM " + table).query(Integer.class).single()))
            .as("%s in %s", table, env)
            .isZero();
      }
    }
  }
}
