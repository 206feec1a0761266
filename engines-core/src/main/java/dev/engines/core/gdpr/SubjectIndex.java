package dev.engines.core.gdpr;

import dev.engines.core.scope.TenantId;

/**
 * Where write paths record that a record references a data subject, at the moment they store it,
 * so lookup, export and erasure find it later without scanning. The subject is stored as its
 * pseudonyms only. Call it inside the transaction that stores the record (bound to {@code tenant}).
 */
public interface SubjectIndex {

  /** Records that {@code recordType}/{@code recordId} references the subject. */
  void register(TenantId tenant, SubjectIdentifiers subject, String recordType, String recordId);
}
