package dev.engines.pii.gdpr;

import dev.engines.core.audit.AuditActor;
import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.gdpr.ErasedRecords;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectRecord;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.RouteAction;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.pii.PiiPipeline;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * GDPR operations of a tenant: subject lookup, export (Art. 15/20), erasure (Art. 17), retention
 * policies and their purge, legal holds, and tenant purge. Subjects are known by pseudonyms ({@link
 * DataSubjects}); their identifiers stay in memory for one request. Modules take part through
 * {@link ErasureHook} and {@link RetentionHook}. Every operation is audited with pseudonyms, ids
 * and counts only.
 *
 * <p>Crypto-shredding: the PII subject keys ({@link SubjectKeys}) are one of the hooks, so an
 * erasure destroys the subject's token keys in its own transaction, with a tombstone per key.
 *
 * <p>Legal holds: an active hold naming a subject suspends that subject's erasure and exempts their
 * indexed records from retention purges; an active tenant-wide hold suspends every erasure, every
 * purge and tenant purge.
 */
public final class Gdpr implements ErasedRecords {

  /** The export bundle format. */
  public static final String EXPORT_FORMAT = "engines-gdpr-export/v1";

  private final PurgeFence fence;
  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final AuditTrail audit;
  private final DataSubjects subjects;
  private final SubjectRecords index;
  private final PiiPipeline pipeline;
  private final Map<String, ErasureHook> hooks;
  private final Map<String, RetentionHook> retention;
  private final EventRecorder events;

  /**
   * @param index the subject index, which other modules write through as {@code SubjectIndex}
   */
  public Gdpr(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      DataSubjects subjects,
      SubjectRecords index,
      PiiPipeline pipeline,
      List<ErasureHook> hooks,
      List<RetentionHook> retention,
      PurgeFence fence,
      EventRecorder events) {
    this.index = index;
    this.jdbc = jdbc;
    this.events = events;
    this.fence = fence;
    this.tx = tx;
    this.clock = clock;
    this.audit = audit;
    this.subjects = subjects;
    this.pipeline = pipeline;
    this.hooks =
        hooks.stream()
            .collect(
                Collectors.toMap(
                    ErasureHook::recordType,
                    Function.identity(),
                    (a, b) -> {
                      throw new IllegalStateException(
                          "Two erasure hooks for record type " + a.recordType());
                    },
                    TreeMap::new));
    this.retention =
        retention.stream()
            .collect(
                Collectors.toMap(
                    RetentionHook::dataClass,
                    Function.identity(),
                    (a, b) -> {
                      throw new IllegalStateException(
                          "Two retention hooks for data class " + a.dataClass());
                    },
                    TreeMap::new));
  }

  /** A reference to a record. */
  public record Ref(String type, String id) {}

  /** Where a subject's data lives. */
  public record Lookup(List<String> subjectIds, List<Ref> records, boolean onLegalHold) {}

  /** The export bundle. */
  public record Bundle(
      String format,
      String tenantId,
      String env,
      Instant generatedAt,
      List<String> subjectIds,
      boolean trainOk,
      List<SubjectRecord> records,
      List<Map<String, Object>> tombstones) {}

  /**
   * An erasure's outcome.
   *
   * @param erased the records erased (rows deleted or overwritten, keys destroyed, assets marked)
   * @param objectsDeleted stored objects (raw asset bytes) deleted after the erasure committed:
   *     this erasure's and any an earlier erasure in the env left pending
   * @param objectsPending erased records of the env whose objects the store could not delete now;
   *     the next erasure or retention run in the env retries them
   */
  public record Erasure(
      String erasureId,
      List<String> subjectIds,
      List<Ref> erased,
      int objectsDeleted,
      int objectsPending) {}

  /** A retention policy. */
  public record RetentionPolicy(
      String env, String dataClass, int maxAgeDays, Instant updatedAt, String updatedBy) {}

  /** A legal hold; {@code subjectIds} empty for a tenant-wide hold. */
  public record LegalHold(
      String holdId,
      List<String> subjectIds,
      String reason,
      Instant createdAt,
      String createdBy,
      Instant releasedAt,
      String releasedBy) {}

