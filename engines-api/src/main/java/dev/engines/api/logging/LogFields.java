package dev.engines.api.logging;

/**
 * Names of the logging-context (MDC) and access-event fields, in Elastic Common Schema. Spring
 * Boot's ECS format nests dotted names, so {@code trace.id} is written as {@code
 * {"trace":{"id":…}}}, which is how Elasticsearch, Kibana and the OpenTelemetry collector's ECS
 * mapping correlate a line with its trace. Engines-specific values go under {@code labels}, ECS's
 * place for keyword fields of the deployment's own.
 */
public final class LogFields {

  /** W3C trace id (32 hex digits), the one in the response's {@code traceparent} and the ledger. */
  public static final String TRACE_ID = "trace.id";

  /** This service's span id (16 hex digits). */
  public static final String SPAN_ID = "span.id";

  /** The request id ({@code X-Request-Id}): ECS's transaction is one request served. */
  public static final String TRANSACTION_ID = "transaction.id";

  /**
   * The tenant of the resolved scope; absent before the scope is resolved and on operator routes.
   */
  public static final String TENANT_ID = "labels.tenant_id";

  /** The env of the resolved scope. */
  public static final String ENV = "labels.env";

  /** The acting principal (user id or API key id), never a credential. */
  public static final String ACTOR = "labels.actor";

  /** The user a service key acts for ({@code X-User-Id}), when it does. */
  public static final String ON_BEHALF_OF = "labels.on_behalf_of";

  // The access event's own fields (key-value pairs of the one line per request).
  /** HTTP method. */
  public static final String HTTP_METHOD = "http.request.method";

  /** The request path without its query string: query values may carry PII, paths carry ids. */
  public static final String URL_PATH = "url.path";

  /** The response status. */
  public static final String HTTP_STATUS = "http.response.status_code";

  /** The time from the first filter to the response, in nanoseconds (ECS's unit for durations). */
  public static final String EVENT_DURATION = "event.duration";

  /** The problem code of a failed request ({@code user_exists}, …). */
  public static final String ERROR_CODE = "error.code";

  private LogFields() {}
}
