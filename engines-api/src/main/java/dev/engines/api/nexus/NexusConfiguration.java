package dev.engines.api.nexus;

import dev.engines.api.config.EnginesProperties;
import dev.engines.api.config.StorageSettings;
import dev.engines.api.envconfig.EnvConfigs;
import dev.engines.api.envconfig.SlotRules;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.api.ledger.RequestLedger;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ids.IdKeys;
import dev.engines.gates.GateChain;
import dev.engines.nexus.AssetRemovals;
import dev.engines.vector.embed.Embedders;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.NexusErasure;
import dev.engines.nexus.NexusRetention;
import dev.engines.nexus.StorageLocation;
import dev.engines.nexus.RawAssets;
import dev.engines.nexus.UsageLog;
import dev.engines.nexus.atomize.Atomizers;
import dev.engines.pii.PiiPipeline;
import dev.engines.session.SessionSettings;
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
import java.util.function.Function;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import java.util.stream.Collectors;

/**
 * Wires the {@code engines.storage} and {@code engines.nexus} slots as the deployment's outer bound
 * and the Nexus services on top of the per tenant/env slots ({@link TenantNexusSlots}). An adapter
 * is built per location a tenant slot names (the deployment's backend, one of its buckets, the
 * deployment prefix followed by the slot's prefix); no store exists for "the deployment" as such,
 * so nothing can fall back to one. Every bucket the deployment offers is checked when the
 * application starts, so a bad name fails startup instead of a tenant's first upload.
 */
@Configuration(proxyBeanMethods = false)
public class NexusConfiguration {

  @Bean
  Atomizers atomizers() {
    return Atomizers.standard();
  }

  @Bean
  SlotRules slotRules(EnginesProperties properties, SessionSettings session, Atomizers atomizers, Embedders embedders) {
    return new SlotRules(properties.storage(), properties.nexus(), session,
        atomizers.available().stream().map(a -> a.opType()).collect(Collectors.toSet()), properties.vector(),
        embedders.ids());
  }

  @Bean
  EnvConfigs envConfigs(JdbcClient jdbc, ScopedTransactions tx, Clock clock, AuditTrail audit, SlotRules rules,
      RequestLedger events) {
    return new EnvConfigs(jdbc, tx, clock, audit, rules, events);
  }

  /**
   * Opens the deployment's GCS client from its settings. The API tests replace it to run the GCS
   * adapter over an in-process fake, as no GCS emulator runs offline.
   */
  @FunctionalInterface
  interface GcsClients {
    GcsRawStore open(GcsSettings settings);
  }

  @Bean(destroyMethod = "close")
  TenantNexusSlots nexusSlots(EnvConfigs configs, GateChain gates, EnginesProperties properties,
      ObjectProvider<GcsClients> gcsClients) {
    StorageSettings settings = properties.storage();
    // Validates every offered bucket and the deployment prefix now (the adapters' settings throw).
    for (String bucket : settings.buckets()) {
      settingsFor(settings, new StorageLocation(settings.backend().name().toLowerCase(Locale.ROOT), bucket, ""));
    }
    return new TenantNexusSlots(configs, gates, settings, properties.nexus(),
        new LocationStores(settings, gcsClients.getIfAvailable(() -> GcsRawStore::new)));
  }

  /**
   * Builds the adapter of each location tenants configure. S3 and GCS locations are views on one
   * client per deployment (built on first use, closed with the application): a client holds a
   * connection pool, and tenants may configure as many locations as the allowlist and their
   * prefixes make. Filesystem stores hold no resources.
   */
  static final class LocationStores implements Function<StorageLocation, RawStore>, AutoCloseable {
    private final StorageSettings settings;
    private final GcsClients gcsClients;
    private S3RawStore s3;
    private GcsRawStore gcs;

    LocationStores(StorageSettings settings, GcsClients gcsClients) {
      this.settings = settings;
      this.gcsClients = gcsClients;
    }

    @Override
    public synchronized RawStore apply(StorageLocation location) {
      Object adapter = settingsFor(settings, location);
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
  }

