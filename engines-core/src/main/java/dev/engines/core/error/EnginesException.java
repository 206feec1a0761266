package dev.engines.core.error;

/**
 * The one exception type that crosses module boundaries. It carries the HTTP status and the stable
 * problem {@code code} that callers branch on; the API renders it as RFC 9457 problem details.
 * Messages must never contain PII or secrets: they reach clients and logs.
 */
public class EnginesException extends RuntimeException {

  private final int status;
  private final String code;

  public EnginesException(int status, String code, String detail) {
    this(status, code, detail, null);
  }

  public EnginesException(int status, String code, String detail, Throwable cause) {
    super(detail, cause);
    this.status = status;
    this.code = code;
  }

  /** The HTTP status this problem answers with. */
  public int status() {
    return status;
  }

  /** The stable machine-readable problem code, e.g. {@code tenant_required}. */
  public String code() {
    return code;
  }

  /**
   * Seconds after which a retry may succeed, sent as {@code Retry-After}; 0 when the problem names
   * none.
   */
  public int retryAfterSeconds() {
    return 0;
  }

  public static EnginesException badRequest(String code, String detail) {
    return new EnginesException(400, code, detail);
  }

  public static EnginesException validation(String detail) {
    return new EnginesException(400, ProblemCodes.VALIDATION_FAILED, detail);
  }

  public static EnginesException unauthorized(String code, String detail) {
    return new EnginesException(401, code, detail);
  }

  public static EnginesException forbidden(String code, String detail) {
    return new EnginesException(403, code, detail);
  }

  public static EnginesException notFound(String what) {
    return new EnginesException(404, ProblemCodes.NOT_FOUND, what + " not found.");
  }

  public static EnginesException conflict(String code, String detail) {
    return new EnginesException(409, code, detail);
  }

  public static EnginesException unavailable(String code, String detail) {
    return new EnginesException(503, code, detail);
  }
}
