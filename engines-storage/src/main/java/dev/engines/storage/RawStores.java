package dev.engines.storage;

/**
 * The deployment's raw stores: one per location a tenant/env's storage slot names, on the backend
 * {@code engines.storage} offers ({@link StorageSettings}). Built by the module's
 * auto-configuration from the adapters; engines ask it for a location's store and never see an
 * adapter or a cloud SDK.
 */
@FunctionalInterface
public interface RawStores {

  /**
   * The store at {@code bucket} under the slot's {@code prefix}; the deployment's own prefix goes
   * in front of it. Stores hold no tenant state (every key comes from the caller's scope), so one
   * store may serve every scope with the same location.
   *
   * @param bucket one of {@link StorageSettings#buckets()}, or {@code ""} on the filesystem backend
   * @param prefix the slot's prefix, {@code ""} for none
   * @throws IllegalArgumentException when the adapter refuses the bucket or the prefix
   */
  RawStore at(String bucket, String prefix);
}
