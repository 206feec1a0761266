package dev.engines.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a backend call may take. Each cloud adapter maps these onto its SDK (S3: HTTP client
 * connection and socket timeouts, API call attempt and total timeouts; GCS: transport connect and
 * read timeouts, per-RPC and total retry timeouts), so an outage fails within {@code total} instead
 * of holding a request thread.
 *
 * @param connect establishing a TCP/TLS connection
 * @param read the longest silence while reading a response
 * @param attempt one attempt of one call, including its upload of at most one part
 * @param total one call including all retries and back-off
 */
public record StorageTimeouts(Duration connect, Duration read, Duration attempt, Duration total) {

  /**
   * Values that suit a backend in the same region: connect 5 s, read 30 s, attempt 60 s, total 180
   * s.
   */
  public static final StorageTimeouts DEFAULTS =
      new StorageTimeouts(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofSeconds(60),
          Duration.ofSeconds(180));

  /**
   * Checks that every timeout is positive and that they nest: connect and read fit in one attempt,
   * one attempt fits in the total.
   *
   * @throws IllegalArgumentException naming the rule broken
   */
  public StorageTimeouts {
    requirePositive(connect, "connect");
    requirePositive(read, "read");
    requirePositive(attempt, "attempt");
    requirePositive(total, "total");
    if (connect.compareTo(attempt) > 0 || read.compareTo(attempt) > 0) {
      throw new IllegalArgumentException(
          "storage connect and read timeouts must not exceed the attempt timeout");
    }
    if (attempt.compareTo(total) > 0) {
      throw new IllegalArgumentException(
          "storage attempt timeout must not exceed the total timeout");
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("storage " + name + " timeout must be positive");
    }
  }
}
