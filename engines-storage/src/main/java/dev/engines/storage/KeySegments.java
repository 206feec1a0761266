package dev.engines.storage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule set for a single path segment of an object key (a filename, or one part of a
 * configured bucket prefix). A segment that passes can never name a parent, a root, another
 * directory or a different drive, on any backend or after any later decoding step.
 */
final class KeySegments {

  /** S3, GCS and common filesystems cap one name at 255 bytes; the key must fit all of them. */
  static final int MAX_SEGMENT_BYTES = 255;

  /**
   * How many rounds of percent-decoding are checked. Each round strips one layer ({@code %252f} →
   * {@code %2f} → {@code /}); a name that still changes after this many layers is refused outright.
   */
  private static final int MAX_DECODE_ROUNDS = 4;

  private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

  private KeySegments() {}

  /**
   * Canonical form of a segment: Unicode NFC, so that the same visible name typed on macOS (NFD)
   * and elsewhere (NFC) yields the same key.
   */
  static String canonical(String segment) {
    return Normalizer.normalize(segment, Normalizer.Form.NFC);
  }

  /**
   * Why {@code segment} (already canonical) is not a safe key segment, or empty when it is. The
   * reason names the rule, never the input, because names can carry personal data.
   */
  static Optional<String> violation(String segment) {
    if (segment == null || segment.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
      return Optional.of("must be at most " + MAX_SEGMENT_BYTES + " bytes in UTF-8");
    }
    String current = segment;
    for (int round = 0; round <= MAX_DECODE_ROUNDS; round++) {
      Optional<String> plain = plainViolation(current);
      if (plain.isPresent()) {
        return round == 0
            ? plain
            : Optional.of(
                "must not contain percent-encoded separators, dots or control characters");
      }
      // A later NFKC step (search indexes, some filesystems) folds look-alikes such as the
      // fullwidth
      // solidus U+FF0F into '/', and U+2025 into "..": refuse what would become unsafe there too.
      if (plainViolation(Normalizer.normalize(current, Normalizer.Form.NFKC)).isPresent()) {
        return Optional.of("must not contain characters that normalise to separators or dots");
      }
      String decoded = percentDecode(current);
      if (decoded.equals(current)) {
        return Optional.empty();
      }
      current = decoded;
    }
    return Optional.of("must not be percent-encoded more than " + MAX_DECODE_ROUNDS + " times");
  }

  /**
   * Whether {@code segment} is the key layout's reserved root ({@link ObjectKey#ROOT}) to some
   * backend or tool on the way: compared at every percent-decoding depth, after NFKC (fullwidth and
   * other compatibility letters) and case folding (case-insensitive filesystems), without the
   * trailing dots and spaces Windows drops from names.
   */
  static boolean namesRoot(String segment) {
    String current = segment;
    for (int round = 0; round <= MAX_DECODE_ROUNDS; round++) {
      String folded =
          Normalizer.normalize(
                  Normalizer.normalize(current, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT),
                  Normalizer.Form.NFKC)
              .replaceAll("[. ]+$", "");
      if (folded.equals(ObjectKey.ROOT)) {
        return true;
      }
      String decoded = percentDecode(current);
      if (decoded.equals(current)) {
        return false;
      }
      current = decoded;
    }
    return true;
  }

  private static Optional<String> plainViolation(String s) {
    if (s.isEmpty() || s.equals(".") || s.equals("..")) {
      return Optional.of("must not be empty, '.' or '..'");
    }
    if (s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
      return Optional.of("must not contain '/' or '\\'");
    }
    if (DRIVE_LETTER.matcher(s).matches()) {
      return Optional.of("must not start with a drive letter");
    }
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int type = Character.getType(cp);
      // Cc: NUL and other controls; Cf: invisible format characters such as bidi overrides that
      // disguise a name; Cs: a lone surrogate, which has no UTF-8 form.
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE) {
        return Optional.of("must not contain control, format or unpaired surrogate characters");
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  /**
   * Decodes every well-formed {@code %XX} escape as UTF-8 and leaves anything else as it is, so a
   * literal '%' in a name ({@code 50%.pdf}) survives. Invalid UTF-8 becomes U+FFFD, which is
   * harmless.
   */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      out.write(bytes[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
