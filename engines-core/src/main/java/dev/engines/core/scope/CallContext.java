package dev.engines.core.scope;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
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
 * @param attachments what the layers serving this unit of work keep for its length (the ledger's
 *     pending event, the idempotency claim), found through the caller that carries the context
 */
public record CallContext(String traceId, String requestId, String job, Attachments attachments) {

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
    if (attachments == null) {
      attachments = new Attachments();
    }
  }

  /** A context with nothing attached yet. */
  public CallContext(String traceId, String requestId, String job) {
    this(traceId, requestId, job, new Attachments());
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

  /**
   * The state one unit of work's layers share through its context, one value per type: the web
   * layer attaches, the services' collaborators (ledger, idempotency) look it up by the caller they
   * are given. A context is used by one request at a time, but a request may hop threads, hence the
   * lock. Equal only to itself, and it prints only what types it holds.
   */
  public static final class Attachments {

    private final Map<Class<?>, Object> values = new HashMap<>();

    /** Attaches {@code value} under its type, replacing any earlier value of that type. */
    public synchronized <T> void put(Class<T> type, T value) {
      values.put(type, type.cast(Objects.requireNonNull(value, "value")));
    }

    /** The value attached under {@code type}, or null. */
    public synchronized <T> T get(Class<T> type) {
      return type.cast(values.get(type));
    }

    @Override
    public synchronized String toString() {
      return "Attachments" + values.keySet().stream().map(Class::getSimpleName).sorted().toList();
    }
  }

  /** The value attached under {@code type} to {@code caller}'s context, or null. */
  public static <T> T attached(Caller caller, Class<T> type) {
    return caller == null || caller.context() == null
        ? null
        : caller.context().attachments().get(type);
  }
}
