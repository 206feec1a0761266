package dev.engines.api.nexus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  private static final BlobStore BLOBS;
  private static final S3Proxy PROXY;

  static {
    try {
      Properties properties = new Properties();
      properties.setProperty("jclouds.identity", ACCESS_KEY);
      properties.setProperty("jclouds.credential", SECRET_KEY);
      BLOBS = BlobStores.create("transient", properties);
      PROXY = S3Proxy.builder().blobStore(BLOBS).awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
          .endpoint(URI.create("http://127.0.0.1:0")).build();
      PROXY.start();
      while (!"STARTED".equals(PROXY.getState())) {
        Thread.sleep(10);
      }
      BLOBS.createContainer(BUCKET);
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not start", e);
    }
  }

  @DynamicPropertySource
  static void s3(DynamicPropertyRegistry registry) {
    registry.add("engines.storage.backend", () -> "s3");
    registry.add("engines.storage.s3.bucket", () -> BUCKET);
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
    Member owner = tenants.tenant("nxs3");
    NexusFixtures nexus = new NexusFixtures(api);
    String text = "one\ntwo ana@example.com\n";
    String assetId = nexus.asset(owner, "dev", text);
    TestApi.Response meta = api.get("/v1/assets/" + assetId).as(owner, "dev").send();
    assertThat(meta.text("backend")).isEqualTo("s3");
    assertThat(meta.text("sha256")).isEqualTo(Ids.sha256Hex(text));
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().body()).isEqualTo(text);
    TestApi.Response run = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    assertThat(run.json().get("added").asInt()).as("%s", run).isEqualTo(2);
    assertThat(BLOBS.containerExists(BUCKET)).isTrue();
  }

  @Test
  @Order(2)
  void presignWhenUploadedAndRegisteredThenActiveAndVerified() throws Exception {
    Member owner = tenants.tenant("nxpre");
    Member other = tenants.tenant("nxpreb");
    String body = "presigned bytes\n";
    String sha = Ids.sha256Hex(body);
    TestApi.Response presigned = api.post("/v1/assets/presign").as(owner, "dev")
        .json(Map.of("filename", "p.txt", "content_type", "text/plain", "size_bytes", body.length(), "sha256", sha)).send();
    assertThat(presigned.status()).as("%s", presigned).isEqualTo(201);
    String assetId = presigned.json().get("asset").get("asset_id").asString();
    assertThat(presigned.json().get("asset").get("status").asString()).isEqualTo("pending");
    assertThat(api.get("/v1/assets/" + assetId).as(owner, "dev").send().status()).as("pending assets are invisible").isEqualTo(404);
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send().code()).isEqualTo("object_missing");

    JsonNode upload = presigned.json().get("upload");
    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    upload.get("headers").properties().forEach(h -> {
      if (!h.getKey().equalsIgnoreCase("host") && !h.getKey().equalsIgnoreCase("content-length")) {
        put.header(h.getKey(), h.getValue().asString());
      }
    });
    HttpResponse<String> stored = HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);

    assertThat(api.post("/v1/assets/" + assetId + "/register").as(other, "dev").send().status())
        .as("another tenant cannot register it").isEqualTo(404);
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "prod").send().status()).isEqualTo(404);
    TestApi.Response registered = api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send();
    assertThat(registered.status()).as("%s", registered).isEqualTo(200);
    assertThat(registered.text("status")).isEqualTo("active");
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().body()).isEqualTo(body);
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send().code()).isEqualTo("asset_not_pending");
  }

  @Test
  @Order(3)
  void registerWhenUploadedBytesDifferThen422AndObjectRemoved() throws Exception {
    Member owner = tenants.tenant("nxpremis");
    TestApi.Response presigned = api.post("/v1/assets/presign").as(owner, "dev")
        .json(Map.of("filename", "p.txt", "content_type", "text/plain", "size_bytes", 4, "sha256", Ids.sha256Hex("good"))).send();
    String assetId = presigned.json().get("asset").get("asset_id").asString();
    JsonNode upload = presigned.json().get("upload");
    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.get("url").asString())).PUT(HttpRequest.BodyPublishers.ofString("evil"));
    upload.get("headers").properties().forEach(h -> {
      if (!h.getKey().equalsIgnoreCase("host") && !h.getKey().equalsIgnoreCase("content-length")) {
        put.header(h.getKey(), h.getValue().asString());
      }
    });
    assertThat(HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send().code()).isEqualTo("content_mismatch");
    assertThat(api.post("/v1/assets/" + assetId + "/register").as(owner, "dev").send().code()).isEqualTo("object_missing");
  }

  @Test
  @Order(4)
  void uploadWhenStorageDownThen503AndNothingRecorded() throws Exception {
    Member owner = tenants.tenant("nxdown");
    PROXY.stop();
    TestApi.Response r = api.post("/v1/assets?filename=a.txt").as(owner, "dev").body("payload", "text/plain").send();
    assertThat(r.status()).as("%s", r).isEqualTo(503);
    assertThat(r.code()).isEqualTo("storage_unavailable");
    assertThat(r.body()).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
    Integer rows = tx.read(Scope.of(owner.tenantId(), "dev"), () -> jdbc.sql("SELECT count(*) FROM raw_assets").query(Integer.class).single());
    assertThat(rows).isZero();
  }
}
