package dev.engines.storage.autoconfigure;

import dev.engines.storage.BucketPrefix;
import dev.engines.storage.RawStore;
import dev.engines.storage.RawStores;
import dev.engines.storage.StorageSettings;
import dev.engines.storage.StorageTimeouts;
import dev.engines.storage.fs.FilesystemRawStore;
import dev.engines.storage.fs.FilesystemSettings;
import dev.engines.storage.gcs.GcsRawStore;
import dev.engines.storage.gcs.GcsSettings;
import dev.engines.storage.s3.S3Credentials;
import dev.engines.storage.s3.S3RawStore;
import dev.engines.storage.s3.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Builds the adapter of each location tenants configure, from the deployment's {@code
 * engines.storage} settings: those of the backend for everything but the bucket and the key prefix
 * (the deployment's prefix, then the slot's). S3 and GCS locations are views on one client per
 * deployment (built on first use, closed with the application): a client holds a connection pool,
 * and tenants may configure as many locations as the allowlist and their prefixes make. Filesystem
 * stores hold no resources. No store exists for "the deployment" as such, so nothing can fall back
 * to one.
 */
final class DeploymentStores implements RawStores, AutoCloseable {

  private final StorageSettings settings;
  private final GcsClients gcsClients;
  private S3RawStore s3;
  private GcsRawStore gcs;

  /**
   * Validates every offered bucket and the deployment prefix now (the adapters' settings throw
   * {@link IllegalArgumentException}), so a bad name fails startup instead of a tenant's first
   * upload.
   */
  DeploymentStores(StorageSettings settings, GcsClients gcsClients) {
    this.settings = settings;
    this.gcsClients = gcsClients;
    for (String bucket : settings.buckets()) {
      settingsFor(settings, bucket, "");
    }
  }

  @Override
  public synchronized RawStore at(String bucket, String prefix) {
    Object adapter = settingsFor(settings, bucket, prefix);
    return switch (adapter) {
      case FilesystemSettings fs -> new FilesystemRawStore(fs);
      case S3Settings s -> {
        if (s3 == null) {
          s3 = new S3RawStore(s);
        }
        yield s3.at(s.bucket(), s.keyPrefix());
      }
      case GcsSettings g -> {
        if (gcs == null) {
          gcs = gcsClients.open(g);
        }
        yield gcs.at(g.bucket(), g.keyPrefix());
      }
      default -> throw new IllegalStateException("unknown adapter settings");
    };
  }

  @Override
  public synchronized void close() {
    if (s3 != null) {
      s3.close();
    }
    if (gcs != null) {
      gcs.close();
    }
  }

  /**
   * The adapter settings of {@code bucket} and the slot's {@code prefix}: the deployment's for
   * everything but the bucket and the key prefix (the deployment's prefix, then the slot's).
   */
  static Object settingsFor(StorageSettings settings, String bucket, String prefix) {
    return switch (settings.backend()) {
      case FILESYSTEM -> {
        Path root = Path.of(settings.filesystem().root()).toAbsolutePath();
        // The prefix was validated as BucketPrefix segments, so it cannot leave the root.
        yield new FilesystemSettings(
            prefix.isEmpty() ? root : root.resolve(new BucketPrefix(prefix).value()));
      }
      case S3 -> s3(settings.s3(), bucket, BucketPrefix.join(settings.deploymentPrefix(), prefix));
      case GCS ->
          gcs(settings.gcs(), bucket, BucketPrefix.join(settings.deploymentPrefix(), prefix));
    };
  }

  static S3Settings s3(StorageSettings.S3 s, String bucket, String prefix) {
    S3Credentials credentials =
        s.accessKeyId() == null && s.secretAccessKey() == null
            ? S3Credentials.defaultChain()
            : S3Credentials.staticKeys(s.accessKeyId(), s.secretAccessKey());
    return new S3Settings(
        bucket,
        s.region(),
        optional(s.endpoint()).map(URI::create),
        s.pathStyle(),
        prefix(prefix),
        encryption(s.sse()),
        optional(s.kmsKeyId()),
        credentials,
        timeouts(s.timeouts()),
        s.maxAttempts() == null ? S3Settings.DEFAULT_MAX_ATTEMPTS : s.maxAttempts(),
        S3Settings.DEFAULT_PART_SIZE);
  }

  static GcsSettings gcs(StorageSettings.Gcs g, String bucket, String prefix) {
    GcsSettings.Credentials credentials =
        g.credentials() == null
            ? GcsSettings.Credentials.APPLICATION_DEFAULT
            : GcsSettings.Credentials.valueOf(
                g.credentials().toUpperCase(Locale.ROOT).replace('-', '_'));
    return new GcsSettings(
        bucket,
        optional(g.projectId()),
        optional(g.endpoint()).map(URI::create),
        credentials,
        prefix(prefix),
        optional(g.kmsKeyName()),
        timeouts(g.timeouts()),
        g.maxAttempts() == null ? GcsSettings.DEFAULT_MAX_ATTEMPTS : g.maxAttempts(),
        GcsSettings.DEFAULT_CHUNK_SIZE);
  }

  private static S3Settings.Encryption encryption(String sse) {
    if (sse == null || sse.isBlank() || sse.equalsIgnoreCase("none")) {
      return S3Settings.Encryption.NONE;
    }
    return switch (sse) {
      case "AES256" -> S3Settings.Encryption.AES256;
      case "aws:kms" -> S3Settings.Encryption.KMS;
      default ->
          throw new IllegalArgumentException(
              "engines.storage.s3.sse must be none, AES256 or aws:kms");
    };
  }

  private static StorageTimeouts timeouts(StorageSettings.Timeouts t) {
    return t == null
        ? StorageTimeouts.DEFAULTS
        : new StorageTimeouts(t.connect(), t.read(), t.attempt(), t.total());
  }

  private static BucketPrefix prefix(String prefix) {
    return prefix == null ? BucketPrefix.NONE : new BucketPrefix(prefix);
  }

  private static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
