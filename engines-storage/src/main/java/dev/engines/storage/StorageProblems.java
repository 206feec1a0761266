package dev.engines.storage;

import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;

/**
 * Problem codes a {@link RawStore} answers with, and the factories adapters use to raise them, so
 * every backend fails with the same status and code for the same situation. Details never carry
 * keys, credentials or backend messages; the backend's exception stays attached as the cause for
 * the logs.
 */
public final class StorageProblems {

  /** 400: a filename or other key segment is unsafe (separators, dots, controls, too long). */
  public static final String INVALID_FILENAME = "invalid_filename";

  /** 400: an asset id does not have the raw-asset id form. */
  public static final String INVALID_ASSET_ID = "invalid_asset_id";

  /** 400: the upload stream broke off before its end; nothing was stored. */
  public static final String UPLOAD_INTERRUPTED = "upload_interrupted";

  /** 413: the content is larger than the caller's limit; nothing was stored. */
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";

  /** 422: the content does not match the declared size or sha256; nothing was stored. */
  public static final String CONTENT_MISMATCH = "content_mismatch";

  /** 501: this backend (or its credentials) cannot issue presigned upload URLs. */
  public static final String PRESIGN_UNSUPPORTED = "presign_unsupported";

  /** 503: the backend did not answer in time or failed; retrying later may succeed. */
  public static final String STORAGE_UNAVAILABLE = "storage_unavailable";

  /**
   * 500: the backend refused the request (credentials, permissions, bucket); an operator must act.
   */
  public static final String STORAGE_MISCONFIGURED = "storage_misconfigured";

  private StorageProblems() {}

  /** 404 {@code not_found} for an object that does not exist. */
  public static EnginesException notFound() {
    return EnginesException.notFound("Object");
  }

  /** 413: more than {@code maxBytes} were sent. */
  public static EnginesException payloadTooLarge(long maxBytes) {
    return new EnginesException(
        413, PAYLOAD_TOO_LARGE, "The content exceeds the limit of " + maxBytes + " bytes.");
  }

  /** 422: what arrived is not what was declared; {@code what} names the field, e.g. "sha256". */
  public static EnginesException contentMismatch(String what) {
    return new EnginesException(
        422, CONTENT_MISMATCH, "The content does not match the declared " + what + ".");
  }

  /** 400: reading the caller's stream failed part way. */
  public static EnginesException uploadInterrupted(Throwable cause) {
    return new EnginesException(
        400,
        UPLOAD_INTERRUPTED,
        "The upload stream failed before its end; nothing was stored.",
        cause);
  }

  /** 501 for a backend that cannot presign. */
  public static EnginesException presignUnsupported(String backend, String why) {
    return new EnginesException(
        501,
        PRESIGN_UNSUPPORTED,
        "Presigned uploads are not available on the " + backend + " backend: " + why);
  }

  /** 503 for an outage, timeout or throttling; {@code cause} is kept for the logs. */
  public static EnginesException unavailable(String backend, Throwable cause) {
    return new EnginesException(
        503, STORAGE_UNAVAILABLE, "Object storage (" + backend + ") is unavailable.", cause);
  }

  /** 500 for a request the backend refused because of its configuration. */
  public static EnginesException misconfigured(String backend, Throwable cause) {
    return new EnginesException(
        500,
        STORAGE_MISCONFIGURED,
        "Object storage (" + backend + ") refused the request; check its configuration.",
        cause);
  }

  /** 400 for an invalid request value, e.g. a ttl out of range. */
  public static EnginesException invalid(String detail) {
    return new EnginesException(400, ProblemCodes.VALIDATION_FAILED, detail);
  }
}
