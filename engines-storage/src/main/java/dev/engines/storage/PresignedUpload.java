package dev.engines.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A URL a client uploads one object's bytes to directly, bypassing Engines. The client must send
 * exactly {@link #requiredHeaders()} (they are part of the signature; {@code Host} and {@code
 * Content-Length} are set by any HTTP client from the URL and body) and a body of the size the URL
 * was signed for. After the upload the caller registers the object with {@link RawStore#verify},
 * which computes its sha256.
 *
 * @param method the HTTP method, always {@code PUT}
 * @param url the signed URL; it is a bearer credential until {@code expiresAt}, so never log it
 * @param requiredHeaders headers to send verbatim, e.g. {@code Content-Type}
 * @param expiresAt when the signature stops being accepted
 */
public record PresignedUpload(
    String method, URI url, Map<String, String> requiredHeaders, Instant expiresAt) {

  /** Copies the headers so the value stays immutable. */
  public PresignedUpload {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(expiresAt, "expiresAt");
    requiredHeaders = Map.copyOf(requiredHeaders);
  }

  /** Leaves the signed URL out, because it grants write access to whoever reads the log line. */
  @Override
  public String toString() {
    return "PresignedUpload[method="
        + method
        + ", host="
        + url.getHost()
        + ", headers="
        + requiredHeaders.keySet()
        + ", expiresAt="
        + expiresAt
        + "]";
  }
}
