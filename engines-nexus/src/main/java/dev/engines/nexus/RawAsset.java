package dev.engines.nexus;

import java.time.Instant;
import java.util.Map;

/**
 * The metadata of one raw artifact (DESIGN §9). Content lives in the {@link
 * dev.engines.storage.RawStore} under {@link #objectKey()}; this record never carries it.
 *
 * @param assetId {@code ra_…}
 * @param tenantId owning tenant
 * @param env owning env
 * @param backend the storage backend that holds the object ({@code filesystem}, {@code s3}, {@code
 *     gcs})
 * @param bucket the bucket the object was written to ({@code ""} on the filesystem backend), from
 *     the tenant/env's storage slot at the time
 * @param prefix the slot's key prefix the object was written under ({@code ""} for none); the
 *     deployment's own prefix, if any, comes before it
 * @param objectKey {@code tenants/<tenant>/<env>/raw/<asset_id>/<filename>}, without any prefix
 * @param filename the object's file name
 * @param contentType the media type given at upload
 * @param sizeBytes content length
 * @param sha256 lowercase hex sha256 of the content (declared, until a pending asset is registered)
 * @param status {@code pending} (presigned, not registered), {@code active} or {@code deleted}
 * @param capturedAt when the caller captured the artifact, if it said
 * @param importedAt when Engines accepted it
 * @param deletedAt when it was soft-deleted, or null
 * @param piiFlags PII flags that travel to every atom derived from it
 * @param trainOk whether the content may be used for training; atoms inherit it
 * @param createdBy the actor id that uploaded it
 */
public record RawAsset(
    String assetId,
    String tenantId,
    String env,
    String backend,
    String bucket,
    String prefix,
    String objectKey,
    String filename,
    String contentType,
    long sizeBytes,
    String sha256,
    String status,
    Instant capturedAt,
    Instant importedAt,
    Instant deletedAt,
    Map<String, Object> piiFlags,
    boolean trainOk,
    String createdBy) {

  /** The record type of raw assets in the subject index, erasure tombstones and legal holds. */
  public static final String RECORD_TYPE = "raw_asset";

  /** Status of an asset whose presigned upload has not been registered. */
  public static final String PENDING = "pending";

  /** Status of a readable asset. */
  public static final String ACTIVE = "active";

  /** Status of a soft-deleted asset. */
  public static final String DELETED = "deleted";

  public RawAsset {
    piiFlags = Map.copyOf(piiFlags);
  }

  /** Where the object lives. */
  public StorageLocation location() {
    return new StorageLocation(backend, bucket, prefix);
  }
}
