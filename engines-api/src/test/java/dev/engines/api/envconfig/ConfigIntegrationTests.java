package dev.engines.api.envconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants;
import dev.engines.api.support.TestTenants.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The per tenant/env config slots through the real API: versions, validation, concurrency, roles,
 * scoping, audit.
 */
class ConfigIntegrationTests extends IntegrationTest {

  private static final Map<String, Object> STORAGE = TestTenants.FILESYSTEM_STORAGE;

  @Test
  void putWhenWrittenTwiceThenCurrentIsNewestAndHistoryNewestFirstWithEtags() {
    Member owner = tenants.tenant("cfgver");
    TestApi.Response first = api.put("/v1/config/storage").as(owner, "dev").json(STORAGE).send();
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(first.json().get("version").asInt()).isEqualTo(1);
    assertThat(first.header("ETag")).isEqualTo("\"1\"");
    assertThat(first.json().get("settings").get("prefix").asString())
        .as("an absent prefix is stored as none")
        .isEmpty();
    TestApi.Response second =
        api.put("/v1/config/storage")
            .as(owner, "dev")
            .json(Map.of("backend", "filesystem", "prefix", "team-a/raw", "max_object_bytes", 2048))
            .send();
    assertThat(second.json().get("version").asInt()).isEqualTo(2);

    TestApi.Response current = api.get("/v1/config/storage").as(owner, "dev").send();
    assertThat(current.status()).as("%s", current).isEqualTo(200);
    assertThat(current.header("ETag")).isEqualTo("\"2\"");
    assertThat(current.json().get("settings").get("prefix").asString()).isEqualTo("team-a/raw");
    assertThat(current.json().get("settings").get("max_object_bytes").asLong()).isEqualTo(2048);
    assertThat(current.text("created_by")).isEqualTo(owner.userId());

    JsonNode history = api.get("/v1/config/storage/versions").as(owner, "dev").send().json();
    assertThat(history.get("items")).hasSize(2);
    assertThat(history.get("items").get(0).get("version").asInt()).isEqualTo(2);
    assertThat(history.get("items").get(1).get("version").asInt()).isEqualTo(1);
    TestApi.Response page = api.get("/v1/config/storage/versions?limit=1").as(owner, "dev").send();
    assertThat(page.json().get("items")).hasSize(1);
    TestApi.Response rest =
        api.get("/v1/config/storage/versions?limit=1&cursor=" + page.text("next_cursor"))
            .as(owner, "dev")
            .send();
    assertThat(rest.json().get("items").get(0).get("version").asInt()).isEqualTo(1);

    assertThat(api.get("/v1/config/storage").as(owner, "prod").send().code())
        .as("slots are per env")
        .isEqualTo("config_missing");
    assertThat(api.get("/v1/config/storage").as(owner, "prod").send().status()).isEqualTo(409);
    assertThat(api.get("/v1/config/no-such-slot").as(owner, "dev").send().status())
        .as("no such slot")
        .isEqualTo(404);
    assertThat(api.put("/v1/config/no-such-slot").as(owner, "dev").json(Map.of()).send().status())
        .isEqualTo(404);
  }

  @Test
  void putWhenStorageFieldsInvalidThenValidationFailedNamingEachField() {
    Member owner = tenants.tenant("cfgbad");
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("backend", "s3");
    bad.put("bucket", "any-bucket");
    bad.put("prefix", "../escape");
    bad.put("max_object_bytes", 104857601L);
    bad.put("region", "eu-west-1");
    TestApi.Response r = api.put("/v1/config/storage").as(owner, "dev").json(bad).send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(fields(r))
        .containsExactlyInAnyOrder("backend", "bucket", "prefix", "max_object_bytes", "region");

    TestApi.Response missing = api.put("/v1/config/storage").as(owner, "dev").json(Map.of()).send();
    assertThat(fields(missing)).containsExactlyInAnyOrder("backend", "max_object_bytes");
    TestApi.Response fraction =
        api.put("/v1/config/storage")
            .as(owner, "dev")
            .json(Map.of("backend", "filesystem", "prefix", "a//b", "max_object_bytes", 1.5))
            .send();
    assertThat(fields(fraction)).containsExactlyInAnyOrder("prefix", "max_object_bytes");
    assertThat(api.get("/v1/config/storage").as(owner, "dev").send().code())
        .as("nothing was written")
        .isEqualTo("config_missing");
  }

  @Test
  void putWhenNexusFieldsInvalidThenValidationFailedNamingEachField() {
    Member owner = tenants.tenant("cfgnx");
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("max_atoms_per_derivation", 0);
    bad.put("max_atom_text_chars", "many");
    bad.put("atomizers", List.of("text.lines", "no.such", "text.lines"));
    TestApi.Response r = api.put("/v1/config/nexus").as(owner, "dev").json(bad).send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(fields(r))
        .containsExactlyInAnyOrder(
            "max_atoms_per_derivation",
            "max_atom_text_chars",
            "max_atomize_bytes",
            "atomizers[1]",
            "atomizers[2]");
    TestApi.Response overCap =
        api.put("/v1/config/nexus")
            .as(owner, "dev")
            .json(
                Map.of(
                    "max_atoms_per_derivation",
                    100001,
                    "max_atom_text_chars",
                    65537,
                    "max_atomize_bytes",
                    67108865,
                    "atomizers",
                    List.of()))
            .send();
    assertThat(fields(overCap))
        .containsExactlyInAnyOrder(
            "max_atoms_per_derivation", "max_atom_text_chars", "max_atomize_bytes", "atomizers");
  }

