package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The management endpoints: probes are public, metrics and info need the operator credential, and
 * no metric carries a tenant (per-tenant counts are the ledger's job; a tenant label grows the
 * scrape with every tenant and lists them to whoever can read it).
 */
class MetricsEndpointIntegrationTests extends IntegrationTest {

  @Autowired MeterRegistry meters;

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
    api.post("/v1/users")
        .as(owner, "dev")
        .json(Map.of("email", "x@mtr.example", "display_name", "X", "role", "viewer"))
        .send();
    TestApi.Response metrics = api.get("/actuator/prometheus").operator().send();
    assertThat(metrics.status()).as("%s", metrics).isEqualTo(200);
    // Spring's request observation with this service's tags; the hand-written request metrics are
    // gone.
    assertThat(metrics.body())
        .contains("http_server_requests_seconds_bucket{")
        .containsPattern(
            "http_server_requests_seconds_count\\{code=\"none\",env=\"dev\",[^}]*method=\"GET\","
                + "outcome=\"SUCCESS\",status=\"200\",uri=\"/v1/me\"}")
        .containsPattern(
            "http_server_requests_seconds_count\\{code=\"not_found\",env=\"dev\",[^}]*status=\"404\","
                + "uri=\"/v1/users/\\{userId}\"}")
        // Eleven fixed latency buckets and +Inf per series, not Micrometer's ~70.
        .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/v1/me\",le=\"0.005\"}")
        .doesNotContain("le=\"0.001048576\"")
        .contains("engines_events_total")
        .doesNotContain("engines_requests_total")
        .doesNotContain("engines_request_latency");
    assertThat(metrics.body()).doesNotContain(owner.tenantId()).doesNotContain("tenant=\"");
    assertThat(meters.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getTag("tenant")).as("%s", m.getId()).isNull());
    assertThat(api.get("/actuator/info").operator().send().status()).isEqualTo(200);
  }

  /**
   * Guards against a tenant-shaped label anywhere in the scrape: the number of series with 500
   * tenants is the number with 2, after the same kinds of requests (success, 404 problem, 403
   * problem, creation) by several of them.
   */
  @Test
  void seriesWhen500TenantsThenAsManyAsWithTwo() {
    List<Member> first = List.of(tenants.tenant("mca"), tenants.tenant("mcb"));
    first.forEach(this::traffic);
    first.forEach(this::traffic);
    api.get("/actuator/prometheus").operator().send();
    String withTwo = api.get("/actuator/prometheus").operator().send().body();

    List<Member> more = new ArrayList<>();
    for (int i = 0; i < 498; i++) {
      more.add(tenants.tenant("mcn"));
    }
    more.stream().limit(25).forEach(this::traffic);
    String with500 = api.get("/actuator/prometheus").operator().send().body();

    Set<String> seriesWithTwo = series(withTwo);
    Set<String> seriesWith500 = series(with500);
    System.out.printf(
        "metrics cardinality: %d series with 2 tenants, %d with 500 (%d bytes, %d bytes)%n",
        seriesWithTwo.size(), seriesWith500.size(), withTwo.length(), with500.length());
    assertThat(seriesWith500).as("series added by 498 more tenants").isEqualTo(seriesWithTwo);
    assertThat(with500)
        .doesNotContain(more.get(0).tenantId())
        .doesNotContain(first.get(0).tenantId());
  }

  /** Requests ending in each class of outcome the service answers. */
  private void traffic(Member owner) {
    assertThat(api.get("/v1/me").as(owner, "dev").send().status()).isEqualTo(200);
    assertThat(api.get("/v1/users/u_aaaaaaaaaaaaaaaaaaaaaaaaaa").as(owner, "dev").send().status())
        .isEqualTo(404);
    assertThat(api.get("/actuator/prometheus").as(owner, "dev").send().status()).isEqualTo(403);
    assertThat(
            api.post("/v1/users")
                .as(owner, "dev")
                .json(
                    Map.of(
                        "email",
                        Ids.randomToken(8) + "@mc.example",
                        "display_name",
                        "X",
                        "role",
                        "viewer"))
                .send()
                .status())
        .isEqualTo(201);
  }

  /**
   * The series of a scrape: name and labels of every sample. JVM garbage collection series are left
   * out: their {@code cause} label appears with the collector's work (a first humongous
   * allocation), not with tenants.
   */
  private static Set<String> series(String scrape) {
    return scrape
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("jvm_gc_"))
        .map(l -> l.substring(0, l.lastIndexOf(' ')))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void probesWhenNoCredentialThenPublic() {
    assertThat(api.get("/actuator/health/liveness").send().status()).isEqualTo(200);
    assertThat(api.get("/actuator/health/readiness").send().status()).isEqualTo(200);
  }
}
