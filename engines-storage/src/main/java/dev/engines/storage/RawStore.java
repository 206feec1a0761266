package dev.engines.storage;

import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Raw object storage for tenant content: the SPI that engines use and that the filesystem, S3 and
 * GCS adapters implement. Nothing here exposes a cloud SDK type, so engine modules never depend on
 * one. Keys come only from {@link ObjectKey}, so every call is confined to one tenant and
 * environment by construction.
 *
 * <p>Contract shared by all adapters (checked by one contract test suite run against each):
 *
 * <ul>
 *   <li><b>All or nothing.</b> A {@code put} either makes the complete, verified content visible
 *       under its key in one step, or leaves the key as it was (absent, or the previous content).
 *       This holds when the limit is exceeded, when the declared size or sha256 does not match, and
 *       when the caller's stream throws part way.
 *   <li><b>Streaming.</b> Content is never held whole in memory; an adapter buffers at most one
 *       part or chunk (its configured size) per upload, and {@code open} streams.
 *   <li><b>Last writer wins.</b> A {@code put} to an existing key replaces it.
 *   <li><b>Failures are problems.</b> Everything thrown is an {@link EnginesException} with a code
 *       from {@link StorageProblems}: outages and timeouts are 503 {@code storage_unavailable}
 *       (after the adapter's configured retries, within its configured timeouts), refused
 *       credentials or buckets 500 {@code storage_misconfigured}, a missing object 404 {@code
 *       not_found}. The backend's exception is kept as the cause; details carry no secrets.
 * </ul>
 *
 * <p>Implementations are thread-safe and meant to be shared; {@link #close()} releases their
 * clients.
 */
public interface RawStore extends AutoCloseable {

  /**
   * Streams {@code content} to {@code key}, computing its size and sha256 on the way.
   *
   * <p>The stream is read to its end but not closed; the caller owns it. Nothing is visible under
   * the key until the whole content has arrived and passed every check.
   *
   * @return the stored object with its computed sha256
   * @throws EnginesException 413 {@code payload_too_large} as soon as more than {@link
   *     PutOptions#maxBytes()} arrive; 422 {@code content_mismatch} when the size or sha256 differs
   *     from what {@code options} declared; 400 {@code upload_interrupted} when reading {@code
   *     content} fails; 503/500 on backend failure. In every case nothing was stored.
   */
  StoredObject put(ObjectKey key, InputStream content, PutOptions options);

  /**
   * What the backend knows about {@code key}, without reading its content.
   *
   * @return empty when no object exists under the key
   */
  Optional<StoredObject> head(ObjectKey key);

  /**
   * The object's content as a stream the caller must close. Errors while reading it surface as
   * {@link IOException}s from the stream.
   *
   * @throws EnginesException 404 {@code not_found} when no object exists under the key
   */
  InputStream open(ObjectKey key);

  /**
   * Removes the object under {@code key}.
   *
   * @return whether an object existed just before the call
   */
  boolean delete(ObjectKey key);

  /**
   * The keys of all objects under {@code prefix}, fetched lazily page by page, so a prefix with
   * millions of objects never sits in memory. The stream holds backend resources: close it (use
   * try-with-resources). S3 and GCS list in lexicographic order, the filesystem in directory order.
   * Names under the prefix that are not valid keys (written by other tools) are left out, and so
   * are uploads that have not completed. A backend failure while the stream advances throws the
   * same problems as every other call.
   */
  Stream<ObjectKey> list(ObjectKeyPrefix prefix);

  /**
   * A URL through which a client can upload exactly {@code size} bytes of {@code contentType} to
   * {@code key} for {@code ttl}, with the adapter's encryption settings applied. The uploaded
   * object has no recorded sha256: register it with {@link #verify}.
   *
   * @param ttl how long the URL is valid; 1 second to 7 days (the SigV4 and GCS V4 limit)
   * @throws EnginesException 501 {@code presign_unsupported} when the backend or its credentials
   *     cannot sign (the filesystem, or GCS without a service-account signer); 400 on a bad
   *     argument
   */
  PresignedUpload presignUpload(ObjectKey key, String contentType, long size, Duration ttl);

  /**
   * Reads the whole object back and checks it: used to register an object that a client uploaded
   * through a presigned URL, because only the bytes themselves prove what was uploaded. The object
   * is left in place whatever the outcome; the caller decides whether to delete it.
   *
   * @param expectedSha256 lowercase or uppercase hex
   * @return the stored object with its computed sha256
   * @throws EnginesException 404 {@code not_found}; 422 {@code content_mismatch} when the size or
   *     sha256 differs; 503 when the backend fails while reading
   */
  default StoredObject verify(ObjectKey key, long expectedSize, String expectedSha256) {
    // Validates and normalises the declared values exactly as put() does.
    PutOptions declared =
        PutOptions.of(PutOptions.DEFAULT_CONTENT_TYPE, Math.max(1, expectedSize))
            .withExpectedSize(expectedSize)
            .withExpectedSha256(expectedSha256);
    StoredObject stored = head(key).orElseThrow(StorageProblems::notFound);
    if (stored.size() != expectedSize) {
      throw StorageProblems.contentMismatch("size");
    }
    MessageDigest digest = Ids.sha256();
    long read = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = open(key)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        read += n;
        if (read > expectedSize) {
          // The object was replaced after head(); what is there now is not what was declared.
          throw StorageProblems.contentMismatch("size");
        }
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw StorageProblems.unavailable(backend(), e);
    }
    String sha256 = HexFormat.of().formatHex(digest.digest());
    if (read != expectedSize) {
      throw StorageProblems.contentMismatch("size");
    }
    if (!sha256.equals(declared.expectedSha256().orElseThrow())) {
      throw StorageProblems.contentMismatch("sha256");
    }
    return stored.withSha256(sha256);
  }

  /** The backend's stable name: {@code filesystem}, {@code s3} or {@code gcs}. */
  String backend();

  /** Releases the backend clients. The default has nothing to release. */
  @Override
  default void close() {}
}
