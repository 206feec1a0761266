package dev.engines.api.gates;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.version.Preconditions;
import dev.engines.gates.GateActions;
import dev.engines.gates.KillSwitch;
import dev.engines.gates.KillSwitches;
import dev.engines.gates.StrategyLock;
import dev.engines.gates.StrategyLocks;
import dev.engines.gates.Usage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Strategy locks, the kill switch and the usage of quotas and budgets of a tenant/env. Admins draft
 * locks, owners approve or reject them (someone other than the author when the env's {@code gates}
 * slot asks for four eyes), viewers read them. Admins change the kill switch, itself a gated action
 * ({@code safety:kill_switch_update}, needing an approved lock for every surface). Both are
 * versioned: the version is the {@code ETag} of every answer, and a write under {@code If-Match}
 * with another version answers 412 {@code precondition_failed}.
 */
@RestController
@Tag(name = "gates", description = "Strategy locks and the kill switch")
public class GateController {

  private final StrategyLocks locks;
  private final KillSwitches killSwitches;
  private final Usage usage;

  public GateController(StrategyLocks locks, KillSwitches killSwitches, Usage usage) {
    this.locks = locks;
    this.killSwitches = killSwitches;
    this.usage = usage;
  }

  /**
   * A lock to draft.
   *
   * @param allowedActions action names ({@code <engine>:<verb>}), or {@code ["*"]}
   * @param surface leave it out for every surface
   */
  public record LockBody(
      String scope,
      List<String> allowedActions,
      Instant validFrom,
      Instant validUntil,
      String surface,
      String title,
      String description) {}

  /** The kill switch to write: both lists required (empty disables nothing). */
  public record KillSwitchBody(List<String> disabledActions, List<String> disabledProviders) {}

  @PostMapping("/v1/strategy-locks")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      operationId = "createStrategyLock",
      summary =
          "Draft a strategy lock: {scope, allowed_actions, valid_from, valid_until, surface?, title, description?}")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gates",
      action = "strategy_lock.create",
      kind = Kind.WRITE,
      gate = GateActions.LOCK_CREATE,
      creates = true)
  public ResponseEntity<StrategyLock> create(
      @Parameter(hidden = true) Caller caller, @RequestBody(required = false) LockBody body) {
    if (body == null) {
      throw EnginesException.validation("The request body must be a strategy lock.");
    }
    StrategyLock lock =
        locks.create(
            caller,
            new StrategyLocks.NewLock(
                body.scope(),
                body.allowedActions(),
                body.validFrom(),
                body.validUntil(),
                body.surface(),
                body.title(),
                body.description()));
    return ResponseEntity.created(URI.create("/v1/strategy-locks/" + lock.lockId()))
        .eTag(Preconditions.etag(lock.version()))
        .body(lock);
  }

  @PostMapping("/v1/strategy-locks/{lockId}/approve")
  @Operation(
      operationId = "approveStrategyLock",
      summary =
          "Approve a draft (owner; 409 config_missing without the env's gates slot, 403 four_eyes_required,"
              + " 409 lock_not_draft, lock_expired); If-Match: the version you read (412 precondition_failed)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.OWNER,
      surface = "gates",
      action = "strategy_lock.approve",
      kind = Kind.WRITE,
      gate = GateActions.LOCK_APPROVE)
  public ResponseEntity<StrategyLock> approve(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String lockId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    return versioned(locks.approve(caller, lockId, Preconditions.of(ifMatch, null)));
  }

  @PostMapping("/v1/strategy-locks/{lockId}/reject")
  @Operation(
      operationId = "rejectStrategyLock",
      summary =
          "Reject a draft (owner; 409 lock_not_draft); If-Match: the version you read (412 precondition_failed)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.OWNER,
      surface = "gates",
      action = "strategy_lock.reject",
      kind = Kind.WRITE,
      gate = GateActions.LOCK_REJECT)
  public ResponseEntity<StrategyLock> reject(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String lockId,
      @RequestHeader(name = "If-Match", required = false) String ifMatch) {
    return versioned(locks.reject(caller, lockId, Preconditions.of(ifMatch, null)));
  }

  @GetMapping("/v1/strategy-locks")
  @Operation(
      operationId = "listStrategyLocks",
      summary =
          "Locks newest first; ?status=draft|approved|rejected|expired (as they read now), ?surface=")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "gates",
      action = "strategy_lock.list",
      kind = Kind.READ,
      gate = GateActions.LOCK_LIST)
  public Page<StrategyLock> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String surface,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return locks.list(caller, status, surface, cursor, Cursors.limit(limit, 100));
  }

  @GetMapping("/v1/strategy-locks/{lockId}")
  @Operation(
      operationId = "getStrategyLock",
      summary =
          "One lock; a draft or approved lock past valid_until reads as expired; ETag is its version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "gates",
      action = "strategy_lock.get",
      kind = Kind.READ,
      gate = GateActions.LOCK_GET)
  public ResponseEntity<StrategyLock> get(
      @Parameter(hidden = true) Caller caller, @PathVariable String lockId) {
    return versioned(locks.get(caller, lockId));
  }

  @GetMapping("/v1/kill-switch")
  @Operation(
      operationId = "getKillSwitch",
      summary =
          "The env's kill switch (version 0: never set, nothing disabled); ETag is the version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "gates",
      action = "kill_switch.get",
      kind = Kind.READ,
      gate = GateActions.KILL_SWITCH_GET)
  public ResponseEntity<KillSwitch> killSwitch(@Parameter(hidden = true) Caller caller) {
    KillSwitch current = killSwitches.current(caller);
    return ResponseEntity.ok().eTag(Preconditions.etag(current.version())).body(current);
  }

  @GetMapping("/v1/usage/quotas")
  @Operation(
      operationId = "getUsageQuotas",
      summary =
          "The env's quotas and budgets: limit in force, used in the current UTC day or month, when it resets;"
              + " its rate limits per minute and its price table")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "gates",
      action = "usage.quotas_get",
      kind = Kind.READ,
      gate = GateActions.USAGE_GET)
  public Usage.Report usage(@Parameter(hidden = true) Caller caller) {
    return usage.current(caller);
  }

  @PutMapping("/v1/kill-switch")
  @Operation(
      operationId = "updateKillSwitch",
      summary =
          "Write the env's kill switch: {disabled_actions, disabled_providers}; gated (safety:kill_switch_update,"
              + " a lock for every surface), audited; If-Match: the version you read (\"0\": never set) → 412 precondition_failed")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "gates",
      action = "kill_switch.update",
      kind = Kind.WRITE,
      gate = GateActions.KILL_SWITCH_UPDATE)
  public ResponseEntity<KillSwitch> updateKillSwitch(
      @Parameter(hidden = true) Caller caller,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) KillSwitchBody body) {
    if (body == null) {
      throw EnginesException.validation(
          "The request body must be {disabled_actions, disabled_providers}.");
    }
    KillSwitch written =
        killSwitches.update(
            caller,
            body.disabledActions(),
            body.disabledProviders(),
            Preconditions.of(ifMatch, null));
    return ResponseEntity.ok().eTag(Preconditions.etag(written.version())).body(written);
  }

  private static ResponseEntity<StrategyLock> versioned(StrategyLock lock) {
    return ResponseEntity.ok().eTag(Preconditions.etag(lock.version())).body(lock);
  }
}
