package dev.engines.storage.s3;

import dev.engines.storage.BucketPrefix;
import dev.engines.storage.StorageTimeouts;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the S3 adapter. Cross-field rules throw from the constructor, so a bad configuration
 * stops startup instead of failing the first upload.
 *
 * @param bucket the bucket name (3–63 lowercase letters, digits, dots, hyphens)
 * @param region the AWS region, e.g. {@code eu-central-1}; any valid name for S3-compatible stores
 * @param endpoint an S3-compatible endpoint (MinIO, s3proxy) instead of AWS; http(s), without
 *     credentials, query or fragment
 * @param pathStyle address buckets as {@code endpoint/bucket/key} rather than as a host name;
 *     needed by most S3-compatible stores
 * @param keyPrefix prepended to every object key in the bucket
 * @param encryption server-side encryption requested on every upload and every presigned URL
 * @param kmsKeyId the KMS key (id, ARN or alias) for {@link Encryption#KMS}; empty means the
 *     bucket's or AWS's default KMS key
 * @param credentials where credentials come from
 * @param timeouts connect, read, attempt and total call timeouts
 * @param maxAttempts attempts per call including the first (1–10), with exponential back-off and
 *     jitter between them
 * @param partSizeBytes multipart part size and the single-PUT threshold (5 MiB – 512 MiB); an
 *     upload holds one part in memory, and objects are limited to 10,000 parts
 */
public record S3Settings(
    String bucket,
    String region,
    Optional<URI> endpoint,
    boolean pathStyle,
    BucketPrefix keyPrefix,
    Encryption encryption,
    Optional<String> kmsKeyId,
    S3Credentials credentials,
    StorageTimeouts timeouts,
    int maxAttempts,
    int partSizeBytes) {

  /**
   * These settings for another bucket and key prefix (validated as the constructor validates them).
   */
  public S3Settings at(String otherBucket, BucketPrefix otherPrefix) {
    return new S3Settings(
        otherBucket,
        region,
        endpoint,
        pathStyle,
        otherPrefix,
        encryption,
        kmsKeyId,
        credentials,
        timeouts,
        maxAttempts,
        partSizeBytes);
  }

  /** S3's smallest allowed part (except the last). */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  /** Caps the memory one upload holds. */
  public static final int MAX_PART_SIZE = 512 * 1024 * 1024;

  /** A part size that keeps memory low and still allows objects of 80 GiB. */
  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  /** Three attempts: the SDK's standard mode. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
  private static final Pattern REGION = Pattern.compile("^[a-z0-9-]{2,32}$");

  /** Server-side encryption modes. */
  public enum Encryption {
    /** No encryption header; the bucket's default encryption applies (S3 encrypts by default). */
    NONE(null),
    /** SSE-S3, {@code x-amz-server-side-encryption: AES256}. */
    AES256("AES256"),
    /** SSE-KMS, {@code x-amz-server-side-encryption: aws:kms}, optionally with a key id. */
    KMS("aws:kms");

    private final String header;

    Encryption(String header) {
      this.header = header;
    }

    /** The {@code x-amz-server-side-encryption} value, or null for none. */
    public String header() {
      return header;
    }
  }

  /**
   * Validates every field and the rules between them.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public S3Settings {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "S3 bucket must be 3-63 lowercase letters, digits, dots or hyphens");
    }
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("S3 region must be a region name such as eu-central-1");
    }
    Objects.requireNonNull(endpoint, "S3 endpoint must be an Optional");
    endpoint.ifPresent(S3Settings::checkEndpoint);
    Objects.requireNonNull(keyPrefix, "S3 key prefix must be set; use BucketPrefix.NONE");
    Objects.requireNonNull(encryption, "S3 encryption must be set; use Encryption.NONE");
    Objects.requireNonNull(kmsKeyId, "S3 KMS key id must be an Optional");
    if (kmsKeyId.isPresent() && encryption != Encryption.KMS) {
      throw new IllegalArgumentException("S3 KMS key id is only used with KMS encryption");
    }
    if (kmsKeyId.isPresent() && kmsKeyId.get().isBlank()) {
      throw new IllegalArgumentException("S3 KMS key id must not be blank");
    }
    Objects.requireNonNull(credentials, "S3 credentials must be set");
    Objects.requireNonNull(timeouts, "S3 timeouts must be set");
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("S3 max attempts must be between 1 and 10");
    }
    if (partSizeBytes < MIN_PART_SIZE || partSizeBytes > MAX_PART_SIZE) {
      throw new IllegalArgumentException("S3 part size must be between 5 MiB and 512 MiB");
    }
  }

  private static void checkEndpoint(URI uri) {
    if (!uri.isAbsolute()
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("S3 endpoint must be an absolute http(s) URI");
    }
    // Credentials in the URL would end up in logs and error messages.
    if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          "S3 endpoint must not carry user info, a query or a fragment");
    }
  }
}
