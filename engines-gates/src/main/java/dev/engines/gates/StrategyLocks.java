package dev.engines.gates;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.pii.TextRedactor;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.version.Preconditions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strategy locks ({@code strategy_locks}): admins draft them, owners approve or reject them, and
 * the {@link GateChain} lets a gated action through only under an approved lock that is valid now,
 * is for the action's surface (or for every surface) and lists the action (or {@code *}). When the
 * env's {@code gates} slot asks for four eyes, the approver must be someone other than the author.
 * Every change is audited; nothing is ever deleted but by a tenant purge.
 */
public final class StrategyLocks {

  /** The lock scopes. */
  public static final Set<String> SCOPES =
      Set.of("campaign", "budget", "kpi_corridor", "code_deploy", "app_toggle", "other");

  /** The statuses a lock reads as. */
  public static final Set<String> STATUSES = Set.of("draft", "approved", "rejected", "expired");

  /** Problem code: approving or rejecting a lock that is no longer a draft. */
  public static final String LOCK_NOT_DRAFT = "lock_not_draft";

  /** Problem code: approving a lock whose {@code valid_until} has passed. */
  public static final String LOCK_EXPIRED = "lock_expired";

  /** Problem code: the author approving their own lock where the gates slot asks for four eyes. */
  public static final String FOUR_EYES_REQUIRED = "four_eyes_required";

  /** The most actions one lock lists. */
  public static final int MAX_ACTIONS = 50;

  /** What a surface name looks like. */
  public static final Pattern SURFACE = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");

