package dev.engines.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.NoPresignContract;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.RawStore;
import dev.engines.storage.RawStoreContractTests;
import dev.engines.storage.StorageTimeouts;
import java.util.Optional;

/**
 * The {@link RawStore} contract against {@link LocalStorageHelper}'s in-process fake of GCS (no
 * emulator runs offline here). Its credentials cannot sign, so presigning answers 501. See {@link
 * FinalisationRecorder} for how abandoned resumable uploads are checked.
 */
class GcsRawStoreContractTests extends RawStoreContractTests implements NoPresignContract {

  static final int CHUNK = GcsSettings.CHUNK_GRANULARITY * 4;
  static final BucketPrefix PREFIX = new BucketPrefix("engines/eu");

  private final FinalisationRecorder uploads = new FinalisationRecorder();
  private Storage service;

  static GcsSettings settings() {
    return new GcsSettings(
        "engines-test",
        Optional.empty(),
        Optional.empty(),
        GcsSettings.Credentials.APPLICATION_DEFAULT,
        PREFIX,
        Optional.empty(),
        StorageTimeouts.DEFAULTS,
        2,
        CHUNK);
  }

  @Override
  protected RawStore newStore() {
    service = uploads.wrap(LocalStorageHelper.customOptions(false).getService());
    return new GcsRawStore(settings(), service);
  }

  @Override
  protected RawStore newStoreBeside(BucketPrefix extra) {
    return new GcsRawStore(
        settings().at("engines-test", new BucketPrefix(PREFIX.value() + "/" + extra.value())),
        service);
  }

  @Override
  protected int partSize() {
    return CHUNK;
  }

  @Override
  protected String expectedBackend() {
    return "gcs";
  }

  @Override
  protected void assertAbandonedUploadInvisible(ObjectKey key) {
    String name = PREFIX.apply(key);
    assertThat(uploads.opened(name)).as("resumable upload opened").isTrue();
    assertThat(uploads.finalised(name)).as("resumable upload finalised").isFalse();
  }
}
