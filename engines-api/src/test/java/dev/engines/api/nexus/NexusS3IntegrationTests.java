package dev.engines.api.nexus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import tools.jackson.databind.JsonNode;

/**
 * The same API on the S3 adapter, end to end against an in-process s3proxy: streaming upload,
 * presign + register, derivation, and an outage (the proxy stopped) answering 503 with nothing
 * half-written. Runs in its own application context.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NexusS3IntegrationTests extends IntegrationTest {

  private static final String ACCESS_KEY = "AKIAENGINESAPITEST";
  private static final String SECRET_KEY = "engines-api-test-secret-0123456789";
  private static final String BUCKET = "engines-api-nexus";

  /** A second bucket the deployment allows tenants to choose. */
  private static final String OTHER_BUCKET = "engines-api-nexus-eu";

  /** The storage slot of the test tenants: the deployment's first bucket, no tenant prefix. */
  private static final Map<String, Object> STORAGE =
      Map.of("backend", "s3", "bucket", BUCKET, "max_object_bytes", 104857600);

  private static final BlobStore BLOBS;
  private static final S3Proxy PROXY;

  static {
    try {
      Properties properties = new Properties();
      properties.setProperty("jclouds.identity", ACCESS_KEY);
      properties.setProperty("jclouds.credential", SECRET_KEY);
      BLOBS = BlobStores.create("transient", properties);
      PROXY =
          S3Proxy.builder()
              .blobStore(BLOBS)
              .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
              .endpoint(URI.create("http://127.0.0.1:0"))
              .build();
      PROXY.start();
      while (!"STARTED".equals(PROXY.getState())) {
        Thread.sleep(10);
      }
      BLOBS.createContainer(BUCKET);
      BLOBS.createContainer(OTHER_BUCKET);
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not start", e);
    }
  }

  @DynamicPropertySource
  static void s3(DynamicPropertyRegistry registry) {
    registry.add("engines.storage.backend", () -> "s3");
    registry.add("engines.storage.s3.bucket", () -> BUCKET);
    registry.add("engines.storage.s3.allowed-buckets[0]", () -> OTHER_BUCKET);
    registry.add("engines.storage.s3.region", () -> "us-east-1");
    registry.add("engines.storage.s3.endpoint", () -> "http://127.0.0.1:" + PROXY.getPort());
    registry.add("engines.storage.s3.path-style", () -> "true");
    registry.add("engines.storage.s3.prefix", () -> "engines/test");
    registry.add("engines.storage.s3.access-key-id", () -> ACCESS_KEY);
    registry.add("engines.storage.s3.secret-access-key", () -> SECRET_KEY);
    registry.add("engines.storage.s3.max-attempts", () -> "1");
    registry.add("engines.storage.s3.timeouts.connect", () -> "1s");
    registry.add("engines.storage.s3.timeouts.read", () -> "5s");
    registry.add("engines.storage.s3.timeouts.attempt", () -> "10s");
    registry.add("engines.storage.s3.timeouts.total", () -> "20s");
  }

  @AfterAll
  static void stop() throws Exception {
    if (!"STOPPED".equals(PROXY.getState())) {
      PROXY.stop();
    }
  }

  @Test
  @Order(1)
  void uploadWhenBackendIsS3ThenStreamsThroughAdapterAndDerives() {
    Member owner = tenants.nexusTenant("nxs3", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    String text = "one\ntwo ana@example.com\n";
    String assetId = nexus.asset(owner, "dev", text);
    TestApi.Response meta = api.get("/v1/assets/" + assetId).as(owner, "dev").send();
    assertThat(meta.text("backend")).isEqualTo("s3");
    assertThat(meta.text("sha256")).isEqualTo(Ids.sha256Hex(text));
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().body())
        .isEqualTo(text);
    TestApi.Response run = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    assertThat(run.json().get("added").asInt()).as("%s", run).isEqualTo(2);
    assertThat(BLOBS.containerExists(BUCKET)).isTrue();
  }

  @Test
  @Order(1)
  void uploadWhenSlotNamesOtherBucketAndPrefixThenObjectStoredThereAndOldAssetsStayReadable() {
    Member owner = tenants.nexusTenant("nxs3pre", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    String before = nexus.asset(owner, "dev", "first place\n");
    tenants.configure(
        owner,
        "dev",
        "storage",
        Map.of(
            "backend",
            "s3",
            "bucket",
            OTHER_BUCKET,
            "prefix",
            "acme/raw",
            "max_object_bytes",
            1024));
    String after = nexus.asset(owner, "dev", "second place\n");

    String key = "tenants/" + owner.tenantId() + "/dev/raw/" + after + "/notes.txt";
    assertThat(BLOBS.blobExists(OTHER_BUCKET, "engines/test/acme/raw/" + key))
        .as("the slot's bucket, the deployment prefix, then the slot prefix")
        .isTrue();
    assertThat(BLOBS.blobExists(BUCKET, "engines/test/" + key)).isFalse();
    TestApi.Response meta = api.get("/v1/assets/" + after).as(owner, "dev").send();
    assertThat(meta.text("bucket")).isEqualTo(OTHER_BUCKET);
    assertThat(meta.text("prefix")).isEqualTo("acme/raw");
    assertThat(meta.text("object_key")).isEqualTo(key);
    assertThat(api.get("/v1/assets/" + after + "/content").as(owner, "dev").send().body())
        .isEqualTo("second place\n");
    assertThat(api.get("/v1/assets/" + before + "/content").as(owner, "dev").send().body())
        .as("an asset written under the previous version is read where it was written")
        .isEqualTo("first place\n");
    assertThat(
            BLOBS.blobExists(
                BUCKET,
                "engines/test/tenants/" + owner.tenantId() + "/dev/raw/" + before + "/notes.txt"))
        .isTrue();
    TestApi.Response big =
        api.post("/v1/assets?filename=big.bin")
            .as(owner, "dev")
            .body("x".repeat(1025), "text/plain")
            .send();
    assertThat(big.code()).as("the slot's own max_object_bytes").isEqualTo("payload_too_large");
  }

  /**
   * Guards against one tenant's slot prefix placing its objects inside another tenant's key space,
   * where the other tenant's reconcile deleted them.
   */
  @Test
  @Order(1)
  void
      slotPrefixWhenInsideAnotherTenantsKeySpaceThenRefusedAndTheOthersReconcileDeletesNothingOfIt() {
    Member victim = tenants.nexusTenant("nxs3pv", STORAGE);
    Member attacker = tenants.nexusTenant("nxs3pa", STORAGE);
    String own = new NexusFixtures(api).asset(victim, "dev", "victim\n");
    for (String prefix :
        List.of(
            "tenants/" + victim.tenantId() + "/dev/raw", "Tenants/" + victim.tenantId() + "/dev")) {
      TestApi.Response r =
          api.put("/v1/config/storage")
              .as(attacker, "dev")
              .json(
                  Map.of(
                      "backend",
                      "s3",
                      "bucket",
                      BUCKET,
                      "prefix",
                      prefix,
                      "max_object_bytes",
                      1024))
              .send();
      assertThat(r.status()).as("%s: %s", prefix, r).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation_failed");
      assertThat(r.json().get("errors").toString()).contains("\"field\":\"prefix\"");
    }
    // What such a slot wrote before prefixes were checked: the attacker's key below the victim's
    // scope.
    String planted =
        "engines/test/tenants/"
            + victim.tenantId()
            + "/dev/raw/tenants/"
            + attacker.tenantId()
            + "/dev/raw/ra_planted0000000000/kept.txt";
    BLOBS.putBlob(
        PutObjectRequest.builder().bucket(BUCKET).key(planted).contentLength(2L).build(),
        new ByteArrayInputStream(new byte[] {1, 2}));

    TestApi.Response r =
        api.post("/v1/storage/reconcile").as(victim, "dev").json(Map.of("grace_seconds", 0)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().get("removed_objects").asInt()).isZero();
    assertThat(BLOBS.blobExists(BUCKET, planted)).as("the attacker's object").isTrue();
    assertThat(
            BLOBS.blobExists(
                BUCKET,
                "engines/test/tenants/" + victim.tenantId() + "/dev/raw/" + own + "/notes.txt"))
        .isTrue();
  }

  @Test
  @Order(1)
  void putWhenBucketNotAllowedThenValidationFailedNamingBucket() {
    Member owner = tenants.tenant("nxs3bad");
    TestApi.Response r =
        api.put("/v1/config/storage")
            .as(owner, "dev")
            .json(Map.of("backend", "s3", "bucket", "someone-elses-bucket", "max_object_bytes", 1))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.json().get("errors").toString()).contains("\"field\":\"bucket\"");
  }

  @Test
  @Order(1)
  void erasureWhenDerivationFoundTheSubjectThenBlobDeletedAndOthersKept() {
    Member owner = tenants.nexusTenant("nxs3era", STORAGE);
    Member other = tenants.nexusTenant("nxs3erb", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    String about = nexus.asset(owner, "dev", "Write to lena.park@nxs3era.example today\n");
    String unrelated = nexus.asset(owner, "dev", "Write to tom@nxs3era.example\n");
    String elsewhere = nexus.asset(other, "dev", "lena.park@nxs3era.example\n");
    for (String id : List.of(about, unrelated)) {
      assertThat(nexus.derive(owner, "dev", id, "text.lines", Map.of()).status()).isEqualTo(200);
    }
    assertThat(nexus.derive(other, "dev", elsewhere, "text.lines", Map.of()).status())
        .isEqualTo(200);
    String aboutBlob =
        "engines/test/tenants/" + owner.tenantId() + "/dev/raw/" + about + "/notes.txt";
    String unrelatedBlob =
        "engines/test/tenants/" + owner.tenantId() + "/dev/raw/" + unrelated + "/notes.txt";
    String elsewhereBlob =
        "engines/test/tenants/" + other.tenantId() + "/dev/raw/" + elsewhere + "/notes.txt";
    assertThat(BLOBS.blobExists(BUCKET, aboutBlob)).isTrue();

    TestApi.Response erased =
        api.post("/v1/gdpr/erasure")
            .as(owner, "dev")
            .json(Map.of("identifiers", Map.of("email", "lena.park@nxs3era.example")))
            .send();
    assertThat(erased.status()).as("%s", erased).isEqualTo(200);
    assertThat(erased.json().get("objects_deleted").asInt()).isEqualTo(1);
    assertThat(BLOBS.blobExists(BUCKET, aboutBlob)).isFalse();
    assertThat(BLOBS.blobExists(BUCKET, unrelatedBlob)).isTrue();
    assertThat(BLOBS.blobExists(BUCKET, elsewhereBlob)).isTrue();
    assertThat(
            tx.read(
                Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
                () ->
                    jdbc.sql("SELECT count(*) FROM atoms WHERE asset_id = :id")
                        .param("id", about)
                        .query(Integer.class)
                        .single()))
        .isZero();
  }

  @Test
  @Order(1)
  void tenantPurgeWhenAssetsLiveInTwoBucketsAndEnvsThenEveryBlobAndRowGoneAndOtherTenantKept() {
    Member owner = tenants.nexusTenant("nxs3pur", STORAGE);
    Member other = tenants.nexusTenant("nxs3purb", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    String first = nexus.asset(owner, "dev", "first bucket\n");
    assertThat(nexus.derive(owner, "dev", first, "text.lines", Map.of()).status()).isEqualTo(200);
    tenants.configure(
        owner,
        "dev",
        "storage",
        Map.of(
            "backend",
            "s3",
            "bucket",
            OTHER_BUCKET,
            "prefix",
            "purge/raw",
            "max_object_bytes",
            1024));
    String second = nexus.asset(owner, "dev", "second bucket\n");
    String prod = nexus.asset(owner, "prod", "prod env\n");
    String kept = nexus.asset(other, "dev", "other tenant\n");
    String firstBlob =
        "engines/test/tenants/" + owner.tenantId() + "/dev/raw/" + first + "/notes.txt";
    String secondBlob =
        "engines/test/purge/raw/tenants/" + owner.tenantId() + "/dev/raw/" + second + "/notes.txt";
    String prodBlob =
        "engines/test/tenants/" + owner.tenantId() + "/prod/raw/" + prod + "/notes.txt";
    String keptBlob =
        "engines/test/tenants/" + other.tenantId() + "/dev/raw/" + kept + "/notes.txt";
    assertThat(BLOBS.blobExists(BUCKET, firstBlob)).isTrue();
    assertThat(BLOBS.blobExists(OTHER_BUCKET, secondBlob)).isTrue();

    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(owner, "dev")
            .json(Map.of("confirm_tenant_id", owner.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    assertThat(purge.json().get("complete").asBoolean()).isTrue();
    assertThat(purge.json().get("deleted").get("raw_asset").asInt()).isEqualTo(3);
    assertThat(BLOBS.blobExists(BUCKET, firstBlob)).isFalse();
    assertThat(BLOBS.blobExists(OTHER_BUCKET, secondBlob))
        .as("the bucket the asset recorded, not the slot's first")
        .isFalse();
    assertThat(BLOBS.blobExists(BUCKET, prodBlob)).isFalse();
    assertThat(BLOBS.blobExists(BUCKET, keptBlob)).isTrue();
    for (String env : java.util.List.of("dev", "prod")) {
      for (String table : java.util.List.of("raw_assets", "derivations", "atoms")) {
        assertThat(
                tx.read(
                    Caller.system(Scope.of(owner.tenantId(), env), "test"),
                    () -> jdbc.sql("SELECT count(*) FROM " + table).query(Integer.class).single()))
            .as("%s in %s", table, env)
            .isZero();
      }
    }
    assertThat(api.get("/v1/assets/" + kept + "/content").as(other, "dev").send().body())
        .isEqualTo("other tenant\n");
  }

  @Test
  @Order(2)
  void presignWhenUploadedAndRegisteredThenActiveAndVerified() throws Exception {
    Member owner = tenants.nexusTenant("nxpre", STORAGE);
    Member other = tenants.nexusTenant("nxpreb", STORAGE);
    String body = "presigned bytes\n";
    String sha = Ids.sha256Hex(body);
    TestApi.Response presigned =
        api.post("/v1/assets/presign")
            .as(owner, "dev")
            .json(
                Map.of(
                    "filename",
                    "p.txt",
                    "content_type",
                    "text/plain",
                    "size_bytes",
                    body.length(),
                    "sha256",
                    sha))
            .send();
    assertThat(presigned.status()).as("%s", presigned).isEqualTo(201);
    String assetId = presigned.json().get("asset").get("asset_id").asString();
    assertThat(presigned.json().get("asset").get("status").asString()).isEqualTo("pending");
    assertThat(api.get("/v1/assets/" + assetId).as(owner, "dev").send().status())
        .as("pending assets are invisible")
        .isEqualTo(404);
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send().code())
        .isEqualTo("object_missing");

    JsonNode upload = presigned.json().get("upload");
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    upload
        .get("headers")
        .properties()
        .forEach(
            h -> {
              if (!h.getKey().equalsIgnoreCase("host")
                  && !h.getKey().equalsIgnoreCase("content-length")) {
                put.header(h.getKey(), h.getValue().asString());
              }
            });
    HttpResponse<String> stored =
        HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);

    assertThat(api.post("/v1/assets/" + assetId + "/register").as(other, "dev").send().status())
        .as("another tenant cannot register it")
        .isEqualTo(404);
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "prod").send().status())
        .isEqualTo(404);
    TestApi.Response registered =
        api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send();
    assertThat(registered.status()).as("%s", registered).isEqualTo(200);
    assertThat(registered.text("status")).isEqualTo("active");
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().body())
        .isEqualTo(body);
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send().code())
        .isEqualTo("asset_not_pending");
  }

  @Test
  @Order(3)
  void registerWhenUploadedBytesDifferThen422AndObjectRemoved() throws Exception {
    Member owner = tenants.nexusTenant("nxpremis", STORAGE);
    TestApi.Response presigned =
        api.post("/v1/assets/presign")
            .as(owner, "dev")
            .json(
                Map.of(
                    "filename",
                    "p.txt",
                    "content_type",
                    "text/plain",
                    "size_bytes",
                    4,
                    "sha256",
                    Ids.sha256Hex("good")))
            .send();
    String assetId = presigned.json().get("asset").get("asset_id").asString();
    JsonNode upload = presigned.json().get("upload");
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
            .PUT(HttpRequest.BodyPublishers.ofString("evil"));
    upload
        .get("headers")
        .properties()
        .forEach(
            h -> {
              if (!h.getKey().equalsIgnoreCase("host")
                  && !h.getKey().equalsIgnoreCase("content-length")) {
                put.header(h.getKey(), h.getValue().asString());
              }
            });
    assertThat(
            HttpClient.newHttpClient()
                .send(put.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send().code())
        .isEqualTo("content_mismatch");
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send().code())
        .isEqualTo("object_missing");
  }

  @Test
  @Order(3)
  void retentionWhenPresignedUploadNeverRegisteredThenPendingRowAndWrittenObjectPurged()
      throws Exception {
    Member owner = tenants.nexusTenant("nxstale", STORAGE);
    String body = "never registered\n";
    String stale = presignAndUpload(owner, body);
    String fresh = presignAndUpload(owner, body);
    Scope scope = Scope.of(owner.tenantId(), "dev");
    tx.write(
        Caller.system(scope, "test"),
        () ->
            jdbc.sql(
                    "UPDATE raw_assets SET imported_at = imported_at - interval '3 days' WHERE asset_id = :id")
                .param("id", stale)
                .update());
    String staleKey = "engines/test/tenants/" + owner.tenantId() + "/dev/raw/" + stale + "/p.txt";
    assertThat(BLOBS.blobExists(BUCKET, staleKey)).isTrue();

    assertThat(
            api.call("PUT", "/v1/gdpr/retention")
                .as(owner, "dev")
                .json(Map.of("data_class", "pending_uploads", "max_age_days", 1))
                .send()
                .status())
        .isEqualTo(200);
    TestApi.Response run = api.post("/v1/gdpr/retention/run").as(owner, "dev").send();
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    assertThat(run.json().get("purged").get("pending_uploads").asInt()).isEqualTo(1);
    assertThat(BLOBS.blobExists(BUCKET, staleKey))
        .as("the object written through the URL is gone too")
        .isFalse();
    assertThat(
            tx.read(
                Caller.system(scope, "test"),
                () -> jdbc.sql("SELECT asset_id FROM raw_assets").query(String.class).list()))
        .containsExactly(fresh);
    assertThat(api.post("/v1/assets/" + fresh + "/register").as(owner, "dev").send().status())
        .as("a pending upload inside the window can still be registered")
        .isEqualTo(200);
  }

  /** Presigns p.txt, PUTs {@code body} through the URL and answers the pending asset id. */
  private String presignAndUpload(Member owner, String body) throws Exception {
    TestApi.Response presigned =
        api.post("/v1/assets/presign")
            .as(owner, "dev")
            .json(
                Map.of(
                    "filename",
                    "p.txt",
                    "content_type",
                    "text/plain",
                    "size_bytes",
                    body.length(),
                    "sha256",
                    Ids.sha256Hex(body)))
            .send();
    assertThat(presigned.status()).as("%s", presigned).isEqualTo(201);
    JsonNode upload = presigned.json().get("upload");
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    upload
        .get("headers")
        .properties()
        .forEach(
            h -> {
              if (!h.getKey().equalsIgnoreCase("host")
                  && !h.getKey().equalsIgnoreCase("content-length")) {
                put.header(h.getKey(), h.getValue().asString());
              }
            });
    assertThat(
            HttpClient.newHttpClient()
                .send(put.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    return presigned.json().get("asset").get("asset_id").asString();
  }

  @Test
  @Order(4)
  void uploadWhenStorageDownThen503AndNothingRecorded() throws Exception {
    Member owner = tenants.nexusTenant("nxdown", STORAGE);
    PROXY.stop();
    TestApi.Response r =
        api.post("/v1/assets?filename=a.txt").as(owner, "dev").body("payload", "text/plain").send();
    assertThat(r.status()).as("%s", r).isEqualTo(503);
    assertThat(r.code()).isEqualTo("storage_unavailable");
    assertThat(r.body()).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
    Integer rows =
        tx.read(
            Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
            () -> jdbc.sql("SELECT count(*) FROM raw_assets").query(Integer.class).single());
    assertThat(rows).isZero();
  }
}
