package dev.engines.storage;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A fixed prefix an operator configures in front of every key in a bucket, e.g. {@code engines/eu}
 * so several deployments can share one bucket. Each '/'-separated segment obeys the same rules as a
 * filename (see {@link ObjectKey}); empty segments, and so leading or trailing slashes, are
 * refused. An empty value means no prefix.
 *
 * @param value the prefix without trailing slash, or {@code ""} for none
 */
public record BucketPrefix(String value) {

  /** No prefix: keys are stored under their own names. */
  public static final BucketPrefix NONE = new BucketPrefix("");

  /** Leaves room for a full object key inside the 1024-byte key limit of S3 and GCS. */
  static final int MAX_BYTES = 256;

  /**
   * Validates the prefix. Invalid configuration fails when settings are built, at startup.
   *
   * @throws IllegalArgumentException naming the rule the prefix breaks
   */
  public BucketPrefix {
    if (value == null) {
      throw new IllegalArgumentException(
          "storage key prefix must not be null; use BucketPrefix.NONE");
    }
    if (!value.isEmpty()) {
      if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
        throw new IllegalArgumentException(
            "storage key prefix must be at most " + MAX_BYTES + " bytes");
      }
      for (String segment : value.split("/", -1)) {
        if (!segment.equals(KeySegments.canonical(segment))) {
          throw new IllegalArgumentException("storage key prefix must be in Unicode NFC form");
        }
        Optional<String> violation = KeySegments.violation(segment);
        if (violation.isPresent()) {
          throw new IllegalArgumentException(
              "storage key prefix segment "
                  + violation.get()
                  + " (segments are separated by single '/', without leading or trailing '/')");
        }
      }
    }
  }

  /**
   * {@code outer/inner}, leaving out empty parts: a tenant slot's prefix inside the deployment's.
   */
  public static String join(String outer, String inner) {
    if (outer.isEmpty()) {
      return inner;
    }
    return inner.isEmpty() ? outer : outer + "/" + inner;
  }

  /**
   * Whether a segment of this prefix is the key layout's reserved root {@link ObjectKey#ROOT}, in
   * any letter case, width or percent-encoding. Every key starts with {@code tenants/<tenant>/}, so
   * a prefix without that segment can never make one tenant's backend names lie inside the names
   * another tenant's keys produce (under any other prefix of the same bucket); a tenant's slot
   * prefix must not have it. The deployment's own prefix, common to all tenants, may.
   */
  public boolean overlapsKeyLayout() {
    if (value.isEmpty()) {
      return false;
    }
    for (String segment : value.split("/")) {
      if (KeySegments.namesRoot(segment)) {
        return true;
      }
    }
    return false;
  }

  /** The backend name of {@code key}. */
  public String apply(ObjectKey key) {
    return value.isEmpty() ? key.value() : value + "/" + key.value();
  }

  /** The backend name prefix of {@code prefix}. */
  public String apply(ObjectKeyPrefix prefix) {
    return value.isEmpty() ? prefix.value() : value + "/" + prefix.value();
  }

  /**
   * The logical key name inside a backend name, or empty when the name lies outside this prefix.
   */
  public Optional<String> strip(String backendName) {
    if (value.isEmpty()) {
      return Optional.of(backendName);
    }
    String head = value + "/";
    return backendName.startsWith(head)
        ? Optional.of(backendName.substring(head.length()))
        : Optional.empty();
  }
}