  /** From the erasure tombstones of {@code scope}'s env. */
  @Override
  public Set<String> erased(Scope scope, String recordType, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(
        jdbc.sql(
                "SELECT record_id FROM gdpr_tombstones WHERE tenant_id = :t AND env = :e"
                    + " AND record_type = :type AND record_id = ANY (:ids)")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("type", recordType)
            .param("ids", ids.toArray(String[]::new))
            .query(String.class)
            .list());
  }

  /** The data classes retention policies may name. */
  public Set<String> dataClasses() {
    return retention.keySet();
  }

  /**
   * Finds the subject's records in the caller's tenant/env and indexes them under the subject's
   * pseudonyms.
   */
  public Lookup lookup(Caller caller, SubjectIdentifiers subject) {
    return tx.write(
        caller,
        () -> {
          List<String> ids = subjects.pseudonyms(caller.scope().tenant(), subject);
          List<Ref> records = locate(caller.scope(), subject, ids);
          boolean held = held(caller.scope().tenant(), ids);
          audit.record(
              caller,
              "gdpr.lookup",
              "data_subject",
              ids.get(0),
              Map.of("subject_ids", ids, "records", records.size()));
          return new Lookup(ids, records, held);
        });
  }

  /** One machine-readable bundle of everything referencing the subject in the tenant. */
  public Bundle export(Caller caller, SubjectIdentifiers subject) {
    return tx.write(
        caller,
        () -> {
          List<String> ids = subjects.pseudonyms(caller.scope().tenant(), subject);
          List<SubjectRecord> records = new ArrayList<>();
          for (Ref ref : locate(caller.scope(), subject, ids)) {
            hooks.get(ref.type()).export(caller.scope(), ref.id()).ifPresent(records::add);
          }
          List<Map<String, Object>> tombstones =
              jdbc.sql(
                      "SELECT * FROM gdpr_tombstones WHERE tenant_id = :tenant"
                          + " AND subject_id = ANY (:ids) ORDER BY erased_at, record_type, record_id")
                  .param("tenant", caller.scope().tenantId())
                  .param("ids", ids.toArray(String[]::new))
                  .query(
                      (rs, n) -> {
                        Map<String, Object> t = new LinkedHashMap<>();
                        t.put("record_type", rs.getString("record_type"));
                        t.put("record_id", rs.getString("record_id"));
                        t.put("erasure_id", rs.getString("erasure_id"));
                        t.put("erased_at", Sql.instant(rs, "erased_at").toString());
                        return t;
                      })
                  .list();
          audit.record(
              caller,
              "gdpr.export",
              "data_subject",
              ids.get(0),
              Map.of("subject_ids", ids, "records", records.size()));
          boolean trainOk = records.stream().allMatch(SubjectRecord::trainOk);
          return new Bundle(
              EXPORT_FORMAT,
              caller.scope().tenantId(),
              caller.scope().env().wire(),
              clock.instant(),
              ids,
              trainOk,
              records,
              tombstones);
        });
  }

  /**
   * Erases every record of the subject through the hooks, leaves a tombstone per record and drops
   * the subject's index rows; 409 {@code legal_hold} when a hold covers the subject.
   */
  public Erasure erase(Caller caller, SubjectIdentifiers subject) {
    Erasure erasure = eraseRecords(caller, subject);
    return completeErasures(caller, erasure);
  }

