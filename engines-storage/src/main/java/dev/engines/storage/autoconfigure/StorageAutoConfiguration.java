package dev.engines.storage.autoconfigure;

import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.storage.RawStores;
import dev.engines.storage.StorageSettings;
import dev.engines.storage.gcs.GcsRawStore;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Wires raw storage: the deployment's backend, credentials and buckets ({@link StorageSettings},
 * {@code engines.storage}, required) and the stores built from them per location ({@link
 * RawStores}). The module has no schema: where each object lives is recorded by the engine that
 * wrote it. Its production-readiness finding is {@code storage.filesystem}: replicas do not share a
 * local directory.
 */
@AutoConfiguration
@EnableConfigurationProperties(StorageSettings.class)
public class StorageAutoConfiguration {

  /** Checks every offered bucket and the deployment prefix now, so a bad name fails startup. */
  @Bean(destroyMethod = "close")
  DeploymentStores rawStores(StorageSettings settings, ObjectProvider<GcsClients> gcsClients) {
    return new DeploymentStores(settings, gcsClients.getIfAvailable(() -> GcsRawStore::new));
  }

  @Bean
  ProductionReadinessCheck storageReadinessCheck(StorageSettings settings) {
    return () ->
        settings.backend() == StorageSettings.Backend.FILESYSTEM
            ? List.of(
                new ReadinessFinding(
                    "storage.filesystem",
                    "engines.storage.backend is filesystem: use s3 or gcs so replicas share raw objects."))
            : List.of();
  }
}
