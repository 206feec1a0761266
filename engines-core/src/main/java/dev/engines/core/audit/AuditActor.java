package dev.engines.core.audit;

import dev.engines.core.scope.Caller;
import java.util.Objects;

/**
 * Who performed an audited action.
 *
 * @param type {@code user}, {@code service}, {@code operator} or {@code system}
 * @param id the user id, key id, {@code operator}, or the system job's name
 * @param onBehalfOf the user a service acted for, or null
 * @param keyId the API key used, or null
 */
public record AuditActor(String type, String id, String onBehalfOf, String keyId) {

  public AuditActor {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
  }

  /** The actor of a tenant request. */
  public static AuditActor of(Caller caller) {
    return new AuditActor(
        caller.actorType().wire(), caller.actorId(), caller.onBehalfOf(), caller.keyId());
  }

  /** The platform operator. */
  public static AuditActor operator() {
    return new AuditActor("operator", "operator", null, null);
  }

  /** A scheduled job of the platform, such as the retention purge. */
  public static AuditActor system(String job) {
    return new AuditActor("system", job, null, null);
  }
}