  /**
   * The adapter settings of {@code location}: the deployment's for everything but the bucket and
   * the key prefix (the deployment's prefix, then the slot's).
   */
  static Object settingsFor(StorageSettings settings, StorageLocation location) {
    return switch (settings.backend()) {
      case FILESYSTEM -> {
        Path root = Path.of(settings.filesystem().root()).toAbsolutePath();
        // The prefix was validated as BucketPrefix segments, so it cannot leave the root.
        yield new FilesystemSettings(location.prefix().isEmpty() ? root : root.resolve(new BucketPrefix(location.prefix()).value()));
      }
      case S3 -> s3(settings.s3(), location.bucket(), SlotRules.join(settings.deploymentPrefix(), location.prefix()));
      case GCS -> gcs(settings.gcs(), location.bucket(), SlotRules.join(settings.deploymentPrefix(), location.prefix()));
    };
  }

  static S3Settings s3(StorageSettings.S3 s, String bucket, String prefix) {
    S3Credentials credentials = s.accessKeyId() == null && s.secretAccessKey() == null
        ? S3Credentials.defaultChain()
        : S3Credentials.staticKeys(s.accessKeyId(), s.secretAccessKey());
    return new S3Settings(bucket, s.region(), optional(s.endpoint()).map(URI::create), s.pathStyle(), prefix(prefix),
        encryption(s.sse()), optional(s.kmsKeyId()), credentials, timeouts(s.timeouts()),
        s.maxAttempts() == null ? S3Settings.DEFAULT_MAX_ATTEMPTS : s.maxAttempts(), S3Settings.DEFAULT_PART_SIZE);
  }

  static GcsSettings gcs(StorageSettings.Gcs g, String bucket, String prefix) {
    GcsSettings.Credentials credentials = g.credentials() == null
        ? GcsSettings.Credentials.APPLICATION_DEFAULT
        : GcsSettings.Credentials.valueOf(g.credentials().toUpperCase(Locale.ROOT).replace('-', '_'));
    return new GcsSettings(bucket, optional(g.projectId()), optional(g.endpoint()).map(URI::create), credentials,
        prefix(prefix), optional(g.kmsKeyName()), timeouts(g.timeouts()),
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
  RawAssets rawAssets(JdbcClient jdbc, ScopedTransactions tx, TenantNexusSlots slots, RequestLedger events, Clock clock,
      PurgeFence fence, ObjectProvider<AssetRemovals> removals) {
    return new RawAssets(jdbc, tx, slots, events, clock, fence, removals.orderedStream().toList());
  }

  /** The keys of atom ids, derived from {@code engines.pii.master-key} (docs/adr/0008-keyed-atom-ids.md). */
  @Bean
  IdKeys idKeys(EnginesProperties properties) {
    return IdKeys.fromSecret(properties.pii().masterKey());
  }

  /** Re-keys the atom ids stored before ids were keyed; Flyway runs it once, as V29. */
  @Bean
  AtomIdRekeying atomIdRekeying(IdKeys idKeys) {
    return new AtomIdRekeying(idKeys);
  }

  @Bean
  Atoms atoms(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ScopedTransactions tx, RawAssets assets, TenantNexusSlots slots,
      Atomizers atomizers, PiiPipeline pii, RequestLedger events, Clock clock, IdKeys idKeys) {
    return new Atoms(jdbc, jdbcTemplate, tx, assets, slots, atomizers, pii, events, clock, idKeys);
  }

  @Bean
  UsageLog usageLog(JdbcClient jdbc, ScopedTransactions tx, RequestLedger events, Clock clock, TenantNexusSlots slots,
      PurgeFence fence) {
    return new UsageLog(jdbc, tx, events, clock, slots, fence);
  }

  /** Raw assets in GDPR requests: tenant purge removes them (objects first), erasure soft-deletes indexed ones. */
  @Bean
  ErasureHook nexusErasure(RawAssets assets) {
    return new NexusErasure(assets);
  }

  @Bean
  RetentionHook deletedAssetsRetention(RawAssets assets) {
    return NexusRetention.deletedAssets(assets);
  }

  @Bean
  RetentionHook pendingUploadsRetention(RawAssets assets) {
    return NexusRetention.pendingUploads(assets);
  }
}
