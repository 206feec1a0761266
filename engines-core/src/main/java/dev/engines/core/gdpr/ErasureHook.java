package dev.engines.core.gdpr;

import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The SPI through which a module takes part in GDPR requests for the records it owns: finding a
 * subject's records, exporting them (Art. 15/20), erasing them (Art. 17) and deleting everything of
 * a tenant (tenant purge). Each module that stores personal data implements it as it lands (members
 * and PII subject keys at tenant level; Nexus raw assets per env).
 *
 * <p>Every method runs inside a read-write transaction bound to {@code scope}'s tenant and env (the
 * methods that change data get the {@link Caller} whose request or job it is, and its scope), so a
 * hook's writes commit or roll back with the request's tombstones and audit entry. Records of an
 * {@linkplain #envScoped() env-scoped} type are visible only in their own env: {@link #export} and
 * {@link #erase} see the request's env, and {@link #purgeTenant} is called once per env.
 */
public interface ErasureHook {

  /** The record type this hook owns, e.g. {@code user}; unique across hooks. */
  String recordType();

  /**
   * The ids of this type's records that reference the subject, in the scope's tenant (and env, for
   * env-scoped data).
   */
  List<String> find(Scope scope, SubjectIdentifiers subject);

  /** One record as the subject may receive it; empty when it no longer exists. */
  Optional<SubjectRecord> export(Scope scope, String recordId);

  /**
   * Throws an {@link dev.engines.core.error.EnginesException} (403 {@code forbidden_role}) when the
   * caller may not erase this record: a record that is itself a principal (a member) follows the
   * tenant's rank rule, so an erasure request is no way around it. Called in the erasure's
   * transaction, before {@link #erase}; records of other types need no more than the route's role.
   */
  default void requireMayErase(Caller caller, String recordId) {}

  /**
   * Erases one record (delete, or overwrite what identifies the subject). Throws an {@link
   * dev.engines.core.error.EnginesException} (409) when erasing would break an invariant the tenant
   * needs, such as its last owner.
   *
   * @return false when the record no longer existed
   */
  boolean erase(Caller caller, String recordId);

  /**
   * Finishes what {@link #erase} could only mark inside the erasure's transaction: content that
   * lives outside the database (raw objects), which must not go before the erasure has committed,
   * or a rollback would leave a row without its content. Called after the erasure committed, in a
   * read-write transaction of its own bound to {@code scope}, and again by later erasures and
   * retention runs in the env, so it finishes every record erased earlier and left pending (it must
   * be idempotent). Content the store cannot delete now stays marked and is counted by {@link
   * #pendingErasures}.
   *
   * @return the ids of the records whose content went
   */
  default List<String> completeErasures(Caller caller) {
    return List.of();
  }

  /**
   * How many erased records of the caller's env still hold content {@link #completeErasures} must
   * delete.
   */
  default int pendingErasures(Caller caller) {
    return 0;
  }

  /**
   * Deletes every record of this type in the caller's tenant (for an {@linkplain #envScoped()
   * env-scoped} type: in the scope's env); returns how many went. A record whose deletion cannot
   * complete now (an object the store refuses to delete) is left whole and counted by {@link
   * #remaining}; a later purge retries it.
   */
  int purgeTenant(Caller caller);

  /**
   * Whether this type's records are bound to one env by RLS. Tenant purge then calls {@link
   * #purgeTenant} once per env, each in its own transaction bound to that env, before it touches
   * the tenant-level types; erasure keeps the subject index of such a record when {@link #erase}
   * did not find it in the request's env (it may live in another env).
   */
  default boolean envScoped() {
    return false;
  }

  /**
   * How many records of this type are still there after {@link #purgeTenant} in the same
   * transaction: those it could not delete now. Tenant purge is complete only when every hook
   * answers 0 in every env.
   */
  default int remaining(Scope scope) {
    return 0;
  }

  /**
   * A hook for env-scoped data that is indexed under no data subject (its free text was redacted
   * before it was stored): subject requests find nothing, and a tenant purge removes it env by env.
   *
   * @param recordType the record type this hook answers for
   * @param purge deletes the env's data and returns how many rows went
   */
  static ErasureHook purgeOnly(String recordType, ToIntFunction<Scope> purge) {
    return new ErasureHook() {
      @Override
      public String recordType() {
        return recordType;
      }

      @Override
      public List<String> find(Scope scope, SubjectIdentifiers subject) {
        return List.of();
      }

      @Override
      public Optional<SubjectRecord> export(Scope scope, String recordId) {
        return Optional.empty();
      }

      @Override
      public boolean erase(Caller caller, String recordId) {
        return false;
      }

      @Override
      public int purgeTenant(Caller caller) {
        return purge.applyAsInt(caller.scope());
      }

      @Override
      public boolean envScoped() {
        return true;
      }
    };
  }
}
