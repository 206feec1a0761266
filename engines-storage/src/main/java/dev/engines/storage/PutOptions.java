package dev.engines.storage;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What a {@link RawStore#put} is told about the content besides its bytes.
 *
 * @param contentType media type stored with the object, e.g. {@code application/pdf}
 * @param maxBytes the most bytes accepted; one more ends the upload with 413 and stores nothing
 * @param expectedSize the size the caller declared, checked while streaming, if any
 * @param expectedSha256 the lowercase hex sha256 the caller declared, checked at the end, if any
 */
public record PutOptions(
    String contentType, long maxBytes, OptionalLong expectedSize, Optional<String> expectedSha256) {

  /** The content type used when a caller has none. */
  public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  private static final Pattern MEDIA_TYPE =
      Pattern.compile(
          TOKEN
              + "/"
              + TOKEN
              + "(?:[ \\t]*;[ \\t]*"
              + TOKEN
              + "=(?:"
              + TOKEN
              + "|\"[^\"\\\\\\p{Cntrl}]*\"))*");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_CONTENT_TYPE_LENGTH = 255;

  /**
   * Validates the options. The content type is checked as an RFC 9110 media type because it ends up
   * in HTTP headers and signed URLs, where CR/LF or stray characters could smuggle headers.
   *
   * @throws dev.engines.core.error.EnginesException 400 on a malformed value, 413 when the declared
   *     size already exceeds {@code maxBytes}
   */
  public PutOptions {
    Objects.requireNonNull(expectedSize, "expectedSize");
    Objects.requireNonNull(expectedSha256, "expectedSha256");
    if (contentType == null
        || contentType.length() > MAX_CONTENT_TYPE_LENGTH
        || !MEDIA_TYPE.matcher(contentType).matches()) {
      throw StorageProblems.invalid("Content type must be a media type such as application/pdf.");
    }
    if (maxBytes < 1) {
      throw StorageProblems.invalid("The size limit must be at least one byte.");
    }
    if (expectedSize.isPresent() && expectedSize.getAsLong() < 0) {
      throw StorageProblems.invalid("The declared size must not be negative.");
    }
    if (expectedSize.isPresent() && expectedSize.getAsLong() > maxBytes) {
      throw StorageProblems.payloadTooLarge(maxBytes);
    }
    expectedSha256 = expectedSha256.map(hex -> hex.toLowerCase(Locale.ROOT));
    if (expectedSha256.isPresent() && !SHA256_HEX.matcher(expectedSha256.get()).matches()) {
      throw StorageProblems.invalid("The declared sha256 must be 64 hexadecimal characters.");
    }
  }

  /** Options with a content type and a size limit, and nothing declared. */
  public static PutOptions of(String contentType, long maxBytes) {
    return new PutOptions(contentType, maxBytes, OptionalLong.empty(), Optional.empty());
  }

  /** A copy that also checks the content is exactly {@code size} bytes. */
  public PutOptions withExpectedSize(long size) {
    return new PutOptions(contentType, maxBytes, OptionalLong.of(size), expectedSha256);
  }

  /** A copy that also checks the content's sha256 (hex, any case). */
  public PutOptions withExpectedSha256(String sha256Hex) {
    return new PutOptions(contentType, maxBytes, expectedSize, Optional.of(sha256Hex));
  }
}
