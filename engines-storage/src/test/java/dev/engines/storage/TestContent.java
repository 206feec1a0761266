package dev.engines.storage;

import dev.engines.core.ids.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Deterministic test content that is generated on the fly, so no test holds a large array. */
public final class TestContent {

  private TestContent() {}

  /** {@code size} pseudo-random bytes from {@code seed}; not markable, like a request body. */
  public static InputStream generated(long size, long seed) {
    return new Generated(size, seed, Long.MAX_VALUE);
  }

  /**
   * Like {@link #generated} but throws an {@link IOException} once {@code failAfter} bytes were
   * read.
   */
  public static InputStream failingAfter(long size, long seed, long failAfter) {
    return new Generated(size, seed, failAfter);
  }

  /** The hex sha256 of {@link #generated}{@code (size, seed)}. */
  public static String sha256(long size, long seed) {
    return sha256(generated(size, seed));
  }

  /** The hex sha256 of a string's UTF-8 bytes. */
  public static String sha256(String text) {
    return Ids.sha256Hex(text);
  }

  /** The hex sha256 of everything {@code in} yields. */
  public static String sha256(InputStream in) {
    MessageDigest digest = Ids.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (in) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** UTF-8 bytes of {@code text} as a stream. */
  public static InputStream text(String text) {
    return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final class Generated extends InputStream {
    private final long size;
    private final long failAfter;
    private long position;
    private long state;

    Generated(long size, long seed, long failAfter) {
      this.size = size;
      this.failAfter = failAfter;
      this.state = seed * 0x9E3779B97F4A7C15L + 1;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (position >= failAfter) {
        throw new IOException("client connection reset (test)");
      }
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(length, Math.min(size - position, failAfter - position));
      for (int i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        buffer[offset + i] = (byte) state;
      }
      position += n;
      return n;
    }
  }
}