  /**
   * The second step of an erasure, after its records were erased and committed: the hooks delete
   * what lives outside the database (raw objects) for this erasure and any earlier one of the env
   * left pending, each in its own transaction, audited as {@code gdpr.erasure.objects}. A store
   * that fails now leaves the records marked and counted as pending; nothing is lost, as the rows
   * that point at the objects stay until the objects are gone.
   */
  private Erasure completeErasures(Caller caller, Erasure erasure) {
    List<String> deleted = new ArrayList<>();
    int pending = 0;
    for (ErasureHook hook : hooks.values()) {
      try {
        deleted.addAll(
            tx.write(
                caller,
                () ->
                    hook.completeErasures(caller).stream()
                        .map(id -> hook.recordType() + ":" + id)
                        .toList()));
      } catch (EnginesException e) {
        // The records stay marked; counted as pending below and retried by the next run.
      }
      pending += tx.read(caller, () -> hook.pendingErasures(caller));
    }
    if (!deleted.isEmpty() || pending > 0) {
      int stillPending = pending;
      tx.write(
          caller,
          () -> {
            audit.record(
                caller,
                "gdpr.erasure.objects",
                "data_subject",
                erasure.subjectIds().get(0),
                Map.of(
                    "erasure_id",
                    erasure.erasureId(),
                    "deleted",
                    deleted,
                    "pending",
                    stillPending));
            return null;
          });
    }
    return new Erasure(
        erasure.erasureId(), erasure.subjectIds(), erasure.erased(), deleted.size(), pending);
  }

  private Erasure eraseRecords(Caller caller, SubjectIdentifiers subject) {
    return tx.write(
        caller,
        () -> {
          List<String> ids = subjects.pseudonyms(caller.scope().tenant(), subject);
          if (held(caller.scope().tenant(), ids)) {
            throw EnginesException.conflict(
                "legal_hold", "A legal hold suspends erasure for this subject.");
          }
          String erasureId = Ids.random("er");
          Instant now = clock.instant();
          List<Ref> erased = new ArrayList<>();
          List<Ref> elsewhere = new ArrayList<>();
          List<Ref> located = locate(caller.scope(), subject, ids);
          if (located.stream().anyMatch(heldRecords(caller.scope().tenant())::contains)) {
            // A record about several people (an asset naming two of them) is kept while a hold
            // covers any of them: erasure deletes raw bytes for good.
            throw EnginesException.conflict(
                "legal_hold",
                "A legal hold on another subject covers a record of this subject; erasure is suspended until it is released.");
          }
          for (Ref ref : located) {
            hooks.get(ref.type()).requireMayErase(caller, ref.id());
            if (!hooks.get(ref.type()).erase(caller, ref.id())) {
              if (hooks.get(ref.type()).envScoped()) {
                // Not in this env: it may live in another one, where an erasure must still find it.
                elsewhere.add(ref);
              }
            } else {
              erased.add(ref);
              jdbc.sql(
                      "INSERT INTO gdpr_tombstones (tenant_id, record_type, record_id, env, subject_id, erasure_id, erased_at)"
                          + " VALUES (:tenant, :type, :id, :env, :subject, :erasure, :now) ON CONFLICT DO NOTHING")
                  .param("tenant", caller.scope().tenantId())
                  .param("type", ref.type())
                  .param("id", ref.id())
                  .param("env", caller.scope().env().wire())
                  .param("subject", ids.get(0))
                  .param("erasure", erasureId)
                  .param("now", Sql.ts(now))
                  .update();
            }
          }
          index.forgetSubjects(caller.scope().tenant(), ids);
          erased.stream()
              .collect(
                  Collectors.groupingBy(
                      Ref::type, TreeMap::new, Collectors.mapping(Ref::id, Collectors.toList())))
              .forEach((type, erasedIds) -> index.forget(caller.scope().tenant(), type, erasedIds));
          for (Ref ref : elsewhere) {
            for (String subjectId : ids) {
              index.index(caller.scope().tenant(), subjectId, ref);
            }
          }
          audit.record(
              caller,
              "gdpr.erasure",
              "data_subject",
              ids.get(0),
              Map.of(
                  "subject_ids",
                  ids,
                  "erasure_id",
                  erasureId,
                  "erased",
                  erased.stream().map(r -> r.type() + ":" + r.id()).toList()));
          return new Erasure(erasureId, ids, erased, 0, 0);
        });
  }

  /** The retention policies of the caller's env. */
  public List<RetentionPolicy> retentionPolicies(Caller caller) {
    List<RetentionPolicy> policies = tx.read(caller, () -> policies(caller.scope()));
    policies.forEach(p -> events.output(caller, RefType.RETENTION, p.dataClass()));
    return policies;
  }

