package dev.engines.api.web;

/** Header and request-attribute names of the scoping contract. */
public final class RequestHeaders {
  public static final String TENANT = "X-Tenant-Id";
  public static final String ENV = "X-Env";
  public static final String USER = "X-User-Id";
  public static final String REQUEST_ID = "X-Request-Id";
  public static final String TRACEPARENT = "traceparent";
  public static final String API_KEY = "X-Api-Key";
  public static final String AGENT = "X-Agent-Id";

  static final String TRACE_ATTRIBUTE = "engines.trace";
  static final String PRINCIPAL_ATTRIBUTE = "engines.principal";
  public static final String CALLER_ATTRIBUTE = "engines.caller";

  /**
   * The resolved scope's env ({@code dev}, …), set with the request's event; absent before that.
   */
  static final String ENV_ATTRIBUTE = "engines.env";

  private RequestHeaders() {}
}
