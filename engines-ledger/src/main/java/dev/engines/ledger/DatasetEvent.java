package dev.engines.ledger;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One entry of the ledger of engine activity. It holds ids and refs only, never content: refs name
 * what was read or written ({@code user:u_…}, {@code atom:at_…}), typed by {@link RefType}.
 *
 * @param eventId {@code ev_…}
 * @param scope tenant and env; an event without them cannot be constructed
 * @param kind {@code read} or {@code write}
 * @param actorType {@code user}, {@code service}, {@code operator} or {@code system}
 * @param onBehalfOf the user a service acted for, or null
 * @param agentId an orchestration agent id the caller supplied, or null
 * @param piiFlags counts per PII type plus the policy version, or null when no text was inspected
 * @param trainOk false when the data touched may not be used for training
 * @param outcome {@code success} or {@code failure}
 * @param errorCode the problem code of a failure, else null
 */
public record DatasetEvent(
    String eventId,
    Scope scope,
    Instant occurredAt,
    String surface,
    String action,
    String kind,
    String actorType,
    String actorId,
    String onBehalfOf,
    String keyId,
    String agentId,
    List<Ref> inputRefs,
    List<Ref> outputRefs,
    SortedMap<String, Object> piiFlags,
    boolean trainOk,
    String outcome,
    String errorCode,
    String traceId,
    String requestId) {

  private static final Pattern SURFACE = Pattern.compile("^[a-z_]{1,40}$");
  private static final Pattern ACTION = Pattern.compile("^[a-z_.]{1,80}$");
  private static final Pattern TRACE = Pattern.compile("^[0-9a-f]{32}$");

  public static final String READ = "read";
  public static final String WRITE = "write";
  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  public DatasetEvent {
    if (scope == null) {
      throw new EnginesException(500, "event_invalid", "A DatasetEvent needs a tenant and an env.");
    }
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(actorType, "actorType");
    Objects.requireNonNull(actorId, "actorId");
    if (surface == null
        || !SURFACE.matcher(surface).matches()
        || action == null
        || !ACTION.matcher(action).matches()) {
      throw new EnginesException(
          500, "event_invalid", "A DatasetEvent needs a surface and an action.");
    }
    if (!READ.equals(kind) && !WRITE.equals(kind)) {
      throw new EnginesException(500, "event_invalid", "A DatasetEvent kind is read or write.");
    }
    if (!(SUCCESS.equals(outcome) && errorCode == null)
        && !(FAILURE.equals(outcome) && errorCode != null)) {
      throw new EnginesException(
          500,
          "event_invalid",
          "A failed DatasetEvent carries an error code; a successful one none.");
    }
    if (traceId == null || !TRACE.matcher(traceId).matches()) {
      throw new EnginesException(500, "event_invalid", "A DatasetEvent needs a W3C trace id.");
    }
    Objects.requireNonNull(requestId, "requestId");
    inputRefs = List.copyOf(inputRefs);
    outputRefs = List.copyOf(outputRefs);
    piiFlags = piiFlags == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(piiFlags));
  }

  /**
   * A reference to a thing by type and id.
   *
   * @param type its type, from the one vocabulary
   * @param id its id
   */
  public record Ref(RefType type, String id) {
    public Ref {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(id, "id");
    }

    public Map<String, String> toMap() {
      return Map.of("type", type.wire(), "id", id);
    }
  }
}
