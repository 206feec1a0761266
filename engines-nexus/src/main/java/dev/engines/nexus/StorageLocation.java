package dev.engines.nexus;

import java.util.Objects;

/**
 * Where a raw asset's object lives, as its tenant/env's storage slot named it when the asset was
 * written: the backend, the bucket and the tenant-chosen key prefix (inside the deployment's own
 * prefix). Every asset row records its location, so changing the slot later sends new uploads to
 * the new place while existing assets are still read, deleted and purged where they are.
 *
 * @param backend {@code filesystem}, {@code s3} or {@code gcs}
 * @param bucket the bucket; {@code ""} for the filesystem backend, which has none
 * @param prefix the slot's key prefix ({@code ""} for none), validated like a {@code BucketPrefix}
 */
public record StorageLocation(String backend, String bucket, String prefix) {

  public StorageLocation {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
  }
}