  /**
   * Sets how long one data class is kept in the caller's env; 400 for unknown classes or periods
   * outside 1..36500 days.
   */
  public RetentionPolicy setRetention(Caller caller, String dataClass, int maxAgeDays) {
    if (dataClass == null || !retention.containsKey(dataClass)) {
      throw EnginesException.validation("data_class must be one of " + retention.keySet() + ".");
    }
    if (maxAgeDays < 1 || maxAgeDays > 36_500) {
      throw EnginesException.validation("max_age_days must be between 1 and 36500.");
    }
    return tx.write(
        caller,
        () -> {
          Instant now = clock.instant();
          jdbc.sql(
                  """
              INSERT INTO gdpr_retention_policies (tenant_id, env, data_class, max_age_days, updated_at, updated_by)
              VALUES (:tenant, :env, :class, :days, :now, :by)
              ON CONFLICT (tenant_id, env, data_class) DO UPDATE SET max_age_days = :days, updated_at = :now, updated_by = :by""")
              .param("tenant", caller.scope().tenantId())
              .param("env", caller.scope().env().wire())
              .param("class", dataClass)
              .param("days", maxAgeDays)
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .update();
          audit.record(
              caller,
              "retention.update",
              "retention_policy",
              dataClass,
              Map.of("max_age_days", maxAgeDays));
          events.output(caller, RefType.RETENTION, dataClass);
          return new RetentionPolicy(
              caller.scope().env().wire(), dataClass, maxAgeDays, now, caller.actorId());
        });
  }

  /** Runs the caller's env's retention policies now; returns the records purged per data class. */
  public Map<String, Integer> runRetention(Caller caller) {
    return tx.write(caller, () -> purge(caller));
  }

  /**
   * What the scheduled run records in the ledger: the action of the route that runs it on demand.
   */
  static final RouteAction SCHEDULED_RUN =
      new RouteAction("gdpr", "retention.run", RouteAction.Kind.WRITE);

  /**
   * Runs the retention policies of one tenant/env as the scheduled job ({@code job}, a {@link
   * Caller#system}): audited as the {@code system} actor, and recorded as a DatasetEvent of its own
   * naming the data classes it ran, with the run's ids, in the purge's transaction. Returns the
   * records purged per data class.
   */
  public Map<String, Integer> runScheduledRetention(Caller job) {
    return tx.write(
        job,
        () -> {
          Map<String, Integer> purged = purge(job);
          events.job(
              job,
              SCHEDULED_RUN,
              List.of(),
              purged.keySet().stream()
                  .map(dataClass -> new DatasetEvent.Ref(RefType.RETENTION, dataClass))
                  .toList());
          return purged;
        });
  }

  /**
   * The envs of a tenant that have retention policies, for the scheduled job; runs tenant-bound.
   */
  public List<Env> envsWithRetention(TenantId tenant) {
    return tx.tenantLevel(
        tenant,
        () ->
            jdbc
                .sql(
                    "SELECT DISTINCT env FROM gdpr_retention_policies WHERE tenant_id = :tenant"
                        + " ORDER BY env")
                .param("tenant", tenant.value())
                .query(String.class)
                .list()
                .stream()
                .map(Env::parse)
                .toList());
  }

  /** Places a legal hold on the subject, or on the whole tenant when {@code subject} is null. */
  public LegalHold placeHold(Caller caller, SubjectIdentifiers subject, String reason) {
    if (reason == null || reason.isBlank() || reason.length() > 1000) {
      throw EnginesException.validation("reason is 1 to 1000 chars.");
    }
    // The reason is free text an admin typed: it goes through the pipeline before it is stored.
    String storedReason = pipeline.redact(caller, reason).text();
    return tx.write(
        caller,
        () -> {
          List<String> ids =
              subject == null ? List.of() : subjects.pseudonyms(caller.scope().tenant(), subject);
          if (subject != null) {
            locate(caller.scope(), subject, ids);
          }
          String holdId = Ids.random("lh");
          Instant now = clock.instant();
          jdbc.sql(
                  "INSERT INTO gdpr_legal_holds (tenant_id, hold_id, subject_ids, reason, created_at, created_by)"
                      + " VALUES (:tenant, :id, :subjects, :reason, :now, :by)")
              .param("tenant", caller.scope().tenantId())
              .param("id", holdId)
              .param("subjects", ids.toArray(String[]::new))
              .param("reason", storedReason)
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .update();
          audit.record(
              caller,
              "legal_hold.place",
              "legal_hold",
              holdId,
              Map.of("subject_ids", ids, "tenant_wide", ids.isEmpty()));
          events.output(caller, RefType.LEGAL_HOLD, holdId);
          return new LegalHold(holdId, ids, storedReason, now, caller.actorId(), null, null);
        });
  }

