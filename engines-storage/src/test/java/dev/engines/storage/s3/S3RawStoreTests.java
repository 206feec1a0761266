package dev.engines.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.PresignedUpload;
import dev.engines.storage.PutOptions;
import dev.engines.storage.StorageProblems;
import dev.engines.storage.StorageTimeouts;
import dev.engines.storage.TestContent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * What only the S3 adapter has: encryption headers, the bucket layout, open uploads and outages.
 */
class S3RawStoreTests {

  @RegisterExtension static final S3ProxyFixture S3 = new S3ProxyFixture();

  private static final Scope SCOPE = Scope.of("t_acme", "dev");
  private static final ObjectKey KEY = ObjectKey.rawAsset(SCOPE, "ra_k3v9x2m4q7", "report.pdf");
  private static final StorageTimeouts FAST =
      new StorageTimeouts(
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(3));

  @Test
  void writeRequestsWhenAes256ConfiguredThenEveryOneAsksForIt() {
    S3Requests requests = new S3Requests(settings(S3Settings.Encryption.AES256, Optional.empty()));

    assertThat(
            requests
                .putObject("k", "text/plain", 1, TestContent.sha256("x"))
                .serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AES256);
    assertThat(
            requests
                .createMultipartUpload("k", "text/plain", Optional.empty())
                .serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AES256);
    assertThat(requests.presignedPut("k", "text/plain", 1).serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AES256);
    assertThat(requests.presignedPut("k", "text/plain", 1).ssekmsKeyId()).isNull();
  }

  @Test
  void writeRequestsWhenKmsKeyConfiguredThenEveryOneNamesTheKey() {
    String keyArn =
        "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    S3Requests requests = new S3Requests(settings(S3Settings.Encryption.KMS, Optional.of(keyArn)));

    assertThat(requests.putObject("k", "text/plain", 1, TestContent.sha256("x")))
        .satisfies(
            r -> assertThat(r.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS))
        .satisfies(r -> assertThat(r.ssekmsKeyId()).isEqualTo(keyArn));
    assertThat(requests.createMultipartUpload("k", "text/plain", Optional.empty()).ssekmsKeyId())
        .isEqualTo(keyArn);
    assertThat(requests.presignedPut("k", "text/plain", 1).ssekmsKeyId()).isEqualTo(keyArn);
  }

  @Test
  void writeRequestsWhenNoEncryptionConfiguredThenNoneIsAskedFor() {
    S3Requests requests = new S3Requests(settings(S3Settings.Encryption.NONE, Optional.empty()));

    assertThat(
            requests
                .putObject("k", "text/plain", 1, TestContent.sha256("x"))
                .serverSideEncryption())
        .isNull();
    assertThat(
            requests
                .createMultipartUpload("k", "text/plain", Optional.empty())
                .serverSideEncryption())
        .isNull();
  }

  @Test
  void presignUploadWhenKmsConfiguredThenClientMustSendTheEncryptionHeaders() {
    S3Settings bucket = S3.newBucket(BucketPrefix.NONE, S3Settings.Encryption.NONE);
    S3Settings kms =
        new S3Settings(
            bucket.bucket(),
            bucket.region(),
            bucket.endpoint(),
            true,
            BucketPrefix.NONE,
            S3Settings.Encryption.KMS,
            Optional.of("alias/engines"),
            bucket.credentials(),
            bucket.timeouts(),
            1,
            S3Settings.MIN_PART_SIZE);

    try (S3RawStore store = new S3RawStore(kms)) {
      PresignedUpload upload =
          store.presignUpload(KEY, "application/pdf", 42, Duration.ofMinutes(1));

      assertThat(upload.requiredHeaders())
          .containsEntry("x-amz-server-side-encryption", "aws:kms")
          .containsEntry("x-amz-server-side-encryption-aws-kms-key-id", "alias/engines")
          .containsEntry("content-type", "application/pdf")
          .containsEntry("content-length", "42")
          .doesNotContainKey("host");
    }
  }

