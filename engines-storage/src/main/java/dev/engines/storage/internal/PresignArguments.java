package dev.engines.storage.internal;

import dev.engines.storage.PutOptions;
import dev.engines.storage.StorageProblems;
import java.time.Duration;

/**
 * The argument rules of {@code RawStore.presignUpload}, shared by the adapters that can presign.
 */
public final class PresignArguments {

  /** Both SigV4 and GCS V4 signatures are valid for at most seven days. */
  public static final Duration MAX_TTL = Duration.ofDays(7);

  private PresignArguments() {}

  /**
   * Checks the content type (with the same media-type rule as uploads, because it becomes a signed
   * header), the size and the ttl.
   *
   * @throws dev.engines.core.error.EnginesException 400 on any bad value
   */
  public static void check(String contentType, long size, Duration ttl) {
    if (size < 0) {
      throw StorageProblems.invalid("The upload size must not be negative.");
    }
    PutOptions.of(contentType, Math.max(1, size));
    if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw StorageProblems.invalid("A presigned URL must be valid for 1 second to 7 days.");
    }
  }
}
