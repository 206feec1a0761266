package dev.engines.storage.gcs;

import dev.engines.storage.BucketPrefix;
import dev.engines.storage.StorageTimeouts;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the GCS adapter. Cross-field rules throw from the constructor, so a bad configuration
 * stops startup instead of failing the first upload.
 *
 * @param bucket the bucket name (3–63 lowercase letters, digits, hyphens, underscores, dots)
 * @param projectId the project, when the credentials do not imply one
 * @param endpoint another JSON API host (e.g. fake-gcs-server) instead of storage.googleapis.com
 * @param credentials {@link Credentials#APPLICATION_DEFAULT} (service account, workload identity)
 *     or {@link Credentials#NONE} for an emulator at {@code endpoint}
 * @param keyPrefix prepended to every object name in the bucket
 * @param kmsKeyName a Cloud KMS key ({@code projects/…/cryptoKeys/…}) for customer-managed
 *     encryption of every upload; empty means the bucket's default encryption
 * @param timeouts connect, read, per-RPC and total timeouts
 * @param maxAttempts attempts per call including the first (1–10), with exponential back-off and
 *     jitter between them
 * @param chunkSizeBytes resumable-upload chunk size and the single-request threshold, a multiple of
 *     256 KiB between 256 KiB and 256 MiB; an upload holds at most two chunks in memory
 */
public record GcsSettings(
    String bucket,
    Optional<String> projectId,
    Optional<URI> endpoint,
    Credentials credentials,
    BucketPrefix keyPrefix,
    Optional<String> kmsKeyName,
    StorageTimeouts timeouts,
    int maxAttempts,
    int chunkSizeBytes) {

  /**
   * These settings for another bucket and key prefix (validated as the constructor validates them).
   */
  public GcsSettings at(String otherBucket, BucketPrefix otherPrefix) {
    return new GcsSettings(
        otherBucket,
        projectId,
        endpoint,
        credentials,
        otherPrefix,
        kmsKeyName,
        timeouts,
        maxAttempts,
        chunkSizeBytes);
  }

  /** GCS requires chunks in multiples of this. */
  public static final int CHUNK_GRANULARITY = 256 * 1024;

  /** Caps the memory one upload holds. */
  public static final int MAX_CHUNK_SIZE = 256 * 1024 * 1024;

  /** The client library's own default chunk size. */
  public static final int DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

  /** Three attempts, as for S3. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$");
  private static final Pattern PROJECT = Pattern.compile("^[a-z][a-z0-9-]{4,28}[a-z0-9]$");

  /** Where credentials come from. */
  public enum Credentials {
    /** Google application default credentials. */
    APPLICATION_DEFAULT,
    /** No credentials: only for an emulator at an explicit endpoint. */
    NONE
  }

  /**
   * Validates every field and the rules between them.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public GcsSettings {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException(
          "GCS bucket must be 3-63 lowercase letters, digits, dots, hyphens or underscores");
    }
    Objects.requireNonNull(projectId, "GCS project id must be an Optional");
    if (projectId.isPresent() && !PROJECT.matcher(projectId.get()).matches()) {
      throw new IllegalArgumentException(
          "GCS project id must be a project id such as my-project-123");
    }
    Objects.requireNonNull(endpoint, "GCS endpoint must be an Optional");
    endpoint.ifPresent(GcsSettings::checkEndpoint);
    Objects.requireNonNull(credentials, "GCS credentials must be set");
    if (credentials == Credentials.NONE && endpoint.isEmpty()) {
      throw new IllegalArgumentException(
          "GCS without credentials is only for an emulator: set its endpoint");
    }
    Objects.requireNonNull(keyPrefix, "GCS key prefix must be set; use BucketPrefix.NONE");
    Objects.requireNonNull(kmsKeyName, "GCS KMS key name must be an Optional");
    if (kmsKeyName.isPresent() && !kmsKeyName.get().startsWith("projects/")) {
      throw new IllegalArgumentException(
          "GCS KMS key name must be a full resource name starting with projects/");
    }
    Objects.requireNonNull(timeouts, "GCS timeouts must be set");
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("GCS max attempts must be between 1 and 10");
    }
    if (chunkSizeBytes < CHUNK_GRANULARITY
        || chunkSizeBytes > MAX_CHUNK_SIZE
        || chunkSizeBytes % CHUNK_GRANULARITY != 0) {
      throw new IllegalArgumentException(
          "GCS chunk size must be a multiple of 256 KiB between 256 KiB and 256 MiB");
    }
  }

  private static void checkEndpoint(URI uri) {
    if (!uri.isAbsolute()
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("GCS endpoint must be an absolute http(s) URI");
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          "GCS endpoint must not carry user info, a query or a fragment");
    }
  }
}
