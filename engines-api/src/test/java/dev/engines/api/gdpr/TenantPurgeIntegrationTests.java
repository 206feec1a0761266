package dev.engines.api.gdpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.error.EnginesException;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.nexus.NexusSlots;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.PutOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Tenant purge reaching Nexus (raw objects in the store, assets, derivations, atoms, usage log) in
 * every env, with a store failure and the retry; and erasure of raw assets indexed under a subject.
 */
@ExtendWith(OutputCaptureExtension.class)
class TenantPurgeIntegrationTests extends IntegrationTest {

  private static final Path ROOT = Path.of("target/test-data/raw");
  private static final List<String> NEXUS_TABLES =
      List.of("raw_assets", "derivations", "atoms", "usage_log");
  private static final String SECRET_TEXT =
      "purge me: maria.garcia@example.com line\nsecond line\n";

  @Autowired NexusSlots slots;

  @Autowired SubjectIndex subjectIndex;

  @Autowired PurgeFence fence;

  NexusFixtures nexus;

  @BeforeEach
  void fixtures() {
    nexus = new NexusFixtures(api);
  }

  @Test
  void tenantPurgeWhenTenantHasNexusDataInTwoEnvsThenEveryRowAndObjectGoneAndOtherTenantUntouched(
      CapturedOutput output) throws IOException {
    Member a = tenants.nexusTenant("tpur");
    Member b = tenants.nexusTenant("tpurb");
    Member adminA = tenants.user(a, "admin");
    for (String env : List.of("dev", "prod")) {
      populate(a, env);
    }
    String orphan = orphanObject(a, "prod");
    String kept = populate(b, "dev");
    Map<String, Integer> bRows = rows(b, "dev");
    List<ObjectKey> bObjects = objects(b, "dev");
    assertThat(objects(a, "dev")).hasSize(2);
    assertThat(objects(a, "prod")).hasSize(3);

    TestApi.Response refused =
        api.post("/v1/gdpr/tenant-purge")
            .as(adminA, "dev")
            .json(Map.of("confirm_tenant_id", a.tenantId()))
            .send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("forbidden_role");
    assertThat(rows(a, "dev").get("raw_assets")).isEqualTo(2);

    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(a, "dev")
            .json(Map.of("confirm_tenant_id", a.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    assertThat(purge.json().get("complete").asBoolean()).isTrue();
    assertThat(purge.json().get("deleted").get("raw_asset").asInt()).isEqualTo(4);
    assertThat(purge.json().get("deleted").get("user").asInt()).isEqualTo(2);
    assertThat(purge.json().get("remaining")).isEmpty();

    for (Env env : Env.values()) {
      assertThat(rows(a, env.wire()))
          .as("rows of %s visible to the app role in the tenant's scope", env)
          .containsOnlyKeys(NEXUS_TABLES)
          .allSatisfy((table, count) -> assertThat(count).as(table).isZero());
    }
    for (String env : List.of("dev", "prod")) {
      assertThat(objects(a, env)).as("objects of %s", env).isEmpty();
    }
    assertThat(regularFiles(ROOT.resolve("tenants").resolve(a.tenantId())))
        .as("no byte of the tenant left on disk")
        .isEmpty();
    assertThat(objects(a, "prod")).extracting(ObjectKey::value).noneMatch(k -> k.contains(orphan));
    TenantId ta = TenantId.of(a.tenantId());
    assertThat(
            tx.tenantLevel(
                ta, () -> jdbc.sql("SELECT count(*) FROM users").query(Integer.class).single()))
        .isZero();
    assertThat(
            tx.tenantLevel(
                ta,
                () ->
                    jdbc.sql("SELECT count(*) FROM gdpr_subject_records")
                        .query(Integer.class)
                        .single()))
        .isZero();

    assertThat(rows(b, "dev")).isEqualTo(bRows);
    assertThat(objects(b, "dev")).containsExactlyInAnyOrderElementsOf(bObjects);
    assertThat(api.get("/v1/assets/" + kept + "/content").as(b, "dev").send().body())
        .isEqualTo(SECRET_TEXT);

    JsonNode details = auditDetails(a).getLast();
    assertThat(details.get("raw_asset").asInt()).isEqualTo(4);
    assertThat(details.get("complete").asBoolean()).isTrue();
    String ledger =
        tx.tenantLevel(
            ta,
            () ->
                String.join(
                    "\n",
                    jdbc.sql("SELECT details::text FROM audit_entries")
                        .query(String.class)
                        .list()));
    assertThat(ledger).doesNotContain("maria.garcia").doesNotContain("purge me");
    assertThat(output.getAll()).doesNotContain("maria.garcia");
    assertThat(api.get("/v1/me").as(a, "dev").send().status()).isEqualTo(401);
  }

  @Test
  void purgedTenantWhenOperatorReadsRetainedRecordsThenAuditChainVerifiesAndLedgerPagesOut() {
    // Guards against a purged tenant's retained audit trail and ledger being readable by nobody.
    Member a = tenants.nexusTenant("tpret");
    Member b = tenants.nexusTenant("tpretb");
    String assetId = populate(a, "dev");
    api.get("/v1/me").as(a, "prod").header("X-Request-Id", "ret-prod").send();
    TestApi.Response early =
        api.get("/v1/operator/tenants/" + a.tenantId() + "/audit").operator().send();
    assertThat(early.status()).as("%s", early).isEqualTo(409);
    assertThat(early.code()).isEqualTo("tenant_not_purged");
    assertThat(
            api.post("/v1/gdpr/tenant-purge")
                .as(a, "dev")
                .json(Map.of("confirm_tenant_id", a.tenantId()))
                .send()
                .json()
                .get("complete")
                .asBoolean())
        .isTrue();
    assertThat(api.get("/v1/audit").as(a, "dev").send().status())
        .as("nobody of the tenant is left")
        .isEqualTo(401);

    String base = "/v1/operator/tenants/" + a.tenantId();
    List<String> actions = new java.util.ArrayList<>();
    String cursor = null;
    do {
      TestApi.Response page =
          api.get(base + "/audit?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
              .operator()
              .send();
      assertThat(page.status()).as("%s", page).isEqualTo(200);
      page.json()
          .get("items")
          .forEach(
              e -> {
                assertThat(e.get("tenant_id").asString()).isEqualTo(a.tenantId());
                actions.add(e.get("action").asString());
              });
      cursor = page.text("next_cursor");
    } while (cursor != null);
    assertThat(actions).startsWith("tenant.create").endsWith("tenant.purge");
    TestApi.Response verify = api.get(base + "/audit/verify").operator().send();
    assertThat(verify.json().get("valid").asBoolean()).as("%s", verify).isTrue();
    assertThat(verify.json().get("checked").asInt()).isEqualTo(actions.size());

    JsonNode dev =
        api.get(base + "/events?env=dev&ref_id=" + assetId).operator().send().json().get("items");
    assertThat(dev.size()).isPositive();
    dev.forEach(
        e ->
            assertThat(e.get("tenant_id").asString() + "/" + e.get("env").asString())
                .isEqualTo(a.tenantId() + "/dev"));
    JsonNode prod =
        api.get(base + "/events?env=prod&request_id=ret-prod")
            .operator()
            .send()
            .json()
            .get("items");
    assertThat(prod.size()).isEqualTo(1);
    JsonNode all = api.get(base + "/events?limit=500").operator().send().json().get("items");
    assertThat(all.size())
        .as("every env without env=")
        .isGreaterThanOrEqualTo(dev.size() + prod.size());
    List<String> envs = new java.util.ArrayList<>();
    all.forEach(e -> envs.add(e.get("env").asString()));
    assertThat(envs).contains("dev", "prod");
    assertThat(
            api.get("/v1/operator/tenants/t_nosuch_" + Ids.randomToken(6) + "/audit")
                .operator()
                .send()
                .status())
        .isEqualTo(404);
    assertThat(
            api.get("/v1/operator/tenants/" + b.tenantId() + "/events?env=dev")
                .operator()
                .send()
                .code())
        .isEqualTo("tenant_not_purged");
    assertThat(api.get(base + "/audit").as(b, "dev").send().code())
        .as("a tenant credential")
        .isEqualTo("forbidden_role");
  }

  @Test
  void operatorRecordsBindingWhenReadingThenOnlyThatTenantsAuditLedgerAndFence() {
    Member a = tenants.nexusTenant("tpbind");
    Member b = tenants.nexusTenant("tpbindb");
    populate(a, "dev");
    populate(b, "dev");
    TenantId ta = TenantId.of(a.tenantId());
    // per table: {rows visible, rows of other tenants visible}
    Map<String, List<Integer>> seen =
        tx.operatorRecords(
            ta,
            () -> {
              Map<String, List<Integer>> counts = new LinkedHashMap<>();
              for (String table :
                  List.of(
                      "dataset_events",
                      "audit_entries",
                      "audit_chain_heads",
                      "users",
                      "api_keys",
                      "raw_assets",
                      "atoms",
                      "env_config",
                      "pii_policies")) {
                counts.put(
                    table,
                    List.of(
                        jdbc.sql("SELECT count(*) FROM " + table).query(Integer.class).single(),
                        jdbc.sql("SELECT count(*) FROM " + table + " WHERE tenant_id <> :t")
                            .param("t", a.tenantId())
                            .query(Integer.class)
                            .single()));
              }
              return counts;
            });
    assertThat(seen)
        .as("nothing of other tenants")
        .allSatisfy((table, n) -> assertThat(n.get(1)).as(table).isZero());
    assertThat(seen.get("dataset_events").get(0)).as("the tenant's events").isPositive();
    assertThat(seen.get("audit_entries").get(0)).as("the tenant's audit entries").isPositive();
    assertThat(seen.get("audit_chain_heads").get(0)).isOne();
    for (String table :
        List.of("users", "api_keys", "raw_assets", "atoms", "env_config", "pii_policies")) {
      assertThat(seen.get(table).get(0)).as("no other table of the tenant: %s", table).isZero();
    }
    assertThatThrownBy(
            () ->
                tx.operatorRecords(
                    ta,
                    () ->
                        jdbc.sql(
                                "INSERT INTO tenant_purges (tenant_id, started_at, started_by)"
                                    + " VALUES (:t, now(), 'x')")
                            .param("t", a.tenantId())
                            .update()))
        .rootCause()
        .hasMessageContaining("read-only");
  }

  @Test
  void tenantPurgeWhenStoreCannotDeleteAnObjectThenItsRowsAndMembersStayAndSecondPurgeFinishes(
      CapturedOutput output) throws IOException {
    Member a = tenants.nexusTenant("tpfail");
    String stuck = nexus.asset(a, "dev", SECRET_TEXT);
    assertThat(nexus.derive(a, "dev", stuck, "text.lines", Map.of()).status()).isEqualTo(200);
    nexus.asset(a, "dev", "goes at once\n");
    nexus.asset(a, "prod", "prod goes too\n");
    // A non-empty directory where the object file was: the filesystem store cannot delete it.
    Path file = ROOT.resolve(Path.of("tenants", a.tenantId(), "dev", "raw", stuck, "notes.txt"));
    Files.delete(file);
    Files.createDirectories(file);
    Files.writeString(file.resolve("blocker"), "x");

    TestApi.Response first =
        api.post("/v1/gdpr/tenant-purge")
            .as(a, "dev")
            .json(Map.of("confirm_tenant_id", a.tenantId()))
            .send();
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(first.json().get("complete").asBoolean()).isFalse();
    assertThat(first.json().get("remaining").get("raw_asset").asInt()).isEqualTo(1);
    assertThat(first.json().get("deleted").get("raw_asset").asInt()).isEqualTo(2);
    assertThat(first.json().get("deleted").has("user"))
        .as("members stay so the owner can retry")
        .isFalse();
    Scope dev = Scope.of(a.tenantId(), "dev");
    assertThat(
            tx.read(
                Caller.system(dev, "test"),
                () -> jdbc.sql("SELECT asset_id FROM raw_assets").query(String.class).list()))
        .containsExactly(stuck);
    assertThat(rows(a, "dev").get("atoms")).as("the stuck asset's atoms stay with it").isEqualTo(2);
    assertThat(rows(a, "dev").get("derivations")).isOne();
    assertThat(rows(a, "prod").get("raw_assets")).isZero();
    assertThat(output.getAll())
        .contains("tenant purge: object of asset " + stuck + " not deleted")
        .doesNotContain("maria.garcia");
    assertThat(api.get("/v1/me").as(a, "dev").send().status()).isEqualTo(200);
    // The purge has started: its fence refuses new data from the members it kept.
    TestApi.Response upload =
        api.post("/v1/assets?filename=new.txt").as(a, "dev").body("new\n", "text/plain").send();
    assertThat(upload.status()).as("%s", upload).isEqualTo(409);
    assertThat(upload.code()).isEqualTo("tenant_purging");
    assertThat(
            api.post("/v1/usage")
                .as(a, "prod")
                .json(Map.of("items", List.of(Map.of("ref_type", "card", "ref_id", "c1"))))
                .send()
                .code())
        .isEqualTo("tenant_purging");
    assertThat(
            api.call("PUT", "/v1/pii/lists")
                .as(a, "dev")
                .json(Map.of("allow", List.of(), "deny", List.of("Zephyrine Quast")))
                .send()
                .code())
        .isEqualTo("tenant_purging");
    assertThat(
            api.call("PUT", "/v1/pii/policy")
                .as(a, "dev")
                .json(Map.of("default_operator", "replace"))
                .send()
                .code())
        .isEqualTo("tenant_purging");
    // The stuck object is a directory now, so no key of the layout remains at all.
    assertThat(objects(a, "dev")).as("the refused upload's object is gone").isEmpty();

    // The store recovers: the object is a file again.
    Files.delete(file.resolve("blocker"));
    Files.delete(file);
    Files.writeString(file, SECRET_TEXT);
    TestApi.Response second =
        api.post("/v1/gdpr/tenant-purge")
            .as(a, "dev")
            .json(Map.of("confirm_tenant_id", a.tenantId()))
            .send();
    assertThat(second.status()).as("%s", second).isEqualTo(200);
    assertThat(second.json().get("complete").asBoolean()).isTrue();
    assertThat(second.json().get("deleted").get("raw_asset").asInt()).isOne();
    assertThat(second.json().get("deleted").get("user").asInt()).isOne();
    for (Env env : Env.values()) {
      assertThat(rows(a, env.wire()))
          .allSatisfy((table, count) -> assertThat(count).as(table).isZero());
    }
    assertThat(regularFiles(ROOT.resolve("tenants").resolve(a.tenantId()))).isEmpty();
    List<JsonNode> audits = auditDetails(a);
    assertThat(audits).hasSize(2);
    assertThat(audits.get(0).get("complete").asBoolean()).isFalse();
    assertThat(audits.get(0).get("remaining").get("raw_asset").asInt()).isOne();
    assertThat(audits.get(1).get("complete").asBoolean()).isTrue();
    assertThat(api.get("/v1/me").as(a, "dev").send().status()).isEqualTo(401);
  }

  @Test
  void tenantPurgeWhenLegalHoldActiveThenNothingOfNexusDeleted() {
    Member a = tenants.nexusTenant("tphold");
    populate(a, "dev");
    tenants.legalHold(a);
    assertThat(
            api.post("/v1/gdpr/tenant-purge")
                .as(a, "dev")
                .json(Map.of("confirm_tenant_id", a.tenantId()))
                .send()
                .code())
        .isEqualTo("legal_hold");
    assertThat(rows(a, "dev").get("raw_assets")).isEqualTo(2);
    assertThat(objects(a, "dev")).hasSize(2);
  }

  @Test
  void
      erasureWhenSubjectHasIndexedAssetsThenListedExportedAndErasedWithTheirObjectsInTheRequestEnvOnly() {
    Member a = tenants.nexusTenant("tperase");
    String email = "asset.subject@tperase.example";
    String inDev = nexus.asset(a, "dev", "about the subject\n");
    String inProd = nexus.asset(a, "prod", "about the subject in prod\n");
    String unrelated = nexus.asset(a, "dev", "someone else\n");
    SubjectIdentifiers subject = SubjectIdentifiers.of(Map.of("email", email));
    tx.tenantLevel(
        TenantId.of(a.tenantId()),
        () -> {
          subjectIndex.register(TenantId.of(a.tenantId()), subject, "raw_asset", inDev);
          subjectIndex.register(TenantId.of(a.tenantId()), subject, "raw_asset", inProd);
          return null;
        });
    Map<String, Object> body = Map.of("identifiers", Map.of("email", email));

    TestApi.Response lookup = api.post("/v1/gdpr/subjects/lookup").as(a, "dev").json(body).send();
    assertThat(lookup.json().get("records").toString())
        .contains(inDev)
        .contains(inProd)
        .doesNotContain(unrelated);
    JsonNode export = api.post("/v1/gdpr/export").as(a, "dev").json(body).send().json();
    assertThat(export.get("records"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("type").asString()).isEqualTo("raw_asset");
              assertThat(r.get("data").get("sha256").asString()).hasSize(64);
              assertThat(r.get("data").has("content")).isFalse();
            });

    TestApi.Response erased = api.post("/v1/gdpr/erasure").as(a, "dev").json(body).send();
    assertThat(erased.status()).as("%s", erased).isEqualTo(200);
    assertThat(erased.json().get("erased").toString()).contains(inDev).doesNotContain(inProd);
    assertThat(api.get("/v1/assets/" + inDev).as(a, "dev").send().status()).isEqualTo(404);
    assertThat(api.get("/v1/assets/" + unrelated).as(a, "dev").send().status()).isEqualTo(200);
    assertThat(api.get("/v1/assets/" + inProd).as(a, "prod").send().status()).isEqualTo(200);
    assertThat(
            tx.read(
                Caller.system(Scope.of(a.tenantId(), "dev"), "test"),
                () ->
                    jdbc.sql("SELECT count(*) FROM raw_assets WHERE asset_id = :id")
                        .param("id", inDev)
                        .query(Integer.class)
                        .single()))
        .as("the row goes once its object is gone, after the erasure committed")
        .isZero();
    assertThat(erased.json().get("objects_deleted").asInt()).isEqualTo(1);
    assertThat(objects(a, "dev").toString()).doesNotContain(inDev).contains(unrelated);

    TestApi.Response prod = api.post("/v1/gdpr/erasure").as(a, "prod").json(body).send();
    assertThat(prod.json().get("erased").toString())
        .as("still indexed after the dev erasure")
        .contains(inProd);
    assertThat(api.get("/v1/assets/" + inProd).as(a, "prod").send().status()).isEqualTo(404);
  }

  /**
   * An asset with a derivation (atoms), a soft-deleted asset and a usage row in {@code env};
   * answers the first asset.
   */
  private String populate(Member owner, String env) {
    String assetId = nexus.asset(owner, env, SECRET_TEXT);
    TestApi.Response run = nexus.derive(owner, env, assetId, "text.lines", Map.of());
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    String deleted = nexus.asset(owner, env, "soon deleted\n");
    assertThat(api.delete("/v1/assets/" + deleted).as(owner, env).send().status()).isEqualTo(200);
    TestApi.Response usage =
        api.post("/v1/usage")
            .as(owner, env)
            .json(
                Map.of(
                    "items",
                    List.of(
                        Map.of("ref_type", "asset", "ref_id", assetId),
                        Map.of("ref_type", "card", "ref_id", "card_1"))))
            .send();
    assertThat(usage.status()).as("%s", usage).isEqualTo(200);
    return assetId;
  }

  /**
   * An object without a row (as a crash between store and insert leaves), written an hour ago;
   * answers its asset id.
   */
  private String orphanObject(Member owner, String env) throws IOException {
    Scope scope = Scope.of(owner.tenantId(), env);
    String assetId = "ra_orphan" + Long.toString(System.nanoTime(), 36);
    ObjectKey key = ObjectKey.rawAsset(scope, assetId, "left.txt");
    slots
        .storage(Caller.system(scope, "test"))
        .store()
        .put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}), PutOptions.of("text/plain", 10));
    Files.setLastModifiedTime(
        ROOT.resolve(key.value()), FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    return assetId;
  }

