package dev.engines.api.nexus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The object store going away and coming back while the service writes to it: a real s3proxy on a
 * fixed port, stopped and started again (a new server on the same port over the same blobs) in the
 * middle of an upload, a derivation and a tenant purge. Whatever the moment, no active asset row is
 * without its object, the outage answers 503 {@code storage_unavailable}, a reconcile after it
 * leaves no object without a row, and writes succeed again once the store is back. Its own
 * application context.
 */
class StoreOutageIntegrationTests extends IntegrationTest {

  private static final String ACCESS_KEY = "AKIAENGINESOUTAGE";
  private static final String SECRET_KEY = "engines-outage-test-secret-0123456789";
  private static final String BUCKET = "engines-outage";
  private static final Map<String, Object> STORAGE =
      Map.of("backend", "s3", "bucket", BUCKET, "max_object_bytes", 104857600);

  private static final BlobStore BLOBS;
  private static final int PORT;
  private static volatile S3Proxy proxy;

  static {
    try {
      Properties properties = new Properties();
      properties.setProperty("jclouds.identity", ACCESS_KEY);
      properties.setProperty("jclouds.credential", SECRET_KEY);
      BLOBS = BlobStores.create("transient", properties);
      try (ServerSocket free = new ServerSocket(0)) {
        PORT = free.getLocalPort();
      }
      startStore();
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
    registry.add("engines.storage.s3.endpoint", () -> "http://127.0.0.1:" + PORT);
    registry.add("engines.storage.s3.path-style", () -> "true");
    registry.add("engines.storage.s3.access-key-id", () -> ACCESS_KEY);
    registry.add("engines.storage.s3.secret-access-key", () -> SECRET_KEY);
    registry.add("engines.storage.s3.max-attempts", () -> "1");
    registry.add("engines.storage.s3.timeouts.connect", () -> "1s");
    registry.add("engines.storage.s3.timeouts.read", () -> "5s");
    registry.add("engines.storage.s3.timeouts.attempt", () -> "10s");
    registry.add("engines.storage.s3.timeouts.total", () -> "20s");
  }

  /** A new s3proxy on {@link #PORT} over {@link #BLOBS}: the store as it was before it stopped. */
  private static synchronized void startStore() throws Exception {
    S3Proxy started =
        S3Proxy.builder()
            .blobStore(BLOBS)
            .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
            .endpoint(URI.create("http://127.0.0.1:" + PORT))
            .build();
    started.start();
    while (!"STARTED".equals(started.getState())) {
      Thread.sleep(10);
    }
    proxy = started;
  }

  private static synchronized void stopStore() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  @AfterEach
  void storeBack() throws Exception {
    if (proxy == null) {
      startStore();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    stopStore();
  }

  @Test
  void uploadWhenStoreStopsMidStreamThen503NoRowAndAfterReconcileNoObjectAndUploadsSucceedAgain()
      throws Exception {
    Member owner = tenants.nexusTenant("soup", STORAGE);
    // 12 MiB: more than one multipart part, so the store has accepted part of it when it stops.
    int size = 12 << 20;
    CountDownLatch halfSent = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    InputStream body = new PausingStream(size, 7 << 20, halfSent, resume);
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + "/v1/assets?filename=big.txt"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + owner.token())
            .header("X-Tenant-Id", owner.tenantId())
            .header("X-Env", "dev")
            .header("Content-Type", "text/plain")
            .POST(
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> body), size))
            .build();
    CompletableFuture<HttpResponse<String>> upload =
        HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    assertThat(halfSent.await(30, TimeUnit.SECONDS)).isTrue();
    // Let the service push the first part to the store before it goes away.
    Thread.sleep(1500);
    stopStore();
    resume.countDown();
    HttpResponse<String> answered = upload.get(60, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(503);
    assertThat(answered.body()).contains("\"code\":\"storage_unavailable\"");
    assertThat(answered.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(rows(owner, "SELECT count(*) FROM raw_assets")).as("no asset row").isZero();

    startStore();
    reconcile(owner);
    assertThat(objects(owner)).as("no object without a row").isEmpty();
    String after = new NexusFixtures(api).asset(owner, "dev", "after the outage\n");
    assertThat(objects(owner)).hasSize(1).allMatch(k -> k.contains(after));
    assertEveryActiveAssetHasItsObject(owner);
  }

  @Test
  void derivationWhenStoreStopsWhileItRunsThenAllOrNothingAndTheRerunHasTheSameAtoms()
      throws Exception {
    Member owner = tenants.nexusTenant("soder", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < (3 << 20); i++) {
      text.append("line ").append(i).append(" of a text the derivation reads from the store\n");
    }
    String assetId = nexus.asset(owner, "dev", text.toString());
    CompletableFuture<TestApi.Response> run =
        CompletableFuture.supplyAsync(
            () -> nexus.derive(owner, "dev", assetId, "text.window", Map.of("size", 4000)));
    Thread.sleep(30);
    stopStore();
    TestApi.Response during = run.get(60, TimeUnit.SECONDS);
    // The moment the store stopped decides which; either way nothing is half there.
    long derivations = rows(owner, "SELECT count(*) FROM derivations");
    long atoms = rows(owner, "SELECT count(*) FROM atoms");
    if (during.status() == 200) {
      assertThat(derivations).isEqualTo(1);
      assertThat(atoms).isEqualTo(during.json().get("atoms").asLong());
    } else {
      assertThat(during.status()).as("%s", during).isEqualTo(503);
      assertThat(during.code()).isEqualTo("storage_unavailable");
      assertThat(derivations).as("no derivation row").isZero();
      assertThat(atoms).as("no atom of it").isZero();
    }
    TestApi.Response down = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    assertThat(down.status()).as("%s", down).isEqualTo(503);
    assertThat(down.code()).isEqualTo("storage_unavailable");

    startStore();
    TestApi.Response again =
        nexus.derive(owner, "dev", assetId, "text.window", Map.of("size", 4000));
    assertThat(again.status()).as("%s", again).isEqualTo(200);
    long total = again.json().get("atoms").asLong();
    assertThat(rows(owner, "SELECT count(*) FROM atoms")).isEqualTo(total);
    if (during.status() == 200) {
      assertThat(again.text("derivation_id")).isEqualTo(during.text("derivation_id"));
      assertThat(again.json().get("added").asLong()).isZero();
    } else {
      assertThat(again.json().get("added").asLong()).isEqualTo(total);
    }
    assertEveryActiveAssetHasItsObject(owner);
  }

  @Test
  void tenantPurgeWhenStoreStopsMidwayThenNoRowWithoutItsObjectAndTheRerunCompletes()
      throws Exception {
    Member owner = tenants.nexusTenant("sopur", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    for (int i = 0; i < 20; i++) {
      nexus.asset(owner, "dev", "asset " + i + "\n");
    }
    CompletableFuture<TestApi.Response> purge =
        CompletableFuture.supplyAsync(
            () ->
                api.post("/v1/gdpr/tenant-purge")
                    .as(owner, "dev")
                    .json(Map.of("confirm_tenant_id", owner.tenantId()))
                    .send());
    Thread.sleep(40);
    stopStore();
    TestApi.Response during = purge.get(60, TimeUnit.SECONDS);
    // Objects go before their rows: whatever the store refused keeps its row, and its object.
    assertThat(during.status()).as("%s", during).isIn(200, 503);
    boolean complete = during.status() == 200 && during.json().get("complete").asBoolean();
    if (during.status() == 503) {
      assertThat(during.code()).isEqualTo("storage_unavailable");
    }
    assertEveryAssetRowHasItsObject(owner);

    startStore();
    if (!complete) {
      TestApi.Response again =
          api.post("/v1/gdpr/tenant-purge")
              .as(owner, "dev")
              .json(Map.of("confirm_tenant_id", owner.tenantId()))
              .send();
      assertThat(again.status()).as("%s", again).isEqualTo(200);
      assertThat(again.json().get("complete").asBoolean()).as("%s", again).isTrue();
    }
    assertThat(rows(owner, "SELECT count(*) FROM raw_assets")).isZero();
    assertThat(objects(owner)).as("every object of the tenant gone").isEmpty();
  }

  private void reconcile(Member owner) {
    TestApi.Response r =
        api.post("/v1/storage/reconcile").as(owner, "dev").json(Map.of("grace_seconds", 0)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  /** The keys of the tenant's objects in the bucket. */
  private static List<String> objects(Member owner) {
    return BLOBS
        .list(
            ListObjectsV2Request.builder()
                .bucket(BUCKET)
                .prefix("tenants/" + owner.tenantId() + "/")
                .build())
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  private long rows(Member owner, String sql) {
    return tx.read(
        Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
        () -> jdbc.sql(sql).query(Long.class).single());
  }

  private void assertEveryActiveAssetHasItsObject(Member owner) {
    assertObjects(owner, "SELECT object_key FROM raw_assets WHERE status = 'active'");
  }

  private void assertEveryAssetRowHasItsObject(Member owner) {
    assertObjects(owner, "SELECT object_key FROM raw_assets WHERE status <> 'pending'");
  }

  private void assertObjects(Member owner, String sql) {
    List<String> keys =
        tx.read(
            Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
            () -> jdbc.sql(sql).query(String.class).list());
    for (String key : keys) {
      assertThat(BLOBS.blobExists(BUCKET, key)).as("the object of row %s", key).isTrue();
    }
  }

  /**
   * {@code size} bytes of text; after {@code pauseAt} of them it signals {@code reached} and waits
   * for {@code resume}, so a test can act while an upload is half sent.
   */
  private static final class PausingStream extends InputStream {
    private final long size;
    private final long pauseAt;
    private final CountDownLatch reached;
    private final CountDownLatch resume;
    private long sent;

    PausingStream(long size, long pauseAt, CountDownLatch reached, CountDownLatch resume) {
      this.size = size;
      this.pauseAt = pauseAt;
      this.reached = reached;
      this.resume = resume;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (sent >= size) {
        return -1;
      }
      if (sent == pauseAt) {
        reached.countDown();
        try {
          resume.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      long limit = sent < pauseAt ? pauseAt : size;
      int n = (int) Math.min(len, limit - sent);
      Arrays.fill(b, off, off + n, (byte) 'x');
      for (int i = off + 63; i < off + n; i += 64) {
        b[i] = '\n';
      }
      sent += n;
      return n;
    }
  }
}
