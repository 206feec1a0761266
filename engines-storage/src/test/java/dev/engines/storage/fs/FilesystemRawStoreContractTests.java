package dev.engines.storage.fs;

import dev.engines.storage.BucketPrefix;
import dev.engines.storage.NoPresignContract;
import dev.engines.storage.RawStore;
import dev.engines.storage.RawStoreContractTests;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link RawStore} contract on a temporary directory. */
class FilesystemRawStoreContractTests extends RawStoreContractTests implements NoPresignContract {

  @TempDir Path root;

  @Override
  protected RawStore newStore() {
    return new FilesystemRawStore(new FilesystemSettings(root));
  }

  @Override
  protected RawStore newStoreBeside(BucketPrefix extra) {
    return new FilesystemRawStore(new FilesystemSettings(root.resolve(extra.value())));
  }

  @Override
  protected int partSize() {
    // The filesystem streams through a fixed buffer; "parts" only size the multi-buffer cases.
    return 256 * 1024;
  }

  @Override
  protected String expectedBackend() {
    return "filesystem";
  }
}