  @Test
  void tenantPurgeWhenUploadInFlightThenUploadRefusedAndNothingLeft() throws Exception {
    // The upload authenticates and starts streaming before the purge and would commit its row after
    // the purge passed its env; the fence raised first refuses it, and its object is removed.
    Member a = tenants.nexusTenant("tpfly");
    populate(a, "dev");
    byte[] body = "late bytes\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/assets?filename=late.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + a.token()
                  + "\r\nX-Tenant-Id: "
                  + a.tenantId()
                  + "\r\nX-Env: dev\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 100);
      out.flush();

      TestApi.Response purge =
          api.post("/v1/gdpr/tenant-purge")
              .as(a, "dev")
              .json(Map.of("confirm_tenant_id", a.tenantId()))
              .send();
      assertThat(purge.status()).as("%s", purge).isEqualTo(200);
      assertThat(purge.json().get("complete").asBoolean()).isTrue();

      out.write(body, 100, body.length - 100);
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 409").contains("\"code\":\"tenant_purging\"");
    }
    assertThat(rows(a, "dev")).allSatisfy((table, count) -> assertThat(count).as(table).isZero());
    assertThat(objects(a, "dev")).isEmpty();
  }

  @Test
  void purgeFenceWhenWriteHoldsItThenRaiseWaitsForItsCommitAndLaterWritesAreRefused()
      throws Exception {
    Member a = tenants.nexusTenant("tpfence");
    Scope scope = Scope.of(a.tenantId(), "dev");
    CountDownLatch checked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> write =
          threads.submit(
              () ->
                  tx.write(
                      Caller.system(scope, "test"),
                      () -> {
                        fence.requireOpen(scope);
                        checked.countDown();
                        await(release);
                        return null;
                      }));
      assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
      Future<?> raise =
          threads.submit(
              () ->
                  tx.write(
                      Caller.system(scope, "test"),
                      () -> {
                        fence.raise(scope, a.userId(), Instant.now());
                        return null;
                      }));
      // A write inside the fence keeps the purge from starting; the purge must see its row.
      assertThatThrownBy(() -> raise.get(500, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      release.countDown();
      write.get(10, TimeUnit.SECONDS);
      raise.get(10, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
    assertThatThrownBy(
            () ->
                tx.write(
                    Caller.system(scope, "test"),
                    () -> {
                      fence.requireOpen(scope);
                      return null;
                    }))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo(PurgeFence.TENANT_PURGING);
            });
    Member other = tenants.nexusTenant("tpfenceb");
    tx.write(
        Caller.system(Scope.of(other.tenantId(), "dev"), "test"),
        () -> {
          fence.requireOpen(Scope.of(other.tenantId(), "dev"));
          return null;
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Integer> rows(Member owner, String env) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String table : NEXUS_TABLES) {
      counts.put(
          table,
          tx.read(
              Caller.system(Scope.of(owner.tenantId(), env), "test"),
              () -> jdbc.sql("SELECT count(*) FROM " + table).query(Integer.class).single()));
    }
    return counts;
  }

  private List<ObjectKey> objects(Member owner, String env) {
    return NexusFixtures.objects(slots, owner, env);
  }

  private static List<Path> regularFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<JsonNode> auditDetails(Member owner) {
    return tx
        .tenantLevel(
            TenantId.of(owner.tenantId()),
            () ->
                jdbc.sql(
                        "SELECT details::text FROM audit_entries WHERE action = 'tenant.purge' ORDER BY seq")
                    .query(String.class)
                    .list())
        .stream()
        .map(TestApi.JSON::readTree)
        .toList();
  }
}
