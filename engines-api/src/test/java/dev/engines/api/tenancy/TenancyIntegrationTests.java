package dev.engines.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi.Response;
import dev.engines.api.support.TestTenants.Member;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenancyIntegrationTests extends IntegrationTest {

  @Test
  void createTenantWhenOperatorThenOwnerKeyWorksAndSecretIsNeverShownAgain() {
    Member owner = tenants.tenant("acme");
    Response me = api.get("/v1/me").as(owner, "dev").send();
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text("role")).isEqualTo("owner");
    assertThat(me.text("actor_id")).isEqualTo(owner.userId());
    Response key = api.get("/v1/api-keys/" + owner.keyId()).as(owner, "dev").send();
    assertThat(key.body()).doesNotContain(owner.token().substring(21));
    assertThat(key.text("prefix")).isEqualTo(owner.token().substring(0, 20));
    assertThat(api.get("/v1/api-keys").as(owner, "dev").send().body())
        .doesNotContain(owner.token().substring(21));
  }

  @Test
  void createTenantWhenIdTakenThenConflict() {
    Member owner = tenants.tenant("dup");
    Response again =
        api.post("/v1/operator/tenants")
            .operator()
            .json(
                Map.of(
                    "tenant_id",
                    owner.tenantId(),
                    "name",
                    "x",
                    "owner",
                    Map.of("email", "a@b.example", "display_name", "A")))
            .send();
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("tenant_exists");
  }

  @Test
  void createTenantWhenIdMalformedThenValidationProblem() {
    Response bad =
        api.post("/v1/operator/tenants")
            .operator()
            .json(
                Map.of(
                    "tenant_id",
                    "Acme",
                    "name",
                    "x",
                    "owner",
                    Map.of("email", "a@b.example", "display_name", "A")))
            .send();
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.code()).isEqualTo("tenant_invalid");
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void operatorWhenReadingTenantDataThenForbidden() {
    Member owner = tenants.tenant("opr");
    Response users = api.get("/v1/users").scope(owner.tenantId(), "dev").operator().send();
    assertThat(users.status()).isEqualTo(403);
    assertThat(users.code()).isEqualTo("forbidden_role");
    assertThat(api.get("/v1/operator/tenants/" + owner.tenantId()).operator().send().text("status"))
        .isEqualTo("active");
    assertThat(api.get("/v1/operator/tenants").as(owner, "dev").send().status()).isEqualTo(403);
  }

  @Test
  void suspendTenantWhenKeyUsedThenRefusedUntilResumed() {
    Member owner = tenants.tenant("susp");
    assertThat(
            api.post("/v1/operator/tenants/" + owner.tenantId() + "/suspend")
                .operator()
                .send()
                .text("status"))
        .isEqualTo("suspended");
    Response refused = api.get("/v1/me").as(owner, "dev").send();
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("tenant_suspended");
    api.post("/v1/operator/tenants/" + owner.tenantId() + "/resume").operator().send();
    assertThat(api.get("/v1/me").as(owner, "dev").send().status()).isEqualTo(200);
  }

  @Test
  void lastOwnerWhenDemotedDeactivatedOrRemovedThenConflict() {
    Member owner = tenants.tenant("last");
    for (Response r :
        List.of(
            api.patch("/v1/users/" + owner.userId())
                .as(owner, "dev")
                .json(Map.of("role", "admin"))
                .send(),
            api.post("/v1/users/" + owner.userId() + "/deactivate").as(owner, "dev").send(),
            api.delete("/v1/users/" + owner.userId()).as(owner, "dev").send())) {
      assertThat(r.status()).as("%s", r).isEqualTo(409);
      assertThat(r.code()).isEqualTo("last_owner");
    }
    Member second = tenants.user(owner, "owner");
    assertThat(
            api.patch("/v1/users/" + owner.userId())
                .as(second, "dev")
                .json(Map.of("role", "admin"))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(api.get("/v1/me").as(owner, "dev").send().text("role")).isEqualTo("admin");
  }

  @Test
  void adminWhenManagingOwnersOrAdminsThenForbidden() {
    Member owner = tenants.tenant("adm");
    Member admin = tenants.user(owner, "admin");
    Member member = tenants.user(owner, "member");
    Response promote =
        api.patch("/v1/users/" + member.userId())
            .as(admin, "dev")
            .json(Map.of("role", "admin"))
            .send();
    assertThat(promote.status()).isEqualTo(403);
    assertThat(promote.code()).isEqualTo("forbidden_role");
    assertThat(
            api.post("/v1/users/" + owner.userId() + "/deactivate")
                .as(admin, "dev")
                .send()
                .status())
        .isEqualTo(403);
    assertThat(
            api.post("/v1/users")
                .as(admin, "dev")
                .json(Map.of("email", "x@y.example", "display_name", "X", "role", "owner"))
                .send()
                .status())
        .isEqualTo(403);
    Response demote =
        api.patch("/v1/users/" + member.userId())
            .as(admin, "dev")
            .json(Map.of("role", "viewer"))
            .send();
    assertThat(demote.status()).isEqualTo(200);
    assertThat(demote.text("role")).isEqualTo("viewer");
  }

  @Test
  void roleChangeWhenApplied_thenNextRequestUsesNewRole() {
    Member owner = tenants.tenant("rc");
    Member member = tenants.user(owner, "member");
    assertThat(api.get("/v1/me").as(member, "dev").send().text("role")).isEqualTo("member");
    api.patch("/v1/users/" + member.userId())
        .as(owner, "dev")
        .json(Map.of("role", "viewer"))
        .send();
    assertThat(api.get("/v1/me").as(member, "dev").send().text("role")).isEqualTo("viewer");
  }

  @Test
  void deactivateWhenNextRequestThenRefusedAndReactivateRestores() {
    Member owner = tenants.tenant("deact");
    Member member = tenants.user(owner, "member");
    assertThat(api.get("/v1/me").as(member, "dev").send().status()).isEqualTo(200);
    api.post("/v1/users/" + member.userId() + "/deactivate").as(owner, "dev").send();
    Response refused = api.get("/v1/me").as(member, "dev").send();
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("user_deactivated");
    api.post("/v1/users/" + member.userId() + "/reactivate").as(owner, "dev").send();
    assertThat(api.get("/v1/me").as(member, "dev").send().status()).isEqualTo(200);
  }

  @Test
  void removeUserWhenDoneThenTheirKeysStopWorking() {
    Member owner = tenants.tenant("rm");
    Member member = tenants.user(owner, "member");
    assertThat(api.delete("/v1/users/" + member.userId()).as(owner, "dev").send().status())
        .isEqualTo(204);
    assertThat(api.get("/v1/me").as(member, "dev").send().status()).isEqualTo(401);
    assertThat(api.get("/v1/users/" + member.userId()).as(owner, "dev").send().status())
        .isEqualTo(404);
  }

  @Test
  void duplicateEmailWhenInvitedThenConflict() {
    Member owner = tenants.tenant("dupe");
    Response again =
        api.post("/v1/users")
            .as(owner, "dev")
            .json(
                Map.of(
                    "email",
                    owner.email().toUpperCase(),
                    "display_name",
                    "Again",
                    "role",
                    "viewer"))
            .send();
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("user_exists");
  }

  @Test
  void revokeKeyWhenNextRequestThenUnauthorized() {
    Member owner = tenants.tenant("rev");
    Member member = tenants.user(owner, "member");
    assertThat(
            api.post("/v1/api-keys/" + member.keyId() + "/revoke")
                .as(member, "dev")
                .send()
                .status())
        .isEqualTo(200);
    Response refused = api.get("/v1/me").as(member, "dev").send();
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("credential_revoked");
  }

  @Test
  void rotateKeyWhenOverlapThenBothWorkAndWithoutOverlapOnlyNew() {
    Member owner = tenants.tenant("rot");
    Member member = tenants.user(owner, "member");
    Response rotated =
        api.post("/v1/api-keys/" + member.keyId() + "/rotate")
            .as(member, "dev")
            .json(Map.of("overlap_seconds", 600))
            .send();
    assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
    String fresh = rotated.text("token");
    assertThat(fresh).isNotEqualTo(member.token()).startsWith(member.token().substring(0, 21));
    assertThat(api.get("/v1/me").scope(owner.tenantId(), "dev").bearer(fresh).send().status())
        .isEqualTo(200);
    assertThat(api.get("/v1/me").as(member, "dev").send().status()).isEqualTo(200);

    Response again =
        api.post("/v1/api-keys/" + member.keyId() + "/rotate")
            .scope(owner.tenantId(), "dev")
            .bearer(fresh)
            .json(Map.of("overlap_seconds", 0))
            .send();
    assertThat(again.status()).isEqualTo(200);
    assertThat(api.get("/v1/me").scope(owner.tenantId(), "dev").bearer(fresh).send().status())
        .isEqualTo(401);
    assertThat(api.get("/v1/me").as(member, "dev").send().status()).isEqualTo(401);
    assertThat(
            api.get("/v1/me")
                .scope(owner.tenantId(), "dev")
                .bearer(again.text("token"))
                .send()
                .status())
        .isEqualTo(200);
  }

  /** Guards against an admin taking over the owner (or another admin) through their keys. */
  @Test
  void adminWhenRotatingOrRevokingOwnerOrAdminKeysThenForbiddenAndKeysKeepWorking() {
    Member owner = tenants.tenant("akt");
    Member admin = tenants.user(owner, "admin");
    Member otherAdmin = tenants.user(owner, "admin");
    Member adminService = tenants.serviceKey(owner, "admin", null, false);
    for (Member target : List.of(owner, otherAdmin, adminService)) {
      for (Response r :
          List.of(
              api.post("/v1/api-keys/" + target.keyId() + "/rotate")
                  .as(admin, "dev")
                  .json(Map.of("overlap_seconds", 0))
                  .send(),
              api.post("/v1/api-keys/" + target.keyId() + "/revoke").as(admin, "dev").send())) {
        assertThat(r.status()).as("%s", r).isEqualTo(403);
        assertThat(r.code()).isEqualTo("forbidden_role");
        assertThat(r.body()).doesNotContain("token");
      }
      assertThat(
              api.get("/v1/me")
                  .scope(owner.tenantId(), "dev")
                  .bearer(target.token())
                  .send()
                  .status())
          .isEqualTo(200);
    }
    // Below admin, others' keys stay invisible: 404, as for any key the caller cannot see.
    Member member = tenants.user(owner, "member");
    assertThat(
            api.post("/v1/api-keys/" + otherAdmin.keyId() + "/rotate")
                .as(member, "dev")
                .send()
                .code())
        .isEqualTo("not_found");
    assertThat(
            api.post("/v1/api-keys/" + owner.keyId() + "/revoke").as(member, "dev").send().code())
        .isEqualTo("not_found");
  }

  @Test
  void keyManagementWhenOwnerOrOwnKeyOrLowerRankThenAllowed() {
    Member owner = tenants.tenant("akok");
    Member admin = tenants.user(owner, "admin");
    Member member = tenants.user(owner, "member");
    Member memberService = tenants.serviceKey(owner, "member", null, false);
    Member secondOwner = tenants.user(owner, "owner");
    // An admin manages keys below its rank and its own.
    assertThat(
            api.post("/v1/api-keys/" + member.keyId() + "/rotate").as(admin, "dev").send().status())
        .isEqualTo(200);
    assertThat(
            api.post("/v1/api-keys/" + memberService.keyId() + "/revoke")
                .as(admin, "dev")
                .send()
                .status())
        .isEqualTo(200);
    Response ownRotation =
        api.post("/v1/api-keys/" + admin.keyId() + "/rotate")
            .as(admin, "dev")
            .json(Map.of("overlap_seconds", 60))
            .send();
    assertThat(ownRotation.status()).as("%s", ownRotation).isEqualTo(200);
    // Owners manage admins and owners.
    assertThat(
            api.post("/v1/api-keys/" + admin.keyId() + "/revoke").as(owner, "dev").send().status())
        .isEqualTo(200);
    Response ownerRotation =
        api.post("/v1/api-keys/" + secondOwner.keyId() + "/rotate").as(owner, "dev").send();
    assertThat(ownerRotation.status()).as("%s", ownerRotation).isEqualTo(200);
    assertThat(
            api.get("/v1/me")
                .scope(owner.tenantId(), "dev")
                .bearer(ownerRotation.text("token"))
                .send()
                .text("role"))
        .isEqualTo("owner");
  }

  /**
   * The same rank rule as role changes: an admin mints no principal, key or role at its own rank or
   * above.
   */
  @Test
  void adminWhenCreatingKeysAtOrAboveItsRankThenForbidden() {
    Member owner = tenants.tenant("akc");
    Member admin = tenants.user(owner, "admin");
    Member otherAdmin = tenants.user(owner, "admin");
    for (Map<String, Object> body :
        List.of(
            Map.<String, Object>of("kind", "service", "name", "x", "role", "admin"),
            Map.<String, Object>of("kind", "personal", "name", "x", "user_id", otherAdmin.userId()),
            Map.<String, Object>of("kind", "personal", "name", "x", "user_id", owner.userId()))) {
      Response r = api.post("/v1/api-keys").as(admin, "dev").json(body).send();
      assertThat(r.status()).as("%s", r).isEqualTo(403);
      assertThat(r.code()).isEqualTo("forbidden_role");
    }
    assertThat(
            api.post("/v1/api-keys")
                .as(admin, "dev")
                .json(Map.of("kind", "service", "name", "x", "role", "member"))
                .send()
                .status())
        .isEqualTo(201);
    assertThat(
            api.post("/v1/api-keys")
                .as(admin, "dev")
                .json(Map.of("kind", "personal", "name", "mine"))
                .send()
                .status())
        .isEqualTo(201);
    assertThat(
            api.post("/v1/api-keys")
                .as(owner, "dev")
                .json(Map.of("kind", "service", "name", "x", "role", "admin"))
                .send()
                .status())
        .isEqualTo(201);
  }

  /**
   * A service key may rotate the credential it authenticates with, and nothing else at its rank.
   */
  @Test
  void serviceKeyWhenRotatingItselfThenAllowed() {
    Member owner = tenants.tenant("aks");
    Member service = tenants.serviceKey(owner, "member", null, false);
    Response rotated =
        api.post("/v1/api-keys/" + service.keyId() + "/rotate")
            .scope(owner.tenantId(), "dev")
            .bearer(service.token())
            .json(Map.of("overlap_seconds", 0))
            .send();
    assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
    assertThat(
            api.get("/v1/me")
                .scope(owner.tenantId(), "dev")
                .bearer(rotated.text("token"))
                .send()
                .status())
        .isEqualTo(200);
    Member otherService = tenants.serviceKey(owner, "member", null, false);
    assertThat(
            api.post("/v1/api-keys/" + otherService.keyId() + "/revoke")
                .scope(owner.tenantId(), "dev")
                .bearer(rotated.text("token"))
                .send()
                .code())
        .isEqualTo("not_found");
  }

  @Test
  void expiredKeyWhenUsedThenUnauthorized() {
    Member owner = tenants.tenant("exp");
    Member member = tenants.user(owner, "member");
    tenants.expire(member);
    Response refused = api.get("/v1/me").as(member, "dev").send();
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("credential_expired");
  }

  @Test
  void tamperedKeyWhenUsedThenUnauthorizedWithoutEcho() {
    Member owner = tenants.tenant("tamp");
    String tampered =
        owner.token().substring(0, owner.token().length() - 1)
            + (owner.token().endsWith("a") ? "b" : "a");
    Response refused = api.get("/v1/me").scope(owner.tenantId(), "dev").bearer(tampered).send();
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("credential_invalid");
    assertThat(refused.body()).doesNotContain(tampered);
    assertThat(
            api.get("/v1/me")
                .scope(owner.tenantId(), "dev")
                .header("X-Api-Key", owner.token())
                .send()
                .status())
        .isEqualTo(200);
  }

  @Test
  void serviceKeyWhenActingOnBehalfThenEffectiveRoleIsTheLowerOfBoth() {
    Member owner = tenants.tenant("aob");
    Member viewer = tenants.user(owner, "viewer");
    Member service = tenants.serviceKey(owner, "admin", null, true);
    Response me =
        api.get("/v1/me")
            .scope(owner.tenantId(), "prod")
            .bearer(service.token())
            .header("X-User-Id", viewer.userId())
            .send();
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text("on_behalf_of")).isEqualTo(viewer.userId());
    assertThat(me.text("actor_type")).isEqualTo("service");
    assertThat(me.text("role")).isEqualTo("viewer");
    Response write =
        api.post("/v1/users")
            .scope(owner.tenantId(), "prod")
            .bearer(service.token())
            .header("X-User-Id", viewer.userId())
            .json(Map.of("email", "n@x.example", "display_name", "N", "role", "viewer"))
            .send();
    assertThat(write.status()).isEqualTo(403);
  }

  @Test
  void actOnBehalfWhenNotGrantedOrHumanOrForeignUserThenForbidden() {
    Member owner = tenants.tenant("aobx");
    Member other = tenants.tenant("aoby");
    Member member = tenants.user(owner, "member");
    Member plain = tenants.serviceKey(owner, "member", null, false);
    Member granted = tenants.serviceKey(owner, "member", null, true);
    assertThat(
            api.get("/v1/me")
                .scope(owner.tenantId(), "dev")
                .bearer(plain.token())
                .header("X-User-Id", member.userId())
                .send()
                .code())
        .isEqualTo("act_on_behalf_forbidden");
    assertThat(
            api.get("/v1/me").as(owner, "dev").header("X-User-Id", member.userId()).send().code())
        .isEqualTo("act_on_behalf_forbidden");
    assertThat(
            api.get("/v1/me")
                .scope(owner.tenantId(), "dev")
                .bearer(granted.token())
                .header("X-User-Id", other.userId())
                .send()
                .code())
        .isEqualTo("on_behalf_user_invalid");
    assertThat(
            api.get("/v1/me")
                .scope(owner.tenantId(), "dev")
                .bearer(granted.token())
                .header("X-User-Id", "bob")
                .send()
                .code())
        .isEqualTo("user_invalid");
  }

  @Test
  void serviceKeyWhenEnvNotGrantedThenForbidden() {
    Member owner = tenants.tenant("envg");
    Member service = tenants.serviceKey(owner, "member", List.of("staging"), false);
    assertThat(
            api.get("/v1/me")
                .scope(owner.tenantId(), "stage")
                .bearer(service.token())
                .send()
                .text("env"))
        .isEqualTo("staging");
    Response prod =
        api.get("/v1/me").scope(owner.tenantId(), "prod").bearer(service.token()).send();
    assertThat(prod.status()).isEqualTo(403);
    assertThat(prod.code()).isEqualTo("env_forbidden");
  }

  @Test
  void serviceKeyWhenRoleAboveCreatorThenForbidden() {
    Member owner = tenants.tenant("svc");
    Member admin = tenants.user(owner, "admin");
    Response tooHigh =
        api.post("/v1/api-keys")
            .as(admin, "dev")
            .json(Map.of("kind", "service", "name", "x", "role", "owner"))
            .send();
    assertThat(tooHigh.status()).isEqualTo(403);
    Member member = tenants.user(owner, "member");
    Response memberService =
        api.post("/v1/api-keys")
            .as(member, "dev")
            .json(Map.of("kind", "service", "name", "x", "role", "viewer"))
            .send();
    assertThat(memberService.status()).isEqualTo(403);
  }

  @Test
  void listKeysWhenMemberThenOnlyOwnPersonalKeys() {
    Member owner = tenants.tenant("lk");
    Member member = tenants.user(owner, "member");
    tenants.serviceKey(owner, "viewer", null, false);
    Response mine = api.get("/v1/api-keys").as(member, "dev").send();
    assertThat(mine.json().get("items").size()).isEqualTo(1);
    assertThat(mine.json().get("items").get(0).get("key_id").asString()).isEqualTo(member.keyId());
    assertThat(api.get("/v1/api-keys").as(owner, "dev").send().json().get("items").size())
        .isEqualTo(3);
  }

  @Test
  void listUsersWhenPagedThenCursorWalksAllInIdOrder() {
    Member owner = tenants.tenant("page");
    for (int i = 0; i < 4; i++) {
      tenants.user(owner, "viewer");
    }
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Response page =
          api.get("/v1/users?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
              .as(owner, "dev")
              .send();
      assertThat(page.status()).isEqualTo(200);
      page.json().get("items").forEach(u -> seen.add(u.get("user_id").asString()));
      cursor = page.text("next_cursor");
    } while (cursor != null);
    assertThat(seen).hasSize(5).isSorted().doesNotHaveDuplicates();
    assertThat(api.get("/v1/users?cursor=!!!notbase64").as(owner, "dev").send().code())
        .isIn("cursor_invalid", "validation_failed");
    assertThat(api.get("/v1/users?limit=0").as(owner, "dev").send().code())
        .isEqualTo("validation_failed");
  }

  @Test
  void requestIdAndTraceparentWhenSentThenEchoedAndInProblems() {
    Response r =
        api.get("/v1/me")
            .header("X-Request-Id", "req-abc-123")
            .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .send();
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("X-Request-Id")).isEqualTo("req-abc-123");
    assertThat(r.header("traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
    assertThat(r.text("request_id")).isEqualTo("req-abc-123");
    assertThat(r.text("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    Response synthesised = api.get("/v1/me").header("X-Request-Id", "bad id with spaces").send();
    assertThat(synthesised.header("X-Request-Id")).startsWith("req_");
  }

  @Test
  void malformedHeadersWhenSentThenBadRequestWithStableCodes() {
    Member owner = tenants.tenant("hdr");
    assertThat(api.get("/v1/me").scope("T_BAD", "dev").bearer(owner.token()).send().code())
        .isEqualTo("tenant_invalid");
    assertThat(api.get("/v1/me").scope(owner.tenantId(), "qa").bearer(owner.token()).send().code())
        .isEqualTo("env_invalid");
    assertThat(api.get("/v1/me").scope(owner.tenantId(), null).bearer(owner.token()).send().code())
        .isEqualTo("env_required");
    assertThat(
            api.post("/v1/users")
                .as(owner, "dev")
                .body("{not json", "application/json")
                .send()
                .code())
        .isEqualTo("validation_failed");
    assertThat(
            api.post("/v1/users")
                .as(owner, "dev")
                .json(Map.of("email", "a@b.example", "display_name", "A", "role", "boss"))
                .send()
                .code())
        .isEqualTo("validation_failed");
    assertThat(api.get("/v1/nowhere").as(owner, "dev").send().code()).isEqualTo("not_found");
  }
}
