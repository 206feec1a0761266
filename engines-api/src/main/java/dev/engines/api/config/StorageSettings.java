package dev.engines.api.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * The {@code engines.storage} slot: which raw-object backend this deployment uses and its limits.
 *
 * @param backend {@code filesystem}, {@code s3} or {@code gcs}
 * @param maxObjectBytes the largest raw object accepted
 * @param filesystem settings when the backend is filesystem
 * @param s3 settings when the backend is s3
 * @param gcs settings when the backend is gcs
 */
public record StorageSettings(
    @NotNull Backend backend,
    @Positive long maxObjectBytes,
    Filesystem filesystem,
    S3 s3,
    Gcs gcs) {

  @AssertTrue(message = "the settings block named by backend (filesystem, s3 or gcs) is required")
  public boolean isBackendConfigured() {
    if (backend == null) {
      return true;
    }
    return switch (backend) {
      case FILESYSTEM -> filesystem != null && filesystem.root() != null && !filesystem.root().isBlank();
      case S3 -> s3 != null && s3.bucket() != null && !s3.bucket().isBlank() && s3.region() != null;
      case GCS -> gcs != null && gcs.bucket() != null && !gcs.bucket().isBlank();
    };
  }

  /** Storage backends. */
  public enum Backend {
    FILESYSTEM,
    S3,
    GCS
  }

  /** @param root directory under which objects are stored */
  public record Filesystem(String root) {}

  /**
   * @param endpoint optional endpoint override (MinIO, s3proxy)
   * @param pathStyle path-style addressing (needed by most S3-compatible servers)
   * @param sse none, AES256 or aws:kms
   * @param kmsKeyId the KMS key when sse is aws:kms
   */
  public record S3(String bucket, String region, String endpoint, boolean pathStyle, String prefix, String sse, String kmsKeyId) {}

  /** @param projectId GCP project; null uses the environment's default credentials project */
  public record Gcs(String bucket, String projectId, String prefix) {}
}
