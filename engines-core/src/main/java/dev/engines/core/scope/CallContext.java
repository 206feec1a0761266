package dev.engines.core.scope;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The correlation of one unit of work, carried by its {@link Caller}: the trace and request ids a
 * request arrived with (or was given), or fresh ones for work outside any request (a scheduled job,
 * a relay pass), which then names itself. DatasetEvents and audit entries take their ids from here,
 * never from the logging context read back.
 *
 * @param traceId the W3C trace id, 32 lower-case hex
 * @param requestId the request's id ({@code X-Request-Id} or {@code req_…}), or a job run's {@code
 *     job_…}
 * @param job the name of the job doing the work outside a request, or null within a request
 */
public record CallContext(String traceId, String requestId, String job) {

  /** The request attribute under which the web layer keeps the request's context. */
  public static final String ATTRIBUTE = "engines.call-context";

  private static final Pattern TRACE = Pattern.compile("^[0-9a-f]{32}$");

  /** Own randomness rather than core.ids, which depends on this package (no package cycle). */
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  public CallContext {
    if (traceId == null || !TRACE.matcher(traceId).matches()) {
      throw new IllegalArgumentException("a call context needs a W3C trace id");
    }
    Objects.requireNonNull(requestId, "requestId");
  }

  /** The context of a request, from the ids its trace filter settled. */
  public static CallContext of(Trace trace) {
    return new CallContext(trace.traceId(), trace.requestId(), null);
  }

  /**
   * A fresh context for one run of a job outside any request: a new trace id and {@code job_…} (as
   * {@code Ids.random}).
   */
  public static CallContext system(String job) {
    Objects.requireNonNull(job, "job");
    byte[] trace = new byte[16];
    RANDOM.nextBytes(trace);
    byte[] run = new byte[26];
    RANDOM.nextBytes(run);
    StringBuilder requestId = new StringBuilder("job_");
    for (byte b : run) {
      requestId.append(BASE32[b & 31]);
    }
    return new CallContext(HexFormat.of().formatHex(trace), requestId.toString(), job);
  }

  /** Whether this is the context of work outside a request. */
  public boolean isSystem() {
    return job != null;
  }
}
