package dev.engines.storage.s3;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Builds the S3 write requests, so the encryption settings are applied in one place to single PUTs,
 * multipart uploads and presigned URLs alike, and can be checked without a network.
 */
final class S3Requests {

  /** User metadata key ({@code x-amz-meta-sha256}) holding the lowercase hex sha256. */
  static final String SHA256_METADATA = "sha256";

  private final S3Settings settings;

  S3Requests(S3Settings settings) {
    this.settings = settings;
  }

  /**
   * A single PUT of content whose sha256 is already known: the sha256 goes into the metadata and,
   * as {@code x-amz-checksum-sha256}, lets S3 reject the upload if a byte changed on the way.
   */
  PutObjectRequest putObject(String name, String contentType, long length, String sha256Hex) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(settings.bucket())
            .key(name)
            .contentType(contentType)
            .contentLength(length)
            .metadata(Map.of(SHA256_METADATA, sha256Hex))
            .checksumSHA256(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)));
    encryption(settings, request::serverSideEncryption, request::ssekmsKeyId);
    return request.build();
  }

  /**
   * Starts a multipart upload. Metadata is fixed at this point, so the sha256 is recorded only when
   * the caller declared it (it is verified before the upload completes); parts carry SHA-256
   * checksums that S3 verifies.
   */
  CreateMultipartUploadRequest createMultipartUpload(
      String name, String contentType, Optional<String> declaredSha256) {
    CreateMultipartUploadRequest.Builder request =
        CreateMultipartUploadRequest.builder()
            .bucket(settings.bucket())
            .key(name)
            .contentType(contentType)
            .checksumAlgorithm(ChecksumAlgorithm.SHA256);
    declaredSha256.ifPresent(sha256 -> request.metadata(Map.of(SHA256_METADATA, sha256)));
    encryption(settings, request::serverSideEncryption, request::ssekmsKeyId);
    return request.build();
  }

  /**
   * The request a presigned URL is signed for: content type, exact length and encryption headers
   * become signed headers, so a client cannot upload something else or skip encryption.
   */
  PutObjectRequest presignedPut(String name, String contentType, long length) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(settings.bucket())
            .key(name)
            .contentType(contentType)
            .contentLength(length);
    encryption(settings, request::serverSideEncryption, request::ssekmsKeyId);
    return request.build();
  }

  private static void encryption(
      S3Settings settings, Consumer<ServerSideEncryption> mode, Consumer<String> kmsKeyId) {
    if (settings.encryption() != S3Settings.Encryption.NONE) {
      mode.accept(ServerSideEncryption.fromValue(settings.encryption().header()));
      settings.kmsKeyId().ifPresent(kmsKeyId);
    }
  }
}
