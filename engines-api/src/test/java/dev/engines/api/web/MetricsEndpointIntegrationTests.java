package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The management endpoints: probes are public, metrics and info need the operator credential, and
 * no metric carries a tenant (per-tenant counts are the ledger's job; a tenant label grows the
 * scrape with every tenant and lists them to whoever can read it).
 */
class MetricsEndpointIntegrationTests extends IntegrationTest {

  @Autowired
  MeterRegistry meters;

  @Test
  void prometheusWhenNoCredentialThenReturns401Problem() {
    for (String path : new String[] {"/actuator/prometheus", "/actuator/info"}) {
      TestApi.Response r = api.get(path).send();
      assertThat(r.status()).as("%s %s", path, r).isEqualTo(401);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.code()).isEqualTo("unauthenticated");
      assertThat(r.text("request_id")).isNotBlank();
    }
  }

  @Test
  void prometheusWhenTenantCredentialThenReturns403Problem() {
    Member owner = tenants.tenant("mtk");
    for (String path : new String[] {"/actuator/prometheus", "/actuator/info"}) {
      TestApi.Response r = api.get(path).as(owner, "dev").send();
      assertThat(r.status()).as("%s %s", path, r).isEqualTo(403);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.code()).isEqualTo("forbidden_role");
    }
  }

  @Test
  void prometheusWhenOperatorThenScrapesEngineSeriesWithoutAnyTenant() {
    Member owner = tenants.tenant("mtr");
    api.get("/v1/me").as(owner, "dev").send();
    api.get("/v1/users/u_aaaaaaaaaaaaaaaaaaaaaaaaaa").as(owner, "dev").send();
    api.post("/v1/users").as(owner, "dev").json(Map.of("email", "x@mtr.example", "display_name", "X", "role", "viewer")).send();
    TestApi.Response metrics = api.get("/actuator/prometheus").operator().send();
    assertThat(metrics.status()).as("%s", metrics).isEqualTo(200);
    assertThat(metrics.body()).contains("engines_requests_total").contains("engines_request_latency_seconds_bucket")
        .contains("engines_events_total");
    assertThat(metrics.body()).doesNotContain(owner.tenantId()).doesNotContain("tenant=\"");
    assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("tenant")).as("%s", m.getId()).isNull());
    assertThat(api.get("/actuator/info").operator().send().status()).isEqualTo(200);
  }

  @Test
  void probesWhenNoCredentialThenPublic() {
    assertThat(api.get("/actuator/health/liveness").send().status()).isEqualTo(200);
    assertThat(api.get("/actuator/health/readiness").send().status()).isEqualTo(200);
  }
}
