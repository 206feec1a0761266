package dev.engines.storage.s3;

import dev.engines.storage.BucketPrefix;
import dev.engines.storage.PresignContract;
import dev.engines.storage.RawStore;
import dev.engines.storage.RawStoreContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link RawStore} contract against s3proxy, with a bucket prefix and SSE-S3 requested. */
class S3RawStoreContractTests extends RawStoreContractTests implements PresignContract {

  @RegisterExtension static final S3ProxyFixture S3 = new S3ProxyFixture();

  private S3Settings settings;

  @Override
  protected RawStore newStore() {
    settings = S3.newBucket(new BucketPrefix("engines/eu"), S3Settings.Encryption.AES256);
    return new S3RawStore(settings);
  }

  @Override
  protected RawStore newStoreBeside(BucketPrefix extra) {
    return new S3RawStore(
        settings.at(
            settings.bucket(),
            new BucketPrefix(settings.keyPrefix().value() + "/" + extra.value())));
  }

  @Override
  protected int partSize() {
    return S3Settings.MIN_PART_SIZE;
  }

  @Override
  protected String expectedBackend() {
    return "s3";
  }
}