  /**
   * Releases a hold; 404 for unknown or other tenants' holds, 409 {@code hold_released} when
   * already released.
   */
  public LegalHold releaseHold(Caller caller, String holdId) {
    return tx.write(
        caller,
        () -> {
          LegalHold hold =
              jdbc.sql(
                      "SELECT * FROM gdpr_legal_holds WHERE tenant_id = :tenant AND hold_id = :id FOR UPDATE")
                  .param("tenant", caller.scope().tenantId())
                  .param("id", holdId)
                  .query(Gdpr::mapHold)
                  .optional()
                  .orElseThrow(() -> EnginesException.notFound("Legal hold"));
          if (hold.releasedAt() != null) {
            throw EnginesException.conflict(
                "hold_released", "This legal hold was already released.");
          }
          Instant now = clock.instant();
          jdbc.sql(
                  "UPDATE gdpr_legal_holds SET released_at = :now, released_by = :by WHERE tenant_id = :tenant AND hold_id = :id")
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .param("tenant", caller.scope().tenantId())
              .param("id", holdId)
              .update();
          audit.record(
              caller,
              "legal_hold.release",
              "legal_hold",
              holdId,
              Map.of("subject_ids", hold.subjectIds()));
          events.output(caller, RefType.LEGAL_HOLD, holdId);
          return new LegalHold(
              hold.holdId(),
              hold.subjectIds(),
              hold.reason(),
              hold.createdAt(),
              hold.createdBy(),
              now,
              caller.actorId());
        });
  }

  /** One legal hold of the tenant; 404 for unknown or other tenants' holds. */
  public LegalHold hold(Caller caller, String holdId) {
    LegalHold hold =
        tx.read(
                caller,
                () ->
                    jdbc.sql(
                            "SELECT * FROM gdpr_legal_holds WHERE tenant_id = :tenant AND hold_id = :id")
                        .param("tenant", caller.scope().tenantId())
                        .param("id", holdId)
                        .query(Gdpr::mapHold)
                        .optional())
            .orElseThrow(() -> EnginesException.notFound("Legal hold"));
    events.output(caller, RefType.LEGAL_HOLD, hold.holdId());
    return hold;
  }

  /** The tenant's legal holds, newest first. */
  public List<LegalHold> holds(Caller caller) {
    List<LegalHold> holds =
        tx.read(
            caller,
            () ->
                jdbc.sql(
                        "SELECT * FROM gdpr_legal_holds WHERE tenant_id = :tenant ORDER BY created_at DESC, hold_id LIMIT 500")
                    .param("tenant", caller.scope().tenantId())
                    .query(Gdpr::mapHold)
                    .list());
    holds.forEach(h -> events.output(caller, RefType.LEGAL_HOLD, h.holdId()));
    return holds;
  }

  /**
   * What a tenant purge did.
   *
   * @param deleted records deleted per record type (env-scoped types summed over the envs)
   * @param remaining records per type still there because they could not be deleted now (an object
   *     the store refused); empty when the purge is complete
   * @param complete true when nothing remains; only then are members, keys, the subject index and
   *     the PII policies and lists deleted, so the owner can run the purge again until it is
   */
  public record TenantPurge(
      Map<String, Integer> deleted, Map<String, Integer> remaining, boolean complete) {}

