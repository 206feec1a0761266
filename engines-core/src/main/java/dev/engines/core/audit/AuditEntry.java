package dev.engines.core.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One row of a tenant's hash-chained audit trail. It carries ids and pseudonyms only, never e-mail
 * addresses, tokens, secrets or other personal data.
 *
 * @param tenantId the tenant whose chain holds the entry
 * @param seq position in the tenant's chain, 1, 2, 3, … without gaps
 * @param entryId {@code au_…}
 * @param env the env of the request, or null for tenant-level actions (operator actions, tenant
 *     purge)
 * @param action what was done, {@code noun.verb} (e.g. {@code api_key.revoke})
 * @param targetType the kind of thing acted on, or null
 * @param targetId its id, or null
 * @param outcome {@code success} or {@code failure}
 * @param details further ids, counts and pseudonyms; values are strings, numbers, booleans or lists
 *     of them
 * @param prevHash the previous entry's {@link #hash} (64 zeros for the first entry)
 * @param hash HMAC-SHA256 over the canonical serialisation of every other field, {@code prevHash}
 *     included
 */
public record AuditEntry(
    String tenantId,
    long seq,
    String entryId,
    String env,
    Instant occurredAt,
    AuditActor actor,
    String action,
    String targetType,
    String targetId,
    String outcome,
    SortedMap<String, Object> details,
    String traceId,
    String requestId,
    String prevHash,
    String hash) {

  public AuditEntry {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(entryId, "entryId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(requestId, "requestId");
    details =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(Objects.requireNonNull(details, "details")));
  }
}
