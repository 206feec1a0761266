package dev.engines.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend knows about one stored object.
 *
 * @param key the object's key
 * @param size content length in bytes
 * @param sha256 lowercase hex sha256: always present after {@link RawStore#put} and {@link
 *     RawStore#verify}; from {@link RawStore#head} only when the backend recorded it with the
 *     object (see each adapter)
 * @param contentType the stored media type
 * @param etag the backend's entity tag, if it has one; opaque, not a content hash
 * @param lastModified when the object was last written
 */
public record StoredObject(
    ObjectKey key,
    long size,
    Optional<String> sha256,
    String contentType,
    Optional<String> etag,
    Instant lastModified) {

  /** Requires every component; absent values are empty optionals, never null. */
  public StoredObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(lastModified, "lastModified");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }

  /** The same object with its sha256 known. */
  public StoredObject withSha256(String sha256Hex) {
    return new StoredObject(key, size, Optional.of(sha256Hex), contentType, etag, lastModified);
  }
}
