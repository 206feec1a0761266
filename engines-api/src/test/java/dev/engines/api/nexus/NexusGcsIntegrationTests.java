package dev.engines.api.nexus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.storage.autoconfigure.GcsClients;
import dev.engines.storage.gcs.GcsRawStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same API on the GCS adapter, end to end: slot validation against the deployment's buckets,
 * streaming upload with the key under the deployment and slot prefixes, content read, derivation,
 * soft delete, presign without signing credentials, an outage (503, nothing half-written) and
 * tenant purge removing the objects. No GCS emulator runs offline, so the deployment's GCS client
 * is LocalStorageHelper's in-process fake (the {@code GcsClients} bean); everything above the
 * client is the production wiring. Runs in its own application context.
 */
@Import(NexusGcsIntegrationTests.FakeGcs.class)
class NexusGcsIntegrationTests extends IntegrationTest {

  private static final String BUCKET = "engines-api-gcs";
  private static final String OTHER_BUCKET = "engines-api-gcs-eu";
  private static final Map<String, Object> STORAGE =
      Map.of("backend", "gcs", "bucket", BUCKET, "max_object_bytes", 1048576);
  private static final Storage FAKE = LocalStorageHelper.customOptions(false).getService();
  private static final AtomicBoolean OUTAGE = new AtomicBoolean();