  /**
   * Deletes the tenant's data in every env. It first raises the {@link PurgeFence} (committed on
   * its own), so no new data lands behind it. Env-scoped hooks go next, each env in its own
   * transaction bound to it (Nexus removes objects before rows and keeps the rows of objects it
   * could not delete); then, only if nothing remains, the tenant-level hooks (members, keys, PII
   * subject keys), the subject index and the per-env PII policies and lists (lists may name
   * people). Retention policies, legal holds, tombstones and config slots hold no personal data and
   * stay, as do the audit trail and the DatasetEvent ledger (ids only). Each run is one audit entry
   * {@code tenant.purge} with the counts. 409 {@code legal_hold} while any hold is active.
   */
  public TenantPurge purgeTenant(Caller caller) {
    Scope callerScope = caller.scope();
    // The fence is committed before anything is deleted: from then on no upload, presign, usage
    // record or PII policy/list of this tenant commits, and those that passed the fence have.
    tx.write(
        caller,
        () -> {
          requireNoActiveHold(callerScope.tenant());
          fence.raise(callerScope, caller.actorId(), clock.instant());
          return null;
        });
    Map<String, Integer> deleted = new TreeMap<>();
    Map<String, Integer> remaining = new TreeMap<>();
    hooks.forEach(
        (type, hook) -> {
          if (!hook.envScoped()) {
            return;
          }
          for (Env env : Env.values()) {
            Scope scope = new Scope(callerScope.tenant(), env);
            tx.write(
                caller.inEnv(env),
                () -> {
                  requireNoActiveHold(scope.tenant());
                  deleted.merge(type, hook.purgeTenant(caller.inEnv(env)), Integer::sum);
                  int left = hook.remaining(scope);
                  if (left > 0) {
                    remaining.merge(type, left, Integer::sum);
                  }
                  return null;
                });
          }
        });
    boolean complete = remaining.isEmpty();
    tx.write(
        caller,
        () -> {
          if (complete) {
            requireNoActiveHold(callerScope.tenant());
            hooks.forEach(
                (type, hook) -> {
                  if (!hook.envScoped()) {
                    deleted.put(type, hook.purgeTenant(caller));
                  }
                });
            deleted.put("gdpr_subject_records", index.purgeTenant(callerScope.tenant()));
          }
          Map<String, Object> details = new TreeMap<>(deleted);
          details.put("complete", complete);
          details.put("remaining", new TreeMap<>(remaining));
          audit.record(
              callerScope.tenant(),
              null,
              AuditActor.of(caller),
              caller.context(),
              "tenant.purge",
              "tenant",
              callerScope.tenantId(),
              details);
          return null;
        });
    if (complete) {
      // PII policies and lists are env-scoped rows: each env is purged under its own binding.
      for (Env env : Env.values()) {
        Scope scope = new Scope(callerScope.tenant(), env);
        tx.write(
            caller.inEnv(env),
            () -> {
              jdbc.sql("DELETE FROM pii_policies WHERE tenant_id = :tenant AND env = :env")
                  .param("tenant", scope.tenantId())
                  .param("env", scope.env().wire())
                  .update();
              jdbc.sql("DELETE FROM pii_lists WHERE tenant_id = :tenant AND env = :env")
                  .param("tenant", scope.tenantId())
                  .param("env", scope.env().wire())
                  .update();
              return null;
            });
      }
    }
    return new TenantPurge(Map.copyOf(deleted), Map.copyOf(remaining), complete);
  }

  private void requireNoActiveHold(TenantId tenant) {
    if (jdbc.sql(
                "SELECT count(*) FROM gdpr_legal_holds WHERE tenant_id = :tenant AND released_at IS NULL")
            .param("tenant", tenant.value())
            .query(Long.class)
            .single()
        > 0) {
      throw EnginesException.conflict("legal_hold", "Active legal holds suspend tenant purge.");
    }
  }

