package dev.engines.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi.Response;
import dev.engines.api.support.TestIdp;
import dev.engines.api.support.TestTenants.Member;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OIDC JWTs from a locally generated key pair served as a JWKS over loopback HTTP. */
class JwtAuthenticationIntegrationTests extends IntegrationTest {

  private Member memberWithIdentity(Member owner, String role, String subject) {
    Response created =
        api.post("/v1/users")
            .as(owner, "dev")
            .json(
                Map.of(
                    "email",
                    subject + "@idp.example",
                    "display_name",
                    subject,
                    "role",
                    role,
                    "idp_issuer",
                    TestIdp.ISSUER,
                    "idp_subject",
                    subject))
            .send();
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    return new Member(
        owner.tenantId(), created.text("user_id"), null, TestIdp.get().token(subject), null);
  }

  @Test
  void jwtWhenMappedMemberThenRoleComesFromMembershipNotClaims() {
    Member owner = tenants.tenant("jwt");
    Member viewer = memberWithIdentity(owner, "viewer", "sub-" + owner.tenantId());
    Response me = api.get("/v1/me").as(viewer, "dev").send();
    assertThat(me.status()).as("%s", me).isEqualTo(200);
    assertThat(me.text("actor_id")).isEqualTo(viewer.userId());
    assertThat(me.text("role"))
        .as("token claims role=owner; membership says viewer")
        .isEqualTo("viewer");
    assertThat(
            api.post("/v1/users")
                .as(viewer, "dev")
                .json(Map.of("email", "z@z.example", "display_name", "Z", "role", "viewer"))
                .send()
                .status())
        .isEqualTo(403);
  }

  @Test
  void jwtWhenNotMemberOfTenantThenTenantMismatch() {
    Member owner = tenants.tenant("jwta");
    Member other = tenants.tenant("jwtb");
    Member user = memberWithIdentity(owner, "member", "sub-" + owner.tenantId());
    Response r = api.get("/v1/me").scope(other.tenantId(), "dev").bearer(user.token()).send();
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("tenant_mismatch");
  }

  @Test
  void jwtWhenDeactivatedThenForbiddenOnNextRequest() {
    Member owner = tenants.tenant("jwtd");
    Member user = memberWithIdentity(owner, "member", "sub-" + owner.tenantId());
    assertThat(api.get("/v1/me").as(user, "dev").send().status()).isEqualTo(200);
    api.post("/v1/users/" + user.userId() + "/deactivate").as(owner, "dev").send();
    assertThat(api.get("/v1/me").as(user, "dev").send().code()).isEqualTo("user_deactivated");
  }

  @Test
  void jwtWhenUntrustedSignerIssuerAudienceOrExpiredThenUnauthorized() {
    Member owner = tenants.tenant("jwtx");
    String subject = "sub-" + owner.tenantId();
    memberWithIdentity(owner, "member", subject);
    Instant later = Instant.now().plusSeconds(300);
    for (String token :
        new String[] {
          TestIdp.get().token(false, TestIdp.ISSUER, subject, TestIdp.AUDIENCE, later),
          TestIdp.get().token(true, "https://evil.example", subject, TestIdp.AUDIENCE, later),
          TestIdp.get().token(true, TestIdp.ISSUER, subject, "someone-else", later),
          TestIdp.get()
              .token(
                  true, TestIdp.ISSUER, subject, TestIdp.AUDIENCE, Instant.now().minusSeconds(600)),
          "not.a.jwt"
        }) {
      Response r = api.get("/v1/me").scope(owner.tenantId(), "dev").bearer(token).send();
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("token_invalid");
    }
  }
}
