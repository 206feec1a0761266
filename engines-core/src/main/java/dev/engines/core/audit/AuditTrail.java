package dev.engines.core.audit;

import dev.engines.core.scope.CallContext;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.TenantId;
import java.util.Map;

/**
 * Where services record sensitive actions (keys, roles, policies, re-identification, export,
 * erasure, purge, retention, legal hold). An entry is appended to the tenant's hash chain inside
 * the transaction that performs the action, so the action and its entry commit or roll back
 * together; call it only inside a transaction bound to {@code tenant}. Within a request the entry
 * also becomes an output ref ({@code audit:au_…}) of the request's DatasetEvent, so audit entries
 * are DatasetEvents too.
 *
 * <p>Details hold ids, counts and pseudonyms only: never e-mail addresses, original values behind
 * tokens, secrets or free text a caller typed.
 */
public interface AuditTrail {

  /** The action names a trail accepts: lower case, {@code noun.verb}. */
  String ACTION_PATTERN = "^[a-z_]{1,40}\\.[a-z_.]{1,39}$";

  /**
   * Appends one successful action of an actor that is no tenant {@link Caller} (the operator) to
   * {@code tenant}'s chain.
   *
   * @param env the env the action happened in, or null for tenant-level actions
   * @param context the trace and request ids of the request (or job run) that did it
   */
  AuditEntry record(
      TenantId tenant,
      Env env,
      AuditActor actor,
      CallContext context,
      String action,
      String targetType,
      String targetId,
      Map<String, ?> details);

  /** Appends one successful action a tenant caller performed, in the caller's tenant/env. */
  default AuditEntry record(
      Caller caller, String action, String targetType, String targetId, Map<String, ?> details) {
    return record(
        caller.scope().tenant(),
        caller.scope().env(),
        AuditActor.of(caller),
        caller.context(),
        action,
        targetType,
        targetId,
        details);
  }
}
