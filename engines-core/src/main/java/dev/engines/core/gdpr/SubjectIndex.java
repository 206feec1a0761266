package dev.engines.core.gdpr;

import dev.engines.core.scope.TenantId;
import java.util.Collection;

/**
 * The GDPR subject index: which records reference which data subject, so lookup, export and erasure
 * find them without scanning. Write paths record a record when they store it, and every path that
 * deletes a record it may have recorded forgets it in the same transaction, so the index never
 * points at records that are gone. The subject is stored as its pseudonyms only. Call both inside a
 * transaction bound to {@code tenant} (env-bound transactions of the tenant are too).
 */
public interface SubjectIndex {

  /** Records that {@code recordType}/{@code recordId} references the subject. */
  void register(TenantId tenant, SubjectIdentifiers subject, String recordType, String recordId);

  /**
   * Records that {@code recordType}/{@code recordId} references each of {@code subjects} (a
   * derivation that found many people in one asset); as {@link #register} for each, in fewer
   * statements where the index can.
   */
  default void registerAll(
      TenantId tenant,
      Collection<SubjectIdentifiers> subjects,
      String recordType,
      String recordId) {
    subjects.forEach(subject -> register(tenant, subject, recordType, recordId));
  }

  /**
   * Forgets these records of {@code recordType}, whatever subjects they were recorded under: they
   * no longer exist.
   */
  void forget(TenantId tenant, String recordType, Collection<String> recordIds);
}
