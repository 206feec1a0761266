package dev.engines.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.PresignedUpload;
import dev.engines.storage.PutOptions;
import dev.engines.storage.StorageProblems;
import dev.engines.storage.StorageTimeouts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What only the GCS adapter has: V4 signing, client options and outages of the real client. */
class GcsRawStoreTests {

  private static final ObjectKey KEY =
      ObjectKey.rawAsset(Scope.of("t_acme", "dev"), "ra_k3v9x2m4q7", "report.pdf");
  private static final StorageTimeouts FAST =
      new StorageTimeouts(
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(3));

  @Test
  void presignUploadWhenCredentialsCanSignThenV4UrlBindsContentTypeAndLength()
      throws NoSuchAlgorithmException {
    Storage signing =
        LocalStorageHelper.customOptions(false).toBuilder()
            .setCredentials(serviceAccount())
            .build()
            .getService();
    GcsSettings kms =
        new GcsSettings(
            "engines-test",
            Optional.empty(),
            Optional.empty(),
            GcsSettings.Credentials.APPLICATION_DEFAULT,
            BucketPrefix.NONE,
            Optional.of("projects/p/locations/eu/keyRings/r/cryptoKeys/k"),
            StorageTimeouts.DEFAULTS,
            2,
            GcsSettings.DEFAULT_CHUNK_SIZE);

    try (GcsRawStore store = new GcsRawStore(kms, signing)) {
      PresignedUpload upload =
          store.presignUpload(KEY, "application/pdf", 42, Duration.ofMinutes(10));

      assertThat(upload.method()).isEqualTo("PUT");
      assertThat(upload.url().getPath()).isEqualTo("/engines-test/" + KEY.value());
      assertThat(upload.url().getQuery())
          .contains("X-Goog-Algorithm=GOOG4-RSA-SHA256")
          .contains("X-Goog-Expires=600")
          .contains(
              "X-Goog-SignedHeaders=content-type;host;x-goog-content-length-range;x-goog-encryption-kms-key-name");
      assertThat(upload.requiredHeaders())
          .containsEntry("Content-Type", "application/pdf")
          .containsEntry("x-goog-content-length-range", "42,42")
          .containsEntry(
              "x-goog-encryption-kms-key-name", "projects/p/locations/eu/keyRings/r/cryptoKeys/k");
    }
  }

  @Test
  void optionsCarryEndpointTimeoutsAndAttempts() {
    GcsSettings settings = emulator(URI.create("http://127.0.0.1:4443"));

    StorageOptions options = GcsRawStore.options(settings);

    assertThat(options.getHost()).isEqualTo("http://127.0.0.1:4443");
    assertThat(options.getRetrySettings().getMaxAttempts()).isEqualTo(2);
    assertThat(options.getRetrySettings().getTotalTimeoutDuration())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(options.getRetrySettings().getMaxRpcTimeoutDuration())
        .isEqualTo(Duration.ofSeconds(1));
    HttpTransportOptions transport = (HttpTransportOptions) options.getTransportOptions();
    assertThat(transport.getConnectTimeout()).isEqualTo(500);
    assertThat(transport.getReadTimeout()).isEqualTo(1000);
  }

  @Test
  void callsWhenEndpointUnreachableThenStorageUnavailableWithinTheTotalTimeout()
      throws IOException {
    try (GcsRawStore store = new GcsRawStore(emulator(closedPort()))) {
      long started = System.nanoTime();

      assertThatThrownBy(() -> store.head(KEY))
          .isInstanceOfSatisfying(
              EnginesException.class,
              e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.code()).isEqualTo(StorageProblems.STORAGE_UNAVAILABLE);
                assertThat(e.getCause()).isNotNull();
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void settingsWhenNoCredentialsWithoutEmulatorEndpointThenRejected() {
    assertThatThrownBy(
            () ->
                new GcsSettings(
                    "engines-test",
                    Optional.empty(),
                    Optional.empty(),
                    GcsSettings.Credentials.NONE,
                    BucketPrefix.NONE,
                    Optional.empty(),
                    StorageTimeouts.DEFAULTS,
                    2,
                    GcsSettings.DEFAULT_CHUNK_SIZE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsWhenChunkSizeNotAMultipleOf256KibThenRejected() {
    assertThatThrownBy(
            () ->
                new GcsSettings(
                    "engines-test",
                    Optional.empty(),
                    Optional.empty(),
                    GcsSettings.Credentials.APPLICATION_DEFAULT,
                    BucketPrefix.NONE,
                    Optional.empty(),
                    StorageTimeouts.DEFAULTS,
                    2,
                    GcsSettings.CHUNK_GRANULARITY + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static GcsSettings emulator(URI endpoint) {
    return new GcsSettings(
        "engines-test",
        Optional.of("engines-test"),
        Optional.of(endpoint),
        GcsSettings.Credentials.NONE,
        BucketPrefix.NONE,
        Optional.empty(),
        FAST,
        2,
        GcsSettings.CHUNK_GRANULARITY);
  }

  private static ServiceAccountCredentials serviceAccount() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return ServiceAccountCredentials.newBuilder()
        .setClientEmail("engines-test@engines-test.iam.gserviceaccount.com")
        .setClientId("engines-test")
        .setPrivateKey(generator.generateKeyPair().getPrivate())
        .setPrivateKeyId("test-key")
        .build();
  }

  @Test
  void atWhenViewOfAnotherPrefixThenItWritesThereAndClosingItKeepsTheSharedClient()
      throws IOException {
    Storage fake = LocalStorageHelper.customOptions(false).getService();
    GcsSettings settings =
        new GcsSettings(
            "engines-test",
            Optional.empty(),
            Optional.empty(),
            GcsSettings.Credentials.APPLICATION_DEFAULT,
            new BucketPrefix("engines"),
            Optional.empty(),
            StorageTimeouts.DEFAULTS,
            2,
            GcsSettings.DEFAULT_CHUNK_SIZE);

    try (GcsRawStore base = new GcsRawStore(settings, fake)) {
      GcsRawStore view = base.at("engines-test", new BucketPrefix("engines/acme"));
      view.put(
          KEY,
          new ByteArrayInputStream("a".getBytes(StandardCharsets.UTF_8)),
          PutOptions.of("application/pdf", 10));
      view.close();
      base.put(
          KEY,
          new ByteArrayInputStream("b".getBytes(StandardCharsets.UTF_8)),
          PutOptions.of("application/pdf", 10));

      assertThat(fake.get(BlobId.of("engines-test", "engines/acme/" + KEY.value()))).isNotNull();
      assertThat(fake.get(BlobId.of("engines-test", "engines/" + KEY.value()))).isNotNull();
      try (var in = base.open(KEY)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("b");
      }
    }
  }

  private static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
