package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Every storage, Nexus and session route, in an env whose config slots were never set, answers 409
 * {@code config_missing} naming the slot, writes nothing, and records one failed DatasetEvent with
 * that code. Routes come from the handler mapping, so a new route of these surfaces joins by
 * existing.
 */
class ConfigMissingIntegrationTests extends IntegrationTest {

  /** Surface → the slot its routes need. */
  private static final Map<String, String> SURFACES =
      Map.of("storage", "storage", "nexus", "nexus", "session", "session");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Test
  void
      everyNexusAndSessionRouteWhenEnvHasNoSlotsThen409ConfigMissingNothingWrittenAndEventRecorded()
          throws Exception {
    // Configured for dev (and prod) only: staging has no slots at all.
    Member owner = tenants.nexusTenant("cfgmiss");
    NexusFixtures nexus = new NexusFixtures(api);
    String atomId = nexus.atom(owner, "dev");
    String assetId = nexus.asset(owner, "dev");
    Map<String, String> ids =
        Map.of(
            "assetId",
            assetId,
            "atomId",
            atomId,
            "sessionId",
            "any-session",
            "turnId",
            "tu_" + "0".repeat(32),
            "bundleId",
            "bu_" + "0".repeat(32),
            "blackboardKey",
            "k");
    List<Routes.Route> routes =
        Routes.audience(mapping, RoutePolicy.Audience.TENANT).stream()
            .filter(r -> SURFACES.containsKey(r.policy().surface()))
            .toList();
    assertThat(routes).hasSizeGreaterThanOrEqualTo(15);
    List<String> failures = new ArrayList<>();
    for (Routes.Route route : routes) {
      String requestId = "miss-" + Ids.randomToken(12);
      boolean upload = route.pattern().equals("/v1/assets") && route.method().equals("POST");
      String path = Routes.expand(route.pattern(), ids) + (upload ? "?filename=staged.txt" : "");
      TestApi.Call call =
          api.call(route.method(), path).as(owner, "staging").header("X-Request-Id", requestId);
      if (upload) {
        call.body("content that must not be stored", "text/plain");
      } else if (!route.method().equals("GET")) {
        call.json(BODIES.getOrDefault(route.toString(), "{}"));
      }
      TestApi.Response r = call.send();
      String slot = SURFACES.get(route.policy().surface());
      if (r.status() != 409
          || !"config_missing".equals(r.code())
          || !r.json().get("detail").asString().contains(slot)) {
        failures.add(route + ": " + r);
        continue;
      }
      JsonNode events =
          api.get("/v1/events?request_id=" + requestId)
              .as(owner, "staging")
              .send()
              .json()
              .get("items");
      if (events.size() != 1
          || !events.get(0).get("outcome").asString().equals("failure")
          || !events.get(0).get("error_code").asString().equals("config_missing")) {
        failures.add(route + ": events " + events);
      }
    }
    assertThat(failures).isEmpty();
    Scope staging = Scope.of(owner.tenantId(), "staging");
    for (String table :
        List.of(
            "raw_assets",
            "derivations",
            "atoms",
            "usage_log",
            "sessions",
            "session_turns",
            "session_memory",
            "session_blackboard",
            "session_bundles")) {
      assertThat(
              tx.read(
                  Caller.system(staging, "test"),
                  () -> jdbc.sql("SELECT count(*) FROM " + table).query(Integer.class).single()))
          .as("nothing written to %s", table)
          .isZero();
    }
    Path stagingObjects = Path.of("target/test-data/raw/tenants", owner.tenantId(), "staging");
    assertThat(Files.exists(stagingObjects)).as("no object stored for staging").isFalse();
  }

  @Test
  void deriveWhenOnlyStorageSlotSetThenConfigMissingNamesNexus() {
    Member owner = tenants.tenant("cfghalf");
    tenants.configure(owner, "dev", "storage", TestTenants.FILESYSTEM_STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    String assetId = nexus.asset(owner, "dev");
    TestApi.Response r = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    assertThat(r.status()).as("%s", r).isEqualTo(409);
    assertThat(r.code()).isEqualTo("config_missing");
    assertThat(r.json().get("detail").asString()).contains("nexus");
  }

  @Test
  void deriveWhenAtomizerNotEnabledInSlotThenRefusedAndCatalogueFiltered() {
    Member owner = tenants.tenant("cfgatz");
    tenants.configure(owner, "dev", "storage", TestTenants.FILESYSTEM_STORAGE);
    Map<String, Object> onlyLines = new LinkedHashMap<>(TestTenants.NEXUS);
    onlyLines.put("atomizers", List.of("text.lines"));
    tenants.configure(owner, "dev", "nexus", onlyLines);
    NexusFixtures nexus = new NexusFixtures(api);
    String assetId = nexus.asset(owner, "dev");
    assertThat(nexus.derive(owner, "dev", assetId, "text.lines", Map.of()).status()).isEqualTo(200);
    TestApi.Response refused = nexus.derive(owner, "dev", assetId, "text.paragraphs", Map.of());
    assertThat(refused.status()).as("%s", refused).isEqualTo(400);
    assertThat(refused.code()).isEqualTo("unknown_atomizer");
    JsonNode catalogue = api.get("/v1/atomizers").as(owner, "dev").send().json();
    assertThat(catalogue).hasSize(1);
    assertThat(catalogue.get(0).get("op_type").asString()).isEqualTo("text.lines");
  }

  private static final Map<String, String> BODIES =
      Map.of(
          "POST /v1/assets/presign",
              "{\"filename\":\"p.txt\",\"size_bytes\":4,\"sha256\":\"" + "0".repeat(64) + "\"}",
          "POST /v1/assets/{assetId}/derivations", "{\"op_type\":\"text.lines\"}",
          "POST /v1/usage", "{\"items\":[{\"ref_type\":\"card\",\"ref_id\":\"card_1\"}]}");
}
