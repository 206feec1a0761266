package dev.engines.pii.gdpr;

import dev.engines.core.db.Sql;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.scope.TenantId;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The GDPR subject index of engines-pii (table {@code gdpr_subject_records}, tenant-level): the one
 * way every module records which of its records reference a data subject and forgets them when it
 * deletes them, so no module reaches into the table. {@link Gdpr} reads it for lookup, export and
 * erasure, and re-indexes what the erasure hooks find. Subjects appear as their pseudonyms only
 * ({@link DataSubjects}). Every method runs inside the caller's transaction, bound to the tenant.
 */
public final class SubjectRecords implements SubjectIndex {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final DataSubjects subjects;

  public SubjectRecords(JdbcClient jdbc, Clock clock, DataSubjects subjects) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
  }

  @Override
  public void register(
      TenantId tenant, SubjectIdentifiers subject, String recordType, String recordId) {
    for (String subjectId : subjects.pseudonyms(tenant, subject)) {
      index(tenant, subjectId, new Gdpr.Ref(recordType, recordId));
    }
  }

  /** One statement for all the subjects' pseudonyms: a derivation may find thousands. */
  @Override
  public void registerAll(
      TenantId tenant, Collection<SubjectIdentifiers> found, String recordType, String recordId) {
    String[] ids =
        found.stream()
            .flatMap(subject -> subjects.pseudonyms(tenant, subject).stream())
            .distinct()
            .toArray(String[]::new);
    if (ids.length == 0) {
      return;
    }
    jdbc.sql(
            "INSERT INTO gdpr_subject_records (tenant_id, subject_id, record_type, record_id, indexed_at)"
                + " SELECT :tenant, s, :type, :id, :now FROM unnest(CAST(:subjects AS text[])) AS s"
                + " ON CONFLICT (tenant_id, subject_id, record_type, record_id) DO NOTHING")
        .param("tenant", tenant.value())
        .param("subjects", ids)
        .param("type", recordType)
        .param("id", recordId)
        .param("now", Sql.ts(clock.instant()))
        .update();
  }

  @Override
  public void forget(TenantId tenant, String recordType, Collection<String> recordIds) {
    if (recordIds.isEmpty()) {
      return;
    }
    jdbc.sql(
            "DELETE FROM gdpr_subject_records WHERE tenant_id = :tenant AND record_type = :type AND record_id = ANY (:ids)")
        .param("tenant", tenant.value())
        .param("type", recordType)
        .param("ids", recordIds.toArray(String[]::new))
        .update();
  }

  /**
   * Records that {@code ref} references the subject known by pseudonym {@code subjectId};
   * idempotent.
   */
  void index(TenantId tenant, String subjectId, Gdpr.Ref ref) {
    jdbc.sql(
            "INSERT INTO gdpr_subject_records (tenant_id, subject_id, record_type, record_id, indexed_at)"
                + " VALUES (:tenant, :subject, :type, :id, :now) ON CONFLICT (tenant_id, subject_id, record_type, record_id) DO NOTHING")
        .param("tenant", tenant.value())
        .param("subject", subjectId)
        .param("type", ref.type())
        .param("id", ref.id())
        .param("now", Sql.ts(clock.instant()))
        .update();
  }

  /** The records indexed under any of the pseudonyms {@code subjectIds}, by type and id. */
  List<Gdpr.Ref> records(TenantId tenant, List<String> subjectIds) {
    return jdbc.sql(
            "SELECT DISTINCT record_type, record_id FROM gdpr_subject_records"
                + " WHERE tenant_id = :tenant AND subject_id = ANY (:ids) ORDER BY record_type, record_id")
        .param("tenant", tenant.value())
        .param("ids", subjectIds.toArray(String[]::new))
        .query((rs, n) -> new Gdpr.Ref(rs.getString("record_type"), rs.getString("record_id")))
        .list();
  }

  /** Drops every row of the pseudonyms {@code subjectIds} (the subject was erased). */
  void forgetSubjects(TenantId tenant, List<String> subjectIds) {
    jdbc.sql(
            "DELETE FROM gdpr_subject_records WHERE tenant_id = :tenant AND subject_id = ANY (:ids)")
        .param("tenant", tenant.value())
        .param("ids", subjectIds.toArray(String[]::new))
        .update();
  }

  /** Drops the tenant's whole index (tenant purge); returns how many rows went. */
  int purgeTenant(TenantId tenant) {
    return jdbc.sql("DELETE FROM gdpr_subject_records WHERE tenant_id = :tenant")
        .param("tenant", tenant.value())
        .update();
  }
}
