package dev.engines.core.gdpr;

import dev.engines.core.scope.Scope;
import java.util.List;
import java.util.Optional;

/**
 * The SPI through which a module takes part in GDPR requests for the records it owns: finding a
 * subject's records, exporting them (Art. 15/20), erasing them (Art. 17) and deleting everything
 * of a tenant (tenant purge). Each module that stores personal data implements it as it lands
 * (users today; Nexus atoms, raw assets, sessions and vectors later).
 *
 * <p>Every method runs inside a read-write transaction bound to {@code scope}'s tenant and env, so
 * a hook's writes commit or roll back with the request's tombstones and audit entry.
 */
public interface ErasureHook {

  /** The record type this hook owns, e.g. {@code user}; unique across hooks. */
  String recordType();

  /** The ids of this type's records that reference the subject, in the scope's tenant (and env, for env-scoped data). */
  List<String> find(Scope scope, SubjectIdentifiers subject);

  /** One record as the subject may receive it; empty when it no longer exists. */
  Optional<SubjectRecord> export(Scope scope, String recordId);

  /**
   * Erases one record (delete, or overwrite what identifies the subject). Throws an {@link
   * dev.engines.core.error.EnginesException} (409) when erasing would break an invariant the
   * tenant needs, such as its last owner.
   *
   * @return false when the record no longer existed
   */
  boolean erase(Scope scope, String recordId);

  /** Deletes every record of this type in the scope's tenant; returns how many went. */
  int purgeTenant(Scope scope);
}