  @Test
  void putWhenIfMatchIsNotTheCurrentVersionThen412AndNothingWritten() {
    Member owner = tenants.tenant("cfgcas");
    assertThat(
            api.put("/v1/config/nexus")
                .as(owner, "dev")
                .header("If-Match", "\"0\"")
                .json(TestTenants.NEXUS)
                .send()
                .status())
        .as("\"0\": create only")
        .isEqualTo(200);
    TestApi.Response stale =
        api.put("/v1/config/nexus")
            .as(owner, "dev")
            .header("If-Match", "\"0\"")
            .json(TestTenants.NEXUS)
            .send();
    assertThat(stale.status()).as("%s", stale).isEqualTo(412);
    assertThat(stale.code()).isEqualTo("precondition_failed");
    TestApi.Response current = api.get("/v1/config/nexus").as(owner, "dev").send();
    assertThat(current.json().get("version").asInt()).isEqualTo(1);
    TestApi.Response next =
        api.put("/v1/config/nexus")
            .as(owner, "dev")
            .header("If-Match", current.header("ETag"))
            .json(TestTenants.NEXUS)
            .send();
    assertThat(next.json().get("version").asInt()).isEqualTo(2);
    assertThat(
            api.put("/v1/config/nexus")
                .as(owner, "dev")
                .header("If-Match", "soon")
                .json(TestTenants.NEXUS)
                .send()
                .code())
        .isEqualTo("validation_failed");
  }

  @Test
  void configWhenCallerIsNotAdminThenForbiddenAndWhenOtherTenantThenNeverItsConfig() {
    Member a = tenants.tenant("cfgisoa");
    Member b = tenants.tenant("cfgisob");
    Member admin = tenants.user(a, "admin");
    Member member = tenants.user(a, "member");
    Member viewer = tenants.user(a, "viewer");
    tenants.configure(
        b,
        "dev",
        "storage",
        Map.of("backend", "filesystem", "prefix", "b-secret-prefix", "max_object_bytes", 10));
    for (Member m : List.of(member, viewer)) {
      assertThat(api.put("/v1/config/storage").as(m, "dev").json(STORAGE).send().code())
          .isEqualTo("forbidden_role");
      assertThat(api.get("/v1/config/storage").as(m, "dev").send().code())
          .isEqualTo("forbidden_role");
      assertThat(api.get("/v1/config/storage/versions").as(m, "dev").send().code())
          .isEqualTo("forbidden_role");
    }
    assertThat(api.put("/v1/config/storage").as(admin, "dev").json(STORAGE).send().status())
        .isEqualTo(200);

    TestApi.Response across =
        api.get("/v1/config/storage").bearer(admin.token()).scope(b.tenantId(), "dev").send();
    assertThat(across.status()).isEqualTo(403);
    assertThat(across.code()).isEqualTo("tenant_mismatch");
    assertThat(
            api.put("/v1/config/storage")
                .bearer(a.token())
                .scope(b.tenantId(), "dev")
                .json(STORAGE)
                .send()
                .status())
        .isEqualTo(403);
    TestApi.Response own = api.get("/v1/config/storage").as(a, "dev").send();
    assertThat(own.body()).doesNotContain("b-secret-prefix");
    assertThat(
            api.get("/v1/config/storage")
                .as(b, "dev")
                .send()
                .json()
                .get("settings")
                .get("prefix")
                .asString())
        .as("B's config is untouched")
        .isEqualTo("b-secret-prefix");
  }

  @Test
  void putWhenChangedThenEachChangeAuditedAndLedgered() {
    Member owner = tenants.tenant("cfgaud");
    tenants.configure(owner, "dev", "storage", STORAGE);
    tenants.configure(owner, "dev", "nexus", TestTenants.NEXUS);
    JsonNode audit =
        api.get("/v1/audit?action=config.update").as(owner, "dev").send().json().get("items");
    assertThat(audit).hasSize(2);
    List<String> targets = new ArrayList<>();
    audit.forEach(e -> targets.add(e.get("target_id").asString()));
    assertThat(targets).containsExactlyInAnyOrder("storage", "nexus");
    JsonNode storage =
        audit.get(0).get("target_id").asString().equals("storage") ? audit.get(0) : audit.get(1);
    assertThat(storage.get("target_type").asString()).isEqualTo("env_config");
    assertThat(storage.get("env").asString()).isEqualTo("dev");
    assertThat(storage.get("details").get("version").asInt()).isEqualTo(1);
    assertThat(storage.get("details").get("settings").get("backend").asString())
        .isEqualTo("filesystem");
    assertThat(api.get("/v1/audit/verify").as(owner, "dev").send().json().get("valid").asBoolean())
        .isTrue();
    JsonNode events =
        api.get("/v1/events?surface=config&action=slot.update")
            .as(owner, "dev")
            .send()
            .json()
            .get("items");
    assertThat(events).hasSize(2);
    assertThat(events.get(0).get("kind").asString()).isEqualTo("write");
  }

  private static List<String> fields(TestApi.Response r) {
    List<String> fields = new ArrayList<>();
    r.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }
}