  private Map<String, Integer> purge(Caller caller) {
    Scope scope = caller.scope();
    Map<String, Integer> purged = new TreeMap<>();
    boolean tenantHold =
        held(scope.tenant(), List.of()); // a hold without subjects holds the whole tenant
    if (!tenantHold) {
      Instant now = clock.instant();
      for (RetentionPolicy policy : policies(scope)) {
        RetentionHook hook = retention.get(policy.dataClass());
        if (hook != null) {
          Set<String> heldIds =
              new HashSet<>(
                  jdbc.sql(
                          """
                  SELECT r.record_id FROM gdpr_subject_records r JOIN gdpr_legal_holds h
                      ON h.tenant_id = r.tenant_id AND r.subject_id = ANY (h.subject_ids)
                   WHERE r.tenant_id = :tenant AND h.released_at IS NULL AND r.record_type = :type""")
                      .param("tenant", scope.tenantId())
                      .param("type", hook.recordType())
                      .query(String.class)
                      .list());
          purged.put(
              policy.dataClass(),
              hook.purge(scope, now.minus(Duration.ofDays(policy.maxAgeDays())), heldIds));
        }
      }
    }
    int objects = 0;
    if (!tenantHold) {
      // Retries what earlier erasures of the env could not delete (a store outage): in this
      // transaction, which is fine, as their records were marked by a committed erasure.
      for (ErasureHook hook : hooks.values()) {
        try {
          objects += hook.completeErasures(caller).size();
        } catch (EnginesException e) {
          // Still marked; the next run retries.
        }
      }
    }
    Map<String, Object> details = new TreeMap<>();
    details.put("purged", purged);
    details.put("erased_objects_deleted", objects);
    details.put("suspended_by_legal_hold", tenantHold);
    audit.record(caller, "retention.run", "retention", scope.env().wire(), details);
    return purged;
  }

  private List<RetentionPolicy> policies(Scope scope) {
    return jdbc.sql(
            "SELECT * FROM gdpr_retention_policies WHERE tenant_id = :tenant AND env = :env ORDER BY data_class")
        .param("tenant", scope.tenantId())
        .param("env", scope.env().wire())
        .query(
            (rs, n) ->
                new RetentionPolicy(
                    rs.getString("env"),
                    rs.getString("data_class"),
                    rs.getInt("max_age_days"),
                    Sql.instant(rs, "updated_at"),
                    rs.getString("updated_by")))
        .list();
  }

  /**
   * The subject's records: what the hooks find plus what other write paths indexed; all of it
   * indexed afterwards.
   */
  private List<Ref> locate(Scope scope, SubjectIdentifiers subject, List<String> ids) {
    Set<Ref> refs = new LinkedHashSet<>();
    hooks.forEach(
        (type, hook) -> hook.find(scope, subject).forEach(id -> refs.add(new Ref(type, id))));
    index.records(scope.tenant(), ids).stream()
        .filter(ref -> hooks.containsKey(ref.type()))
        .forEach(refs::add);
    for (Ref ref : refs) {
      for (String subjectId : ids) {
        index.index(scope.tenant(), subjectId, ref);
      }
    }
    return List.copyOf(refs);
  }

  /** The records indexed under a subject an active hold names. */
  private Set<Ref> heldRecords(TenantId tenant) {
    return new HashSet<>(
        jdbc.sql(
                """
                SELECT DISTINCT r.record_type, r.record_id FROM gdpr_subject_records r JOIN gdpr_legal_holds h
                    ON h.tenant_id = r.tenant_id AND r.subject_id = ANY (h.subject_ids)
                 WHERE r.tenant_id = :tenant AND h.released_at IS NULL""")
            .param("tenant", tenant.value())
            .query((rs, n) -> new Ref(rs.getString("record_type"), rs.getString("record_id")))
            .list());
  }

  private boolean held(TenantId tenant, List<String> ids) {
    return jdbc.sql(
                "SELECT count(*) FROM gdpr_legal_holds WHERE tenant_id = :tenant AND released_at IS NULL"
                    + " AND (cardinality(subject_ids) = 0 OR subject_ids && CAST(:ids AS text[]))")
            .param("tenant", tenant.value())
            .param("ids", ids.toArray(String[]::new))
            .query(Long.class)
            .single()
        > 0;
  }

  private static LegalHold mapHold(ResultSet rs, int row) throws SQLException {
    return new LegalHold(
        rs.getString("hold_id"),
        Arrays.asList((String[]) rs.getArray("subject_ids").getArray()),
        rs.getString("reason"),
        Sql.instant(rs, "created_at"),
        rs.getString("created_by"),
        Sql.instant(rs, "released_at"),
        rs.getString("released_by"));
  }
}
