package dev.engines.vector;

import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectRecord;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The vector engine in GDPR requests, record type {@value #RECORD_TYPE}; env-scoped. Tenant purge
 * removes every space of the env with its vectors, and the tombstones of removed ones. Subject
 * requests find nothing here: metadata is stored redacted and texts are never stored; vectors that
 * point at a subject's erased assets or their atoms go with them ({@link AssetVectors}).
 */
final class VectorErasure implements ErasureHook {

  static final String RECORD_TYPE = "vector_space";

  private final JdbcClient jdbc;
  private final VectorTombstones tombstones;

  VectorErasure(JdbcClient jdbc, VectorTombstones tombstones) {
    this.jdbc = jdbc;
    this.tombstones = tombstones;
  }

  @Override
  public String recordType() {
    return RECORD_TYPE;
  }

  @Override
  public boolean envScoped() {
    return true;
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
    Scope scope = caller.scope();
    return false;
  }

  /**
   * Every space of the env; their vectors and those vectors' metadata rows go with them (the
   * foreign keys cascade). Then every tombstone of the env.
   */
  @Override
  public int purgeTenant(Caller caller) {
    Scope scope = caller.scope();
    int spaces =
        jdbc.sql("DELETE FROM vector_spaces WHERE tenant_id = :t AND env = :e")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .update();
    tombstones.purge(scope);
    return spaces;
  }
}
