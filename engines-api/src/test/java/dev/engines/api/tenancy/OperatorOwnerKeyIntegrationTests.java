package dev.engines.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/operator/tenants/{id}/owner-keys}: how {@code bin/engines key} gets a tenant back
 * in.
 */
class OperatorOwnerKeyIntegrationTests extends IntegrationTest {

  @Test
  void ownerKeyWhenOperatorThen201WithAWorkingOwnerKeyShownOnceAndAudited() {
    Member owner = tenants.tenant("okey");
    TestApi.Response minted =
        api.post("/v1/operator/tenants/" + owner.tenantId() + "/owner-keys").operator().send();
    assertThat(minted.status()).as("%s", minted).isEqualTo(201);
    String token = minted.json().get("token").asString();
    String keyId = minted.json().get("key").get("key_id").asString();
    assertThat(token).startsWith("eng_").isNotEqualTo(owner.token());
    assertThat(minted.header("Location")).isEqualTo("/v1/api-keys/" + keyId);

    TestApi.Response me = api.get("/v1/me").bearer(token).scope(owner.tenantId(), "dev").send();
    assertThat(me.status()).as("%s", me).isEqualTo(200);
    assertThat(me.json().toString()).contains(owner.userId()).contains("owner");
    // The key list never shows a secret again; the audit chain names the operator as its issuer.
    assertThat(api.get("/v1/api-keys/" + keyId).as(owner, "dev").send().body())
        .doesNotContain(token);
    JsonNode audit =
        api.get("/v1/audit?action=api_key.create").as(owner, "dev").send().json().get("items");
    assertThat(audit.toString()).contains(keyId).contains("\"operator\"");
  }

  @Test
  void ownerKeyWhenTenantCredentialThen403AndWhenUnknownTenantThen404() {
    Member owner = tenants.tenant("okez");
    TestApi.Response byTenant =
        api.post("/v1/operator/tenants/" + owner.tenantId() + "/owner-keys")
            .as(owner, "dev")
            .send();
    assertThat(byTenant.status()).isEqualTo(403);
    assertThat(byTenant.code()).isEqualTo("forbidden_role");
    TestApi.Response unknown =
        api.post("/v1/operator/tenants/t_nobody_here/owner-keys").operator().send();
    assertThat(unknown.status()).as("%s", unknown).isEqualTo(404);
  }

  @Test
  void ownerKeyWhenTenantSuspendedThen409TenantNotActive() {
    Member owner = tenants.tenant("okes");
    assertThat(
            api.post("/v1/operator/tenants/" + owner.tenantId() + "/suspend")
                .operator()
                .send()
                .status())
        .isEqualTo(200);
    TestApi.Response refused =
        api.post("/v1/operator/tenants/" + owner.tenantId() + "/owner-keys").operator().send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("tenant_not_active");
  }
}
