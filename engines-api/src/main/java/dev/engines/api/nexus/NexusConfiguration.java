package dev.engines.api.nexus;

import dev.engines.api.config.EnginesProperties;
import dev.engines.api.config.StorageSettings;
import dev.engines.api.ledger.RequestLedger;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.NexusLimits;
import dev.engines.nexus.RawAssets;
import dev.engines.nexus.UsageLog;
import dev.engines.nexus.atomize.Atomizers;
import dev.engines.pii.PiiPipeline;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.RawStore;
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
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the {@code engines.storage} and {@code engines.nexus} slots: one {@link RawStore} for the
 * configured backend (never another one as a fallback) and the Nexus services. A setting the adapter
 * refuses throws here, so startup fails instead of the first upload.
 */
@Configuration(proxyBeanMethods = false)
public class NexusConfiguration {

  @Bean(destroyMethod = "close")
  RawStore rawStore(EnginesProperties properties) {
    return rawStore(properties.storage());
  }

  /** Builds the adapter the settings name. */
  static RawStore rawStore(StorageSettings settings) {
    return switch (settings.backend()) {
      case FILESYSTEM -> new FilesystemRawStore(new FilesystemSettings(Path.of(settings.filesystem().root()).toAbsolutePath()));
      case S3 -> new S3RawStore(s3(settings.s3()));
      case GCS -> new GcsRawStore(gcs(settings.gcs()));
    };
  }

  static S3Settings s3(StorageSettings.S3 s) {
    S3Credentials credentials = s.accessKeyId() == null && s.secretAccessKey() == null
        ? S3Credentials.defaultChain()
        : S3Credentials.staticKeys(s.accessKeyId(), s.secretAccessKey());
    return new S3Settings(s.bucket(), s.region(), optional(s.endpoint()).map(URI::create), s.pathStyle(), prefix(s.prefix()),
        encryption(s.sse()), optional(s.kmsKeyId()), credentials, timeouts(s.timeouts()),
        s.maxAttempts() == null ? S3Settings.DEFAULT_MAX_ATTEMPTS : s.maxAttempts(), S3Settings.DEFAULT_PART_SIZE);
  }

  static GcsSettings gcs(StorageSettings.Gcs g) {
    GcsSettings.Credentials credentials = g.credentials() == null
        ? GcsSettings.Credentials.APPLICATION_DEFAULT
        : GcsSettings.Credentials.valueOf(g.credentials().toUpperCase(Locale.ROOT).replace('-', '_'));
    return new GcsSettings(g.bucket(), optional(g.projectId()), optional(g.endpoint()).map(URI::create), credentials,
        prefix(g.prefix()), optional(g.kmsKeyName()), timeouts(g.timeouts()),
        g.maxAttempts() == null ? GcsSettings.DEFAULT_MAX_ATTEMPTS : g.maxAttempts(), GcsSettings.DEFAULT_CHUNK_SIZE);
  }

  private static S3Settings.Encryption encryption(String sse) {
    if (sse == null || sse.isBlank() || sse.equalsIgnoreCase("none")) {
      return S3Settings.Encryption.NONE;
    }
    return switch (sse) {
      case "AES256" -> S3Settings.Encryption.AES256;
      case "aws:kms" -> S3Settings.Encryption.KMS;
      default -> throw new IllegalArgumentException("engines.storage.s3.sse must be none, AES256 or aws:kms");
    };
  }

  private static StorageTimeouts timeouts(StorageSettings.Timeouts t) {
    return t == null ? StorageTimeouts.DEFAULTS : new StorageTimeouts(t.connect(), t.read(), t.attempt(), t.total());
  }

  private static BucketPrefix prefix(String prefix) {
    return prefix == null ? BucketPrefix.NONE : new BucketPrefix(prefix);
  }

  private static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  @Bean
  NexusLimits nexusLimits(EnginesProperties properties) {
    return new NexusLimits(properties.storage().maxObjectBytes(), properties.nexus().maxAtomizeBytes(),
        properties.nexus().maxAtomsPerDerivation(), properties.nexus().maxAtomTextChars());
  }

  @Bean
  Atomizers atomizers() {
    return Atomizers.standard();
  }

  @Bean
  RawAssets rawAssets(JdbcClient jdbc, ScopedTransactions tx, RawStore store, RequestLedger events, Clock clock, NexusLimits limits) {
    return new RawAssets(jdbc, tx, store, events, clock, limits);
  }

  @Bean
  Atoms atoms(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ScopedTransactions tx, RawAssets assets, RawStore store,
      Atomizers atomizers, PiiPipeline pii, RequestLedger events, Clock clock, NexusLimits limits) {
    return new Atoms(jdbc, jdbcTemplate, tx, assets, store, atomizers, pii, events, clock, limits);
  }

  @Bean
  UsageLog usageLog(JdbcClient jdbc, ScopedTransactions tx, RequestLedger events, Clock clock) {
    return new UsageLog(jdbc, tx, events, clock);
  }
}
