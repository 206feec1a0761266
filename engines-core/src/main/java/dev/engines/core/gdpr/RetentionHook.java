package dev.engines.core.gdpr;

import dev.engines.core.scope.Scope;
import java.time.Instant;
import java.util.Set;

/**
 * The SPI through which a module purges one class of its data once a tenant's retention period
 * for it has passed. Runs inside a read-write transaction bound to {@code scope}.
 */
public interface RetentionHook {

  /** The data class a retention policy names, e.g. {@code deactivated_users}; unique across hooks. */
  String dataClass();

  /** The record type the held ids refer to (as in {@link ErasureHook#recordType()}). */
  String recordType();

  /**
   * Deletes the records of this class that aged past {@code cutoff}, except {@code held} (record ids
   * under a legal hold).
   *
   * @return how many records went
   */
  int purge(Scope scope, Instant cutoff, Set<String> held);
}