  /**
   * The fake behind a switch: while {@link #OUTAGE} is on, every call fails as an unreachable GCS
   * does.
   */
  private static final Storage CLIENT =
      (Storage)
          Proxy.newProxyInstance(
              Storage.class.getClassLoader(),
              new Class<?>[] {Storage.class},
              (proxy, method, args) -> {
                if (OUTAGE.get()) {
                  throw new StorageException(503, "injected outage");
                }
                try {
                  return method.invoke(FAKE, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });

  @TestConfiguration
  static class FakeGcs {
    @Bean
    GcsClients gcsClients() {
      return settings -> new GcsRawStore(settings, CLIENT);
    }
  }

  @DynamicPropertySource
  static void gcs(DynamicPropertyRegistry registry) {
    registry.add("engines.storage.backend", () -> "gcs");
    registry.add("engines.storage.gcs.bucket", () -> BUCKET);
    registry.add("engines.storage.gcs.allowed-buckets[0]", () -> OTHER_BUCKET);
    registry.add("engines.storage.gcs.project-id", () -> "engines-test");
    registry.add("engines.storage.gcs.prefix", () -> "engines/test");
  }

  @Test
  void uploadWhenBackendIsGcsThenStoredUnderPrefixesReadDerivedAndDeleted() {
    Member owner = tenants.nexusTenant("nxgcs", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    String text = "one\ntwo ana@example.com\n";
    String assetId = nexus.asset(owner, "dev", text);

    TestApi.Response meta = api.get("/v1/assets/" + assetId).as(owner, "dev").send();
    assertThat(meta.text("backend")).isEqualTo("gcs");
    assertThat(meta.text("bucket")).isEqualTo(BUCKET);
    assertThat(meta.text("sha256")).isEqualTo(Ids.sha256Hex(text));
    Blob blob = FAKE.get(BlobId.of(BUCKET, "engines/test/" + meta.text("object_key")));
    assertThat(blob).as("the object under the deployment prefix").isNotNull();
    assertThat(new String(blob.getContent(), StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().body())
        .isEqualTo(text);

    TestApi.Response run = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    assertThat(run.json().get("added").asInt()).as("%s", run).isEqualTo(2);
    TestApi.Response atoms = api.get("/v1/atoms?asset_id=" + assetId).as(owner, "dev").send();
    assertThat(atoms.body()).contains("<EMAIL_ADDRESS>").doesNotContain("ana@example.com");

    assertThat(api.delete("/v1/assets/" + assetId).as(owner, "dev").send().status()).isEqualTo(200);
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().status())
        .isEqualTo(404);
  }

  @Test
  void storageSlotWhenOtherAllowedBucketAndPrefixThenObjectThereAndUnlistedBucketRefused() {
    Member owner = tenants.nexusTenant("nxgcspre", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    tenants.configure(
        owner,
        "dev",
        "storage",
        Map.of(
            "backend",
            "gcs",
            "bucket",
            OTHER_BUCKET,
            "prefix",
            "acme/raw",
            "max_object_bytes",
            1024));
    String assetId = nexus.asset(owner, "dev", "second place\n");
    String key = "tenants/" + owner.tenantId() + "/dev/raw/" + assetId + "/notes.txt";
    assertThat(FAKE.get(BlobId.of(OTHER_BUCKET, "engines/test/acme/raw/" + key)))
        .as("the slot's bucket, the deployment prefix, then the slot prefix")
        .isNotNull();
    assertThat(FAKE.get(BlobId.of(BUCKET, "engines/test/" + key))).isNull();
    TestApi.Response big =
        api.post("/v1/assets?filename=big.bin")
            .as(owner, "dev")
            .body("x".repeat(1025), "text/plain")
            .send();
    assertThat(big.code()).as("the slot's own max_object_bytes").isEqualTo("payload_too_large");

    TestApi.Response refused =
        api.put("/v1/config/storage")
            .as(owner, "dev")
            .json(Map.of("backend", "gcs", "bucket", "someone-elses-bucket", "max_object_bytes", 1))
            .send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(400);
    assertThat(refused.body()).contains("bucket");
    TestApi.Response wrongBackend =
        api.put("/v1/config/storage")
            .as(owner, "dev")
            .json(Map.of("backend", "s3", "bucket", BUCKET, "max_object_bytes", 1))
            .send();
    assertThat(wrongBackend.status())
        .as("only the deployment's backend: %s", wrongBackend)
        .isEqualTo(400);
  }

  @Test
  void presignWhenClientCannotSignThenPresignUnsupportedAndNothingRecorded() {
    Member owner = tenants.nexusTenant("nxgcssign", STORAGE);
    TestApi.Response presign =
        api.post("/v1/assets/presign")
            .as(owner, "dev")
            .json(Map.of("filename", "a.txt", "size_bytes", 3, "sha256", Ids.sha256Hex("abc")))
            .send();
    assertThat(presign.status()).as("%s", presign).isEqualTo(501);
    assertThat(presign.code()).isEqualTo("presign_unsupported");
    assertThat(api.get("/v1/assets").as(owner, "dev").send().json().get("items")).isEmpty();
  }

  @Test
  void storageWhenGcsUnavailableThen503AndNothingHalfWritten() {
    Member owner = tenants.nexusTenant("nxgcsout", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    String assetId = nexus.asset(owner, "dev", "kept\n");
    OUTAGE.set(true);
    try {
      TestApi.Response upload =
          api.post("/v1/assets?filename=lost.txt")
              .as(owner, "dev")
              .body("lost\n", "text/plain")
              .send();
      assertThat(upload.status()).as("%s", upload).isEqualTo(503);
      assertThat(upload.code()).isEqualTo("storage_unavailable");
      TestApi.Response derive = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
      assertThat(derive.status()).as("%s", derive).isEqualTo(503);
      assertThat(derive.code()).isEqualTo("storage_unavailable");
      TestApi.Response content =
          api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send();
      assertThat(content.status()).as("%s", content).isEqualTo(503);
    } finally {
      OUTAGE.set(false);
    }
    TestApi.Response assets = api.get("/v1/assets").as(owner, "dev").send();
    assertThat(assets.json().get("items")).hasSize(1);
    assertThat(assets.json().get("items").get(0).get("asset_id").asString()).isEqualTo(assetId);
    assertThat(api.get("/v1/atoms?asset_id=" + assetId).as(owner, "dev").send().json().get("items"))
        .isEmpty();
    assertThat(
            api.get("/v1/assets/" + assetId + "/lineage")
                .as(owner, "dev")
                .send()
                .json()
                .get("derivations"))
        .isEmpty();
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().body())
        .isEqualTo("kept\n");
  }

  @Test
  void tenantPurgeWhenBackendIsGcsThenObjectsGone() {
    Member owner = tenants.nexusTenant("nxgcspur", STORAGE);
    NexusFixtures nexus = new NexusFixtures(api);
    String assetId = nexus.asset(owner, "dev", "purge me\n");
    String name = "engines/test/tenants/" + owner.tenantId() + "/dev/raw/" + assetId + "/notes.txt";
    assertThat(FAKE.get(BlobId.of(BUCKET, name))).isNotNull();
    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(owner, "dev")
            .json(Map.of("confirm_tenant_id", owner.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    assertThat(purge.json().get("complete").asBoolean()).isTrue();
    assertThat(FAKE.get(BlobId.of(BUCKET, name))).isNull();
  }
}
