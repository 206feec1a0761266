package dev.engines.storage.s3;

import java.util.Objects;

/**
 * Where the S3 adapter gets its AWS credentials.
 *
 * @param source {@link Source#DEFAULT_CHAIN} (environment, profile, web identity, container or
 *     instance role — the production choice) or {@link Source#STATIC}
 * @param accessKeyId the access key id for {@code STATIC}, else null
 * @param secretAccessKey the secret for {@code STATIC}, else null; never printed
 */
public record S3Credentials(Source source, String accessKeyId, String secretAccessKey) {

  /** How credentials are obtained. */
  public enum Source {
    /** The AWS SDK's default provider chain; credentials rotate without a restart. */
    DEFAULT_CHAIN,
    /** A fixed key pair, for S3-compatible stores and tests. */
    STATIC
  }

  /**
   * Requires a key pair exactly when the source is static.
   *
   * @throws IllegalArgumentException when the pair is missing or given for the default chain
   */
  public S3Credentials {
    Objects.requireNonNull(source, "S3 credentials source must be set");
    boolean hasKeys = accessKeyId != null || secretAccessKey != null;
    if (source == Source.STATIC && (isBlank(accessKeyId) || isBlank(secretAccessKey))) {
      throw new IllegalArgumentException(
          "static S3 credentials need both an access key id and a secret access key");
    }
    if (source == Source.DEFAULT_CHAIN && hasKeys) {
      throw new IllegalArgumentException(
          "S3 access keys are only used with the STATIC credentials source");
    }
  }

  /** The SDK's default provider chain. */
  public static S3Credentials defaultChain() {
    return new S3Credentials(Source.DEFAULT_CHAIN, null, null);
  }

  /** A fixed key pair. */
  public static S3Credentials staticKeys(String accessKeyId, String secretAccessKey) {
    return new S3Credentials(Source.STATIC, accessKeyId, secretAccessKey);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Leaves the secret out: settings get logged at startup. */
  @Override
  public String toString() {
    return "S3Credentials[source="
        + source
        + (accessKeyId == null ? "" : ", accessKeyId=" + accessKeyId + ", secretAccessKey=****")
        + "]";
  }
}
