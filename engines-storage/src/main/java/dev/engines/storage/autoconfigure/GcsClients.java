package dev.engines.storage.autoconfigure;

import dev.engines.storage.gcs.GcsRawStore;
import dev.engines.storage.gcs.GcsSettings;

/**
 * Opens the deployment's GCS client from its settings ({@code GcsRawStore::new} unless a bean of
 * this type says otherwise). The API tests provide one that runs the GCS adapter over an in-process
 * fake, as no GCS emulator runs offline.
 */
@FunctionalInterface
public interface GcsClients {

  /** The client, with the deployment's first bucket and prefix; locations are views on it. */
  GcsRawStore open(GcsSettings settings);
}
