package dev.engines.gates;

import java.time.Instant;
import java.util.List;

/**
 * A strategy lock: an advance approval for gated actions in one tenant/env, for one surface or for
 * all of them, during a time window.
 *
 * @param scope what the lock is about: {@code campaign}, {@code budget}, {@code kpi_corridor},
 *     {@code code_deploy}, {@code app_toggle} or {@code other}
 * @param status {@code draft}, {@code approved}, {@code rejected} or {@code expired} (a draft or
 *     approved lock whose {@code valid_until} has passed; a rejection stays a rejection)
 * @param allowedActions the action names it permits, sorted, or {@code ["*"]} for every action
 * @param surface the surface it is for; null for every surface
 * @param title redacted by the PII pipeline before it was stored
 * @param description redacted likewise; empty when none was given
 * @param createdBy the actor id that drafted it
 * @param decidedAt when it was approved or rejected; null while a draft
 * @param decidedBy the actor id that approved or rejected it; null while a draft
 * @param version its {@code ETag}: 1 as drafted, 2 once approved or rejected (a lock is written at
 *     most twice; expiry is read from the clock, not written)
 */
public record StrategyLock(
    String lockId,
    String scope,
    String status,
    List<String> allowedActions,
    Instant validFrom,
    Instant validUntil,
    String surface,
    String title,
    String description,
    Instant createdAt,
    String createdBy,
    Instant decidedAt,
    String decidedBy,
    int version) {

  public StrategyLock {
    allowedActions = List.copyOf(allowedActions);
  }
}