  @Test
  void
      putWhenPrefixAndEncryptionConfiguredThenSinglePutAndMultipartObjectsLiveUnderPrefixEncrypted() {
    S3Settings settings =
        S3.newBucket(new BucketPrefix("engines/eu"), S3Settings.Encryption.AES256);
    ObjectKey large = ObjectKey.rawAsset(SCOPE, "ra_k3v9x2m4q7", "large.bin");

    try (S3RawStore store = new S3RawStore(settings)) {
      store.put(KEY, TestContent.text("pdf"), PutOptions.of("application/pdf", 10));
      store.put(
          large,
          TestContent.generated(S3Settings.MIN_PART_SIZE + 1L, 3),
          PutOptions.of("application/octet-stream", Long.MAX_VALUE));
    }

    Stream<String> names =
        S3.client().listObjectsV2(r -> r.bucket(settings.bucket())).contents().stream()
            .map(S3Object::key);
    assertThat(names)
        .containsExactlyInAnyOrder("engines/eu/" + KEY.value(), "engines/eu/" + large.value());
    HeadObjectResponse small =
        S3.client().headObject(r -> r.bucket(settings.bucket()).key("engines/eu/" + KEY.value()));
    assertThat(small.metadata()).containsEntry("sha256", TestContent.sha256("pdf"));
    assertThat(small.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    HeadObjectResponse multipart =
        S3.client().headObject(r -> r.bucket(settings.bucket()).key("engines/eu/" + large.value()));
    assertThat(multipart.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
  }

  @Test
  void
      atWhenViewsOfOtherBucketsAndPrefixesThenEachWritesItsOwnLocationAndClosingAViewKeepsTheClient()
          throws IOException {
    S3Settings first = S3.newBucket(new BucketPrefix("engines"), S3Settings.Encryption.NONE);
    S3Settings second = S3.newBucket(BucketPrefix.NONE, S3Settings.Encryption.NONE);

    try (S3RawStore base = new S3RawStore(first)) {
      S3RawStore tenantPrefix = base.at(first.bucket(), new BucketPrefix("engines/acme"));
      S3RawStore otherBucket = base.at(second.bucket(), new BucketPrefix("eu"));
      tenantPrefix.put(KEY, TestContent.text("a"), PutOptions.of("application/pdf", 10));
      otherBucket.put(KEY, TestContent.text("b"), PutOptions.of("application/pdf", 10));
      tenantPrefix.close();
      otherBucket.close();

      // the views released nothing: the shared client still serves the base store
      base.put(KEY, TestContent.text("c"), PutOptions.of("application/pdf", 10));
      try (var in = base.open(KEY)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("c");
      }
    }

    assertThat(
            S3.client().listObjectsV2(r -> r.bucket(first.bucket())).contents().stream()
                .map(S3Object::key))
        .containsExactlyInAnyOrder("engines/acme/" + KEY.value(), "engines/" + KEY.value());
    assertThat(
            S3.client().listObjectsV2(r -> r.bucket(second.bucket())).contents().stream()
                .map(S3Object::key))
        .containsExactly("eu/" + KEY.value());
  }

  @Test
  void putWhenMultipartUploadFailsThenItIsAbortedNotLeftOpen() {
    S3Settings settings = S3.newBucket(BucketPrefix.NONE, S3Settings.Encryption.NONE);

    try (S3RawStore store = new S3RawStore(settings)) {
      assertThatThrownBy(
              () ->
                  store.put(
                      KEY,
                      TestContent.failingAfter(
                          3L * S3Settings.MIN_PART_SIZE, 1, S3Settings.MIN_PART_SIZE + 5),
                      PutOptions.of("application/pdf", Long.MAX_VALUE)))
          .isInstanceOfSatisfying(
              EnginesException.class,
              e -> assertThat(e.code()).isEqualTo(StorageProblems.UPLOAD_INTERRUPTED));
    }

    assertThat(S3.client().listMultipartUploads(r -> r.bucket(settings.bucket())).uploads())
        .isEmpty();
  }

  @Test
  void callsWhenEndpointUnreachableThenStorageUnavailableWithinTheTotalTimeout()
      throws IOException {
    S3Settings unreachable =
        new S3Settings(
            "engines-test",
            "us-east-1",
            Optional.of(closedPort()),
            true,
            BucketPrefix.NONE,
            S3Settings.Encryption.NONE,
            Optional.empty(),
            S3Credentials.staticKeys(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY),
            FAST,
            2,
            S3Settings.MIN_PART_SIZE);

    try (S3RawStore store = new S3RawStore(unreachable)) {
      assertUnavailableWithin(Duration.ofSeconds(5), () -> store.head(KEY));
      assertUnavailableWithin(
          Duration.ofSeconds(5),
          () -> store.put(KEY, TestContent.text("x"), PutOptions.of("text/plain", 10)));
      assertUnavailableWithin(Duration.ofSeconds(5), () -> store.open(KEY));
      assertUnavailableWithin(
          Duration.ofSeconds(5),
          () -> {
            try (Stream<ObjectKey> keys = store.list(ObjectKey.scopePrefix(SCOPE))) {
              keys.count();
            }
          });
    }
  }

  @Test
  void callsWhenCredentialsRejectedThenStorageMisconfiguredWithoutTheSecret() {
    S3Settings bucket = S3.newBucket(BucketPrefix.NONE, S3Settings.Encryption.NONE);
    String wrongSecret = "wrong-secret-that-must-not-leak";
    S3Settings wrong =
        new S3Settings(
            bucket.bucket(),
            bucket.region(),
            bucket.endpoint(),
            true,
            BucketPrefix.NONE,
            S3Settings.Encryption.NONE,
            Optional.empty(),
            S3Credentials.staticKeys(S3ProxyFixture.ACCESS_KEY, wrongSecret),
            bucket.timeouts(),
            1,
            S3Settings.MIN_PART_SIZE);

    try (S3RawStore store = new S3RawStore(wrong)) {
      assertThatThrownBy(
              () -> store.put(KEY, TestContent.text("x"), PutOptions.of("text/plain", 10)))
          .isInstanceOfSatisfying(
              EnginesException.class,
              e -> {
                assertThat(e.status()).isEqualTo(500);
                assertThat(e.code()).isEqualTo(StorageProblems.STORAGE_MISCONFIGURED);
                assertThat(e.getMessage()).doesNotContain(wrongSecret);
              });
    }
  }

  private static void assertUnavailableWithin(Duration limit, Runnable call) {
    long started = System.nanoTime();
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo(StorageProblems.STORAGE_UNAVAILABLE);
              assertThat(e.getCause()).isNotNull();
              assertThat(e.getMessage())
                  .doesNotContain(S3ProxyFixture.SECRET_KEY)
                  .doesNotContain(S3ProxyFixture.ACCESS_KEY);
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(limit);
  }

  /** A loopback port nothing listens on: bound once to get a free number, then released. */
  private static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  private static S3Settings settings(S3Settings.Encryption encryption, Optional<String> kmsKeyId) {
    return new S3Settings(
        "engines-test",
        "eu-central-1",
        Optional.empty(),
        false,
        BucketPrefix.NONE,
        encryption,
        kmsKeyId,
        S3Credentials.defaultChain(),
        StorageTimeouts.DEFAULTS,
        3,
        S3Settings.DEFAULT_PART_SIZE);
  }
}
