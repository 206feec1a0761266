package dev.engines.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi.Response;
import dev.engines.api.support.TestTenants.Member;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenancyIntegrationTests extends IntegrationTest {

  @Test
  void createTenantWhenOperatorThenOwnerKeyWorksOnce() {
    Member owner = tenants.tenant("acme");
    Response me = api.get("/v1/me").as(owner, "dev").send();
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text("role")).isEqualTo("owner");
    assertThat(me.text("actor_id")).isEqualTo(owner.userId());
    Response key = api.get("/v1/api-keys/" + owner.keyId()).as(owner, "dev").send();
    assertThat(key.body()).doesNotContain(owner.token().substring(21));
    assertThat(key.text("prefix")).isEqualTo(owner.token().substring(0, 20));
  }
}