  private static final Pattern LOCK_ID = Pattern.compile("^sl_[a-z2-7]{26}$");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};
  private static final String COLUMNS =
      "lock_id, seq, scope, status, allowed_actions, valid_from, valid_until, surface,"
          + " title, description, created_at, created_by, decided_at, decided_by,"
          + " CASE WHEN status <> 'rejected' AND valid_until <= :now THEN 'expired' ELSE status END AS effective_status";

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final AuditTrail audit;
  private final EventRecorder events;
  private final TextRedactor redactor;
  private final GateSlots slots;
  private final PurgeFence fence;

  public StrategyLocks(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      EventRecorder events,
      TextRedactor redactor,
      GateSlots slots,
      PurgeFence fence) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.events = Objects.requireNonNull(events, "events");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * A lock to draft.
   *
   * @param allowedActions action names ({@link GateActions#NAME}), or {@code ["*"]}
   * @param surface null for every surface
   * @param description null for none
   */
  public record NewLock(
      String scope,
      List<String> allowedActions,
      Instant validFrom,
      Instant validUntil,
      String surface,
      String title,
      String description) {}

  /**
   * Drafts a lock. The title and description are free text: they pass the PII pipeline before they
   * are stored.
   *
   * @throws InvalidFieldsException naming every invalid field
   */
  public StrategyLock create(Caller caller, NewLock spec) {
    Instant now = clock.instant();
    List<String> actions = validate(spec, now);
    Scope scope = caller.scope();
    String title = redactor.redactForStorage(caller, spec.title());
    String description =
        spec.description() == null ? "" : redactor.redactForStorage(caller, spec.description());
    String lockId = Ids.random("sl");
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          jdbc.sql(
                  "INSERT INTO strategy_locks (tenant_id, env, lock_id, scope, status, allowed_actions, valid_from, valid_until,"
                      + " surface, title, description, created_at, created_by, created_for)"
                      + " VALUES (:t, :e, :id, :scope, 'draft', CAST(:actions AS jsonb), :from, :until, :surface, :title, :description,"
                      + " :now, :by, :for)")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("id", lockId)
              .param("scope", spec.scope())
              .param("actions", JSON.writeValueAsString(actions))
              .param("from", Sql.ts(spec.validFrom()))
              .param("until", Sql.ts(spec.validUntil()))
              .param("surface", spec.surface())
              .param("title", title)
              .param("description", description)
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .param("for", caller.effectiveUserId())
              .update();
          StrategyLock lock = find(scope, lockId, now).orElseThrow();
          // Names, times and the surface only: the title and description are free text.
          audit.record(caller, "strategy_lock.create", "strategy_lock", lockId, summary(lock));
          events.output(caller, RefType.STRATEGY_LOCK, lockId);
          return lock;
        });
  }

  /**
   * Approves a draft. 404 for an unknown id, 412 {@code precondition_failed} when {@code
   * preconditions} on its version do not hold, 409 {@code config_missing} without the env's gates
   * slot, 409 {@value #LOCK_EXPIRED} / {@value #LOCK_NOT_DRAFT}, 403 {@value #FOUR_EYES_REQUIRED}.
   */
  public StrategyLock approve(Caller caller, String lockId, Preconditions preconditions) {
    Scope scope = caller.scope();
    return tx.write(
        caller,
        () -> {
          Instant now = clock.instant();
          Decidable lock = lockForDecision(scope, lockId, now);
          preconditions.check(lock.lock().version(), "The strategy lock");
          boolean fourEyes = slots.gates(caller).fourEyes();
          requireDraft(lock, true);
          if (fourEyes && samePerson(lock, caller)) {
            throw EnginesException.forbidden(
                FOUR_EYES_REQUIRED,
                "This env's gates slot asks for four eyes: someone other than the lock's author approves it.");
          }
          StrategyLock approved = decide(caller, scope, lockId, "approved", now);
          Map<String, Object> details = summary(approved);
          details.put("four_eyes", fourEyes);
          audit.record(caller, "strategy_lock.approve", "strategy_lock", lockId, details);
          return approved;
        });
  }

  /**
   * Rejects a draft (its author may withdraw it). 404 for an unknown id, 412 {@code
   * precondition_failed} when {@code preconditions} on its version do not hold, 409 {@value
   * #LOCK_NOT_DRAFT}.
   */
  public StrategyLock reject(Caller caller, String lockId, Preconditions preconditions) {
    Scope scope = caller.scope();
    return tx.write(
        caller,
        () -> {
          Instant now = clock.instant();
          Decidable lock = lockForDecision(scope, lockId, now);
          preconditions.check(lock.lock().version(), "The strategy lock");
          requireDraft(lock, false);
          StrategyLock rejected = decide(caller, scope, lockId, "rejected", now);
          audit.record(caller, "strategy_lock.reject", "strategy_lock", lockId, summary(rejected));
          return rejected;
        });
  }

  /** One lock; 404 for an id that is not one of this tenant/env's. */
  public StrategyLock get(Caller caller, String lockId) {
    Scope scope = caller.scope();
    Instant now = clock.instant();
    StrategyLock lock =
        tx.read(caller, () -> find(scope, lockId, now))
            .orElseThrow(() -> EnginesException.notFound("Strategy lock"));
    events.output(caller, RefType.STRATEGY_LOCK, lock.lockId());
    return lock;
  }

  /**
   * Locks newest first, optionally of one status (as they read now) and one surface ({@code
   * surface} matches locks for that surface only, not those for every surface).
   */
  public Page<StrategyLock> list(
      Caller caller, String status, String surface, String cursor, int limit) {
    if (status != null && !STATUSES.contains(status)) {
      throw EnginesException.validation("status must be one of " + new TreeSet<>(STATUSES) + ".");
    }
    if (surface != null && !SURFACE.matcher(surface).matches()) {
      throw EnginesException.validation("surface must match " + SURFACE.pattern() + ".");
    }
    long before = Cursors.decodeLong(cursor, Long.MAX_VALUE);
    Scope scope = caller.scope();
    Instant now = clock.instant();
    List<Listed> rows =
        tx.read(
            caller,
            () ->
                jdbc.sql(
                        "SELECT * FROM (SELECT "
                            + COLUMNS
                            + " FROM strategy_locks"
                            + " WHERE tenant_id = :t AND env = :e AND seq < :before AND (CAST(:surface AS text) IS NULL OR surface = :surface)) l"
                            + " WHERE CAST(:status AS text) IS NULL OR effective_status = :status ORDER BY seq DESC LIMIT :limit")
                    .param("t", scope.tenantId())
                    .param("e", scope.env().wire())
                    .param("before", before)
                    .param("surface", surface)
                    .param("status", status)
                    .param("now", Sql.ts(now))
                    .param("limit", limit + 1)
                    .query((rs, n) -> new Listed(rs.getLong("seq"), map(rs)))
                    .list());
    Page<Listed> page = Page.of(rows, limit, r -> Long.toString(r.seq()));
    page.items().forEach(r -> events.output(caller, RefType.STRATEGY_LOCK, r.lock().lockId()));
    return new Page<>(page.items().stream().map(Listed::lock).toList(), page.nextCursor());
  }

  /**
   * The approved lock that lets {@code action} run on {@code surface} at {@code now}, inside a
   * transaction bound to {@code scope}; the oldest approval first, so the answer is stable.
   *
   * @param surface null for an action that concerns no surface: then only locks for every surface
   *     count
   */
  Optional<String> allowing(Scope scope, String action, String surface, Instant now) {
    return jdbc.sql(
            "SELECT lock_id FROM strategy_locks WHERE tenant_id = :t AND env = :e AND status = 'approved'"
                + " AND valid_from <= :now AND valid_until > :now AND (surface IS NULL OR surface = CAST(:surface AS text))"
                + " AND (allowed_actions @> jsonb_build_array(CAST(:action AS text)) OR allowed_actions @> '[\"*\"]')"
                + " ORDER BY decided_at, lock_id LIMIT 1")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("now", Sql.ts(now))
        .param("surface", surface)
        .param("action", action)
        .query(String.class)
        .optional();
  }

  /** Deletes every lock in {@code scope} (tenant purge). */
  int purge(Scope scope) {
    return jdbc.sql("DELETE FROM strategy_locks WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
  }

  /**
   * A lock about to be decided.
   *
   * @param storedStatus the status as stored (a draft past its window reads {@code expired})
   * @param createdFor the user its author acted as, for the four-eyes rule
   */
  private record Decidable(StrategyLock lock, String storedStatus, String createdFor) {}

  /** A lock with its position in the newest-first listing. */
  private record Listed(long seq, StrategyLock lock) {}

  private Decidable lockForDecision(Scope scope, String lockId, Instant now) {
    if (lockId == null || !LOCK_ID.matcher(lockId).matches()) {
      throw EnginesException.notFound("Strategy lock");
    }
    // Row lock: two deciders of one draft serialise, and the second sees the first's decision.
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + ", created_for FROM strategy_locks WHERE tenant_id = :t AND env = :e"
                + " AND lock_id = :id FOR UPDATE")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("id", lockId)
        .param("now", Sql.ts(now))
        .query(
            (rs, n) -> new Decidable(map(rs), rs.getString("status"), rs.getString("created_for")))
        .optional()
        .orElseThrow(() -> EnginesException.notFound("Strategy lock"));
  }

  private static void requireDraft(Decidable lock, boolean approving) {
    if (!lock.storedStatus().equals("draft")) {
      throw EnginesException.conflict(
          LOCK_NOT_DRAFT,
          "The lock is " + lock.lock().status() + "; only a draft is approved or rejected.");
    }
    if (approving && lock.lock().status().equals("expired")) {
      throw EnginesException.conflict(
          LOCK_EXPIRED, "The lock's valid_until has passed; draft a new one.");
    }
  }

  /** The author and the approver are the same actor, or act for the same user. */
  private static boolean samePerson(Decidable lock, Caller caller) {
    return lock.lock().createdBy().equals(caller.actorId())
        || (lock.createdFor() != null && lock.createdFor().equals(caller.effectiveUserId()));
  }

  private StrategyLock decide(
      Caller caller, Scope scope, String lockId, String status, Instant now) {
    jdbc.sql(
            "UPDATE strategy_locks SET status = :status, decided_at = :now, decided_by = :by"
                + " WHERE tenant_id = :t AND env = :e AND lock_id = :id AND status = 'draft'")
        .param("status", status)
        .param("now", Sql.ts(now))
        .param("by", caller.actorId())
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("id", lockId)
        .update();
    events.output(caller, RefType.STRATEGY_LOCK, lockId);
    return find(scope, lockId, now).orElseThrow();
  }

  private Optional<StrategyLock> find(Scope scope, String lockId, Instant now) {
    if (lockId == null || !LOCK_ID.matcher(lockId).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM strategy_locks WHERE tenant_id = :t AND env = :e AND lock_id = :id")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("id", lockId)
        .param("now", Sql.ts(now))
        .query((rs, n) -> map(rs))
        .optional();
  }

  /** What the audit trail keeps of a lock: names, times and the surface, never the free text. */
  private static Map<String, Object> summary(StrategyLock lock) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("scope", lock.scope());
    details.put("status", lock.status());
    details.put("allowed_actions", lock.allowedActions());
    details.put("surface", lock.surface() == null ? "*" : lock.surface());
    details.put("valid_from", lock.validFrom().toString());
    details.put("valid_until", lock.validUntil().toString());
    return details;
  }

  /**
   * Checks every field; answers the allowed actions in their stored form (sorted, no duplicates).
   */
  private static List<String> validate(NewLock spec, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    if (spec.scope() == null || !SCOPES.contains(spec.scope())) {
      errors.add(new FieldError("scope", "must be one of " + new TreeSet<>(SCOPES)));
    }
    TreeSet<String> actions = new TreeSet<>();
    List<String> given = spec.allowedActions();
    if (given == null || given.isEmpty() || given.size() > MAX_ACTIONS) {
      errors.add(
          new FieldError(
              "allowed_actions", "must list 1 to " + MAX_ACTIONS + " action names, or be [\"*\"]"));
    } else {
      for (int i = 0; i < given.size(); i++) {
        String action = given.get(i);
        if (GateActions.ANY.equals(action) && given.size() == 1) {
          actions.add(action);
        } else if (action == null || !GateActions.NAME.matcher(action).matches()) {
          errors.add(
              new FieldError(
                  "allowed_actions[" + i + "]",
                  "must be an action name <engine>:<verb> (\"*\" only alone)"));
        } else if (!actions.add(action)) {
          errors.add(new FieldError("allowed_actions[" + i + "]", "is listed twice"));
        }
      }
    }
    if (spec.validFrom() == null) {
      errors.add(new FieldError("valid_from", "is required"));
    }
    if (spec.validUntil() == null) {
      errors.add(new FieldError("valid_until", "is required"));
    } else if (!spec.validUntil().isAfter(now)) {
      errors.add(new FieldError("valid_until", "must be in the future"));
    } else if (spec.validFrom() != null && !spec.validUntil().isAfter(spec.validFrom())) {
      errors.add(new FieldError("valid_until", "must be after valid_from"));
    }
    if (spec.surface() != null && !SURFACE.matcher(spec.surface()).matches()) {
      errors.add(
          new FieldError(
              "surface", "must match " + SURFACE.pattern() + " (leave it out for every surface)"));
    }
    text(errors, "title", spec.title(), 1, 200);
    text(errors, "description", spec.description(), 0, 2000);
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The strategy lock is invalid.", errors);
    }
    return List.copyOf(actions);
  }

  /** Free text: {@code min..max} characters, no control characters but tab and newline. */
  private static void text(List<FieldError> errors, String field, String value, int min, int max) {
    if (value == null) {
      if (min > 0) {
        errors.add(new FieldError(field, "is required (" + min + " to " + max + " characters)"));
      }
      return;
    }
    if (value.isBlank() && min > 0
        || value.length() > max
        || value.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
      errors.add(
          new FieldError(
              field, "must be " + min + " to " + max + " characters without control characters"));
    }
  }

  private static StrategyLock map(ResultSet rs) throws SQLException {
    return new StrategyLock(
        rs.getString("lock_id"),
        rs.getString("scope"),
        rs.getString("effective_status"),
        JSON.readValue(rs.getString("allowed_actions"), NAMES),
        Sql.instant(rs, "valid_from"),
        Sql.instant(rs, "valid_until"),
        rs.getString("surface"),
        rs.getString("title"),
        rs.getString("description"),
        Sql.instant(rs, "created_at"),
        rs.getString("created_by"),
        Sql.instant(rs, "decided_at"),
        rs.getString("decided_by"),
        rs.getTimestamp("decided_at") == null ? 1 : 2);
  }
}
