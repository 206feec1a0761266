package dev.engines.core.gdpr;

import dev.engines.core.scope.Scope;
import java.time.Instant;
import java.util.Set;

/**
 * The SPI through which a module purges one class of its data once a tenant's retention period for
 * it has passed. Runs inside a read-write transaction bound to {@code scope}.
 */
public interface RetentionHook {

  /**
   * The data class a retention policy names, e.g. {@code deactivated_users}; unique across hooks.
   */
  String dataClass();

  /** The record type the held ids refer to (as in {@link ErasureHook#recordType()}). */
  String recordType();

  /**
   * Deletes the records of this class that aged past {@code cutoff}, except {@code held} (record
   * ids under a legal hold).
   *
   * @return how many records went
   */
  int purge(Scope scope, Instant cutoff, Set<String> held);

  /** What a hook does with its records: {@link #purge}. */
  @FunctionalInterface
  interface Purge {
    int purge(Scope scope, Instant cutoff, Set<String> held);
  }

  /**
   * A hook for {@code dataClass}, whose held ids are of {@code recordType}, purging with {@code
   * purge}.
   */
  static RetentionHook of(String dataClass, String recordType, Purge purge) {
    return new RetentionHook() {
      @Override
      public String dataClass() {
        return dataClass;
      }

      @Override
      public String recordType() {
        return recordType;
      }

      @Override
      public int purge(Scope scope, Instant cutoff, Set<String> held) {
        return purge.purge(scope, cutoff, held);
      }
    };
  }
}
