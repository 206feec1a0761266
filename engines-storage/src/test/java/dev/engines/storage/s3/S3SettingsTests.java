package dev.engines.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.storage.BucketPrefix;
import dev.engines.storage.StorageTimeouts;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3SettingsTests {

  @Test
  void newWhenKmsKeyGivenWithoutKmsEncryptionThenRejected() {
    assertThatThrownBy(
            () ->
                settings(
                    "engines-raw",
                    S3Settings.Encryption.AES256,
                    Optional.of("alias/x"),
                    Optional.empty(),
                    S3Settings.DEFAULT_PART_SIZE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KMS");
  }

  @Test
  void newWhenPartSizeOutsideS3LimitsThenRejected() {
    assertThatThrownBy(
            () ->
                settings(
                    "engines-raw",
                    S3Settings.Encryption.NONE,
                    Optional.empty(),
                    Optional.empty(),
                    S3Settings.MIN_PART_SIZE - 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                settings(
                    "engines-raw",
                    S3Settings.Encryption.NONE,
                    Optional.empty(),
                    Optional.empty(),
                    S3Settings.MAX_PART_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://minio:9000",
        "http://user:pass@minio:9000",
        "http://minio:9000/?x=1",
        "minio:9000",
        "/relative"
      })
  void newWhenEndpointIsNotAPlainHttpUriThenRejected(String endpoint) {
    assertThatThrownBy(
            () ->
                settings(
                    "engines-raw",
                    S3Settings.Encryption.NONE,
                    Optional.empty(),
                    Optional.of(URI.create(endpoint)),
                    S3Settings.DEFAULT_PART_SIZE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pass");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ab", "Engines", "engines_raw", "-engines", "engines-"})
  void newWhenBucketNameInvalidThenRejected(String bucket) {
    assertThatThrownBy(
            () ->
                settings(
                    bucket,
                    S3Settings.Encryption.NONE,
                    Optional.empty(),
                    Optional.empty(),
                    S3Settings.DEFAULT_PART_SIZE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void credentialsWhenPrintedThenSecretIsHidden() {
    S3Credentials credentials = S3Credentials.staticKeys("AKIAEXAMPLE", "very-secret-value");

    assertThat(credentials.toString()).contains("AKIAEXAMPLE").doesNotContain("very-secret-value");
    assertThat(
            settings(
                    "engines-raw",
                    S3Settings.Encryption.NONE,
                    Optional.empty(),
                    Optional.empty(),
                    S3Settings.DEFAULT_PART_SIZE)
                .toString())
        .doesNotContain("very-secret-value");
  }

  @Test
  void credentialsWhenStaticWithoutSecretOrChainWithKeysThenRejected() {
    assertThatThrownBy(() -> S3Credentials.staticKeys("AKIAEXAMPLE", " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new S3Credentials(S3Credentials.Source.DEFAULT_CHAIN, "AKIAEXAMPLE", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static S3Settings settings(
      String bucket,
      S3Settings.Encryption encryption,
      Optional<String> kmsKeyId,
      Optional<URI> endpoint,
      int partSize) {
    return new S3Settings(
        bucket,
        "eu-central-1",
        endpoint,
        false,
        BucketPrefix.NONE,
        encryption,
        kmsKeyId,
        S3Credentials.staticKeys("AKIAEXAMPLE", "very-secret-value"),
        StorageTimeouts.DEFAULTS,
        3,
        partSize);
  }
}
