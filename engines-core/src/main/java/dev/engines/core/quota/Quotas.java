package dev.engines.core.quota;

import dev.engines.core.scope.Caller;
import java.util.Locale;

/**
 * The quotas on what a tenant/env holds. A module that stores counted things asks before it writes
 * them, inside the write transaction bound to {@code scope}; the database then counts what the
 * write really did in that same transaction (triggers on the owners' tables), so parallel writers
 * never take an env past a quota and deletions give the room back. Implemented by the gates engine.
 */
@FunctionalInterface
public interface Quotas {

  /** What the quotas count. */
  enum Resource {
    /** Raw assets not deleted (pending ones included). */
    ASSETS,
    /** The bytes of those assets. */
    STORED_BYTES,
    /** Atoms. */
    ATOMS,
    /** Vectors of every space. */
    VECTORS,
    /** Sessions, expired ones included until the sweep removes them. */
    SESSIONS;

    /**
     * The name in the {@code gates} slot's {@code quotas} and in problems, e.g. {@code
     * stored_bytes}.
     */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Checks that {@code amount} more of {@code resource} fits the env's quota, and holds the env's
   * total of it until the transaction ends, so writers of the same resource in the same env take
   * turns. Must run inside a write transaction bound to {@code scope}, before the write.
   *
   * @throws dev.engines.core.error.EnginesException 429 {@code quota_exceeded} naming the quota
   */
  void reserve(Caller caller, Resource resource, long amount);
}
