package dev.engines.storage.internal;

import dev.engines.core.ids.Ids;
import dev.engines.storage.PutOptions;
import dev.engines.storage.StorageProblems;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Counts and hashes upload content as adapters read it, and enforces the caller's limit and
 * declared size while streaming, so an oversized upload stops after one byte too many rather than
 * at its end. Not part of the SPI: shared by the adapters of this module only. One instance per
 * upload; not thread-safe.
 */
public final class ContentMeter {

  private final PutOptions options;
  private final MessageDigest digest = Ids.sha256();

  /**
   * The most bytes that may arrive: the declared size if any (it is at most maxBytes), else
   * maxBytes.
   */
  private final long limit;

  private long size;

  /** A meter for one upload under {@code options}. */
  public ContentMeter(PutOptions options) {
    this.options = options;
    this.limit = options.expectedSize().orElse(options.maxBytes());
  }

  /**
   * The buffer an adapter needs for parts of {@code partSize}: smaller when the limit is, so a
   * small upload with a tight limit never allocates a whole part.
   */
  public int bufferSize(int partSize) {
    return limit < partSize ? (int) limit + 1 : partSize;
  }

  /**
   * Reads from {@code in} until {@code buffer} is full or the stream ends, and accounts for what
   * was read. A result shorter than the buffer means the stream has ended.
   *
   * @return the number of bytes now at the start of {@code buffer}
   * @throws dev.engines.core.error.EnginesException 413 or 422 once more than the limit or the
   *     declared size has arrived; 400 {@code upload_interrupted} when reading fails
   */
  public int fill(InputStream in, byte[] buffer) {
    // Never ask for more than one byte past the limit: that byte proves the limit was exceeded.
    long allowance = limit - size;
    int wanted = allowance >= buffer.length ? buffer.length : (int) allowance + 1;
    int filled = 0;
    try {
      while (filled < wanted) {
        int n = in.read(buffer, filled, wanted - filled);
        if (n < 0) {
          break;
        }
        filled += n;
      }
    } catch (IOException e) {
      throw StorageProblems.uploadInterrupted(e);
    }
    size += filled;
    if (size > limit) {
      throw options.expectedSize().isPresent()
          ? StorageProblems.contentMismatch("size")
          : StorageProblems.payloadTooLarge(options.maxBytes());
    }
    digest.update(buffer, 0, filled);
    return filled;
  }

  /** Bytes accounted so far. */
  public long size() {
    return size;
  }

  /**
   * Ends the upload's accounting: checks the declared size and sha256 against what arrived.
   *
   * @return the lowercase hex sha256 of the content
   * @throws dev.engines.core.error.EnginesException 422 {@code content_mismatch}
   */
  public String finish() {
    if (options.expectedSize().isPresent() && options.expectedSize().getAsLong() != size) {
      throw StorageProblems.contentMismatch("size");
    }
    String sha256 = HexFormat.of().formatHex(digest.digest());
    if (options.expectedSha256().isPresent() && !options.expectedSha256().get().equals(sha256)) {
      throw StorageProblems.contentMismatch("sha256");
    }
    return sha256;
  }
}
