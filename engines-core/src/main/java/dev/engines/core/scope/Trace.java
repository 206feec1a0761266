package dev.engines.core.scope;

/**
 * The correlation ids of one request, carried into logs, DatasetEvents and audit entries.
 *
 * @param requestId the caller's {@code X-Request-Id} or a synthesised one
 * @param traceId the W3C trace id (32 hex) from {@code traceparent} or a synthesised one
 * @param spanId this service's span id (16 hex)
 */
public record Trace(String requestId, String traceId, String spanId) {}
