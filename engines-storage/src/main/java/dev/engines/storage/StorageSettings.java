package dev.engines.storage;

import dev.engines.core.config.RequiredSettings;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.storage} slot: which raw-object backend this deployment offers, its
 * credentials and endpoint, the buckets tenants may choose and the caps. This is the outer bound:
 * each tenant/env picks its own bucket, prefix and object limit in its stored {@code storage} slot
 * ({@code PUT /v1/config/storage}), within these bounds, and an env without one cannot store
 * anything. Nothing here is a default a tenant falls back to. Required.
 *
 * @param backend {@code filesystem}, {@code s3} or {@code gcs}: the only backend tenant slots may
 *     name
 * @param maxObjectBytes the cap of a tenant slot's {@code max_object_bytes}
 * @param filesystem settings when the backend is filesystem
 * @param s3 settings when the backend is s3
 * @param gcs settings when the backend is gcs
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.storage")
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
      case FILESYSTEM ->
          filesystem != null && filesystem.root() != null && !filesystem.root().isBlank();
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

  /**
   * @param root directory under which objects are stored; a relative path resolves against the
   *     working directory
   */
  public record Filesystem(String root) {}

  /**
   * The S3 adapter's settings.
   *
   * @param bucket a bucket tenant slots may choose
   * @param allowedBuckets further buckets tenant slots may choose (same region, endpoint and
   *     credentials)
   * @param region the region (any valid name for S3-compatible stores)
   * @param endpoint optional endpoint override (MinIO, s3proxy)
   * @param pathStyle path-style addressing (needed by most S3-compatible servers)
   * @param prefix optional deployment key prefix in every bucket; a tenant slot's prefix goes
   *     inside it
   * @param sse none, AES256 or aws:kms
   * @param kmsKeyId the KMS key when sse is aws:kms
   * @param accessKeyId a static access key id; leave both keys unset to use the AWS default chain
   * @param secretAccessKey the static secret; supply it from a secret store, never from a file
   * @param maxAttempts attempts per call including the first (1-10; unset: 3)
   * @param timeouts call timeouts (unset: connect 5 s, read 30 s, attempt 60 s, total 180 s)
   */
  public record S3(
      String bucket,
      List<String> allowedBuckets,
      String region,
      String endpoint,
      boolean pathStyle,
      String prefix,
      String sse,
      String kmsKeyId,
      String accessKeyId,
      String secretAccessKey,
      Integer maxAttempts,
      Timeouts timeouts) {

    public S3 {
      allowedBuckets = allowedBuckets == null ? List.of() : List.copyOf(allowedBuckets);
    }

    /** Leaves the secret out: settings get logged when startup fails. */
    @Override
    public String toString() {
      return "S3[bucket="
          + bucket
          + ", allowedBuckets="
          + allowedBuckets
          + ", region="
          + region
          + ", endpoint="
          + endpoint
          + ", pathStyle="
          + pathStyle
          + ", prefix="
          + prefix
          + ", sse="
          + sse
          + ", accessKeyId="
          + accessKeyId
          + ", secretAccessKey="
          + (secretAccessKey == null ? "null" : "<redacted>")
          + "]";
    }
  }

  /**
   * The GCS adapter's settings.
   *
   * @param bucket a bucket tenant slots may choose
   * @param allowedBuckets further buckets tenant slots may choose (same project and credentials)
   * @param prefix optional deployment key prefix in every bucket; a tenant slot's prefix goes
   *     inside it
   * @param projectId GCP project; null uses the credentials' project
   * @param endpoint optional JSON API endpoint (fake-gcs-server); with it, credentials may be none
   * @param credentials application_default (unset) or none (emulators only)
   * @param kmsKeyName optional Cloud KMS key for customer-managed encryption
   * @param maxAttempts attempts per call including the first (1-10; unset: 3)
   * @param timeouts call timeouts (unset: as for S3)
   */
  public record Gcs(
      String bucket,
      List<String> allowedBuckets,
      String projectId,
      String prefix,
      String endpoint,
      String credentials,
      String kmsKeyName,
      Integer maxAttempts,
      Timeouts timeouts) {

    public Gcs {
      allowedBuckets = allowedBuckets == null ? List.of() : List.copyOf(allowedBuckets);
    }
  }

  /** The backend's name as tenant slots write it: {@code filesystem}, {@code s3} or {@code gcs}. */
  public String backendName() {
    return backend.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The buckets a tenant slot may name: the configured bucket and the allowed ones, in that order;
   * empty for the filesystem backend, which has no buckets.
   */
  public List<String> buckets() {
    List<String> buckets = new ArrayList<>();
    switch (backend) {
      case S3 -> {
        buckets.add(s3.bucket());
        s3.allowedBuckets().stream().filter(b -> !buckets.contains(b)).forEach(buckets::add);
      }
      case GCS -> {
        buckets.add(gcs.bucket());
        gcs.allowedBuckets().stream().filter(b -> !buckets.contains(b)).forEach(buckets::add);
      }
      case FILESYSTEM -> {}
    }
    return List.copyOf(buckets);
  }

  /**
   * The deployment's own key prefix in every bucket of the configured backend; {@code ""} for none
   * (unset or blank) and for the filesystem backend. Tenant slot prefixes go inside it.
   */
  public String deploymentPrefix() {
    String prefix =
        switch (backend) {
          case S3 -> s3.prefix();
          case GCS -> gcs.prefix();
          case FILESYSTEM -> null;
        };
    return prefix == null || prefix.isBlank() ? "" : prefix;
  }

  /**
   * Backend call timeouts; see {@code dev.engines.storage.StorageTimeouts}.
   *
   * @param connect establishing a connection
   * @param read the longest silence while reading
   * @param attempt one attempt of one call
   * @param total one call including retries
   */
  public record Timeouts(Duration connect, Duration read, Duration attempt, Duration total) {}
}
