package dev.engines.pii.gdpr;

import com.google.crypto.tink.DeterministicAead;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectRecord;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.pii.DerivedPiiKeys;
import dev.engines.pii.KekRing;
import dev.engines.pii.PiiKeys;
import dev.engines.pii.PiiTokenProblems;
import dev.engines.pii.internal.Crypto;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The service's {@link PiiKeys}: one random AES-SIV key per data subject, kept in {@code
 * pii_subject_keys} only wrapped, so that erasing a subject can destroy every token of theirs at
 * once (crypto-shredding). The HMAC pseudonym keys and the tenant/env token key for values that
 * identify no subject come from {@link DerivedPiiKeys}. Why it is built this way:
 * docs/adr/0005-per-subject-token-keys.md.
 *
 * <ul>
 *   <li><b>Which subject:</b> {@link DataSubjects#subjectOf}: the {@code ds_} pseudonym GDPR
 *       requests compute from the same e-mail address or phone number.
 *   <li><b>First use:</b> 64 bytes from {@code SecureRandom}, sealed under the primary of the
 *       {@link KekRing} (whose keys the database never sees), with associated data naming the
 *       tenant, subject and key id, and the KEK's id stored beside it ({@code kek_id}); then {@code
 *       INSERT … ON CONFLICT DO NOTHING} and a read, so of two concurrent first uses one key wins
 *       and both use it.
 *   <li><b>Rotation:</b> {@link KekRotation} re-seals rows under the ring's primary in batches; the
 *       key itself, its id and so its tokens never change.
 *   <li><b>No cache:</b> every redaction and re-identification reads the row, so a key destroyed by
 *       one replica is gone for all of them on the next request.
 *   <li><b>Erasure:</b> it is also the {@link ErasureHook} of record type {@value #RECORD_TYPE}:
 *       {@link dev.engines.pii.gdpr.Gdpr#erase} finds the subject's keys, deletes them in the
 *       erasure's transaction and leaves a tombstone per key, which is how {@link #subjectKeyById}
 *       tells an erased subject (410 {@code subject_erased}) from a token that never belonged to
 *       the tenant (400 {@code pii_token_invalid}).
 * </ul>
 *
 * <p>Transactions: a call inside an open read-write transaction of the same tenant joins it (a
 * Nexus derivation's key commits with its atoms); otherwise it runs in a tenant-level transaction
 * of its own, which does not touch the request's DatasetEvent.
 */
public final class SubjectKeys implements PiiKeys, ErasureHook {

  /** The record type of subject keys in GDPR lookups, exports, erasures and tombstones. */
  public static final String RECORD_TYPE = "pii_subject_key";

  private final DerivedPiiKeys derived;
  private final KekRing ring;
  private final DataSubjects subjects;
  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;

  public SubjectKeys(
      DerivedPiiKeys derived,
      KekRing ring,
      DataSubjects subjects,
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock) {
    this.derived = Objects.requireNonNull(derived, "derived");
    this.ring = Objects.requireNonNull(ring, "ring");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public byte[] hmacKey(Scope scope) {
    return derived.hmacKey(scope);
  }

  @Override
  public DeterministicAead tokenAead(Scope scope) {
    return derived.tokenAead(scope);
  }

  @Override
  public Optional<SubjectKey> subjectKey(Scope scope, String type, String value) {
    Optional<String> subject = subjects.subjectOf(scope.tenant(), type, value);
    if (subject.isEmpty()) {
      return Optional.empty();
    }
    String subjectId = subject.get();
    return Optional.of(
        inTransaction(
            scope, true, () -> load(scope, subjectId).orElseGet(() -> create(scope, subjectId))));
  }

  @Override
  public SubjectKey subjectKeyById(Scope scope, String keyId) {
    return inTransaction(
        scope,
        false,
        () -> {
          Optional<StoredKey> stored =
              jdbc.sql(
                      "SELECT subject_id, key_id, wrapped_key, kek_id FROM pii_subject_keys"
                          + " WHERE tenant_id = :tenant AND key_id = :id")
                  .param("tenant", scope.tenantId())
                  .param("id", keyId)
                  .query(
                      (rs, n) ->
                          new StoredKey(
                              rs.getString("subject_id"),
                              rs.getString("key_id"),
                              rs.getBytes("wrapped_key"),
                              rs.getString("kek_id")))
                  .optional();
          if (stored.isPresent()) {
            return unwrap(scope, stored.get());
          }
          boolean erased =
              jdbc.sql(
                          "SELECT count(*) FROM gdpr_tombstones WHERE tenant_id = :tenant AND record_type = :type"
                              + " AND record_id = :id")
                      .param("tenant", scope.tenantId())
                      .param("type", RECORD_TYPE)
                      .param("id", keyId)
                      .query(Long.class)
                      .single()
                  > 0;
          throw erased ? PiiTokenProblems.subjectErased() : PiiTokenProblems.invalid();
        });
  }

  @Override
  public String recordType() {
    return RECORD_TYPE;
  }

  @Override
  public List<String> find(Scope scope, SubjectIdentifiers subject) {
    return jdbc.sql(
            "SELECT key_id FROM pii_subject_keys WHERE tenant_id = :tenant AND subject_id = ANY (:ids) ORDER BY key_id")
        .param("tenant", scope.tenantId())
        .param("ids", subjects.pseudonyms(scope.tenant(), subject).toArray(String[]::new))
        .query(String.class)
        .list();
  }

  /**
   * The key's id and creation time only: the key itself is not the subject's data and never leaves
   * the service.
   */
  @Override
  public Optional<SubjectRecord> export(Scope scope, String recordId) {
    return jdbc.sql(
            "SELECT key_id, created_at FROM pii_subject_keys WHERE tenant_id = :tenant AND key_id = :id")
        .param("tenant", scope.tenantId())
        .param("id", recordId)
        .query(
            (rs, n) -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("key_id", rs.getString("key_id"));
              data.put("created_at", Sql.instant(rs, "created_at").toString());
              data.put(
                  "purpose", "reversible tokens of this subject's values; erasure destroys it");
              return new SubjectRecord(RECORD_TYPE, recordId, true, data);
            })
        .optional();
  }

  /**
   * Destroys the key: from this commit on, no token made with it can be turned back into its value.
   */
  @Override
  public boolean erase(Caller caller, String recordId) {
    Scope scope = caller.scope();
    return jdbc.sql("DELETE FROM pii_subject_keys WHERE tenant_id = :tenant AND key_id = :id")
            .param("tenant", scope.tenantId())
            .param("id", recordId)
            .update()
        > 0;
  }

  @Override
  public int purgeTenant(Caller caller) {
    Scope scope = caller.scope();
    return jdbc.sql("DELETE FROM pii_subject_keys WHERE tenant_id = :tenant")
        .param("tenant", scope.tenantId())
        .update();
  }

  private Optional<SubjectKey> load(Scope scope, String subjectId) {
    return jdbc.sql(
            "SELECT subject_id, key_id, wrapped_key, kek_id FROM pii_subject_keys"
                + " WHERE tenant_id = :tenant AND subject_id = :subject")
        .param("tenant", scope.tenantId())
        .param("subject", subjectId)
        .query(
            (rs, n) ->
                new StoredKey(
                    rs.getString("subject_id"),
                    rs.getString("key_id"),
                    rs.getBytes("wrapped_key"),
                    rs.getString("kek_id")))
        .optional()
        .map(stored -> unwrap(scope, stored));
  }

  private SubjectKey create(Scope scope, String subjectId) {
    String keyId = Ids.random("sk");
    byte[] key = Crypto.randomBytes(Crypto.AES_SIV_KEY_BYTES);
    try {
      KekRing.Sealed sealed =
          ring.seal(scope.tenant(), key, associatedData(scope.tenantId(), subjectId, keyId));
      // A concurrent first use may have inserted (or be inserting) this subject's key: the insert
      // then waits for it and does nothing, and the read below returns the winner's key.
      jdbc.sql(
              "INSERT INTO pii_subject_keys (tenant_id, subject_id, key_id, wrapped_key, wrapping, kek_id,"
                  + " created_at) VALUES (:tenant, :subject, :id, :wrapped, :wrapping, :kek, :now)"
                  + " ON CONFLICT DO NOTHING")
          .param("tenant", scope.tenantId())
          .param("subject", subjectId)
          .param("id", keyId)
          .param("wrapped", sealed.bytes())
          .param("wrapping", sealed.wrapping())
          .param("kek", sealed.kekId())
          .param("now", Sql.ts(clock.instant()))
          .update();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    return load(scope, subjectId)
        .orElseThrow(
            () ->
                new IllegalStateException("The subject key vanished right after it was written."));
  }

  private SubjectKey unwrap(Scope scope, StoredKey stored) {
    byte[] key = unsealed(scope.tenant(), stored);
    try {
      return new SubjectKey(stored.keyId(), Crypto.aesSiv(key));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The raw key of a stored row; the caller wipes it. */
  private byte[] unsealed(TenantId tenant, StoredKey stored) {
    try {
      return ring.unseal(
          tenant,
          stored.kekId(),
          stored.wrapped(),
          associatedData(tenant.value(), stored.subjectId(), stored.keyId()));
    } catch (GeneralSecurityException e) {
      // Altered, moved between rows, or sealed under another key: never a client error.
      throw new IllegalStateException(
          "A stored subject key does not unseal under the key-encryption key its row names.");
    }
  }

  /**
   * Re-seals up to {@code limit} of the tenant's keys that are not under the ring's primary, in one
   * tenant-level transaction, and answers how many it re-sealed (0: none is left). Rows are locked
   * while they are re-sealed, so an erasure of the same key waits for it or wins before it; the
   * update names the old KEK, so a row re-sealed or erased in between is left alone. A crash
   * between batches loses nothing: each batch commits on its own and the next run starts from what
   * is left.
   */
  int resealBatch(TenantId tenant, int limit) {
    String primary = ring.primaryId();
    return tx.tenantLevel(
        tenant,
        () -> {
          List<StoredKey> rows =
              jdbc.sql(
                      "SELECT subject_id, key_id, wrapped_key, kek_id FROM pii_subject_keys"
                          + " WHERE tenant_id = :tenant AND kek_id <> :primary"
                          + " ORDER BY key_id LIMIT :limit FOR UPDATE")
                  .param("tenant", tenant.value())
                  .param("primary", primary)
                  .param("limit", limit)
                  .query(
                      (rs, n) ->
                          new StoredKey(
                              rs.getString("subject_id"),
                              rs.getString("key_id"),
                              rs.getBytes("wrapped_key"),
                              rs.getString("kek_id")))
                  .list();
          int resealed = 0;
          for (StoredKey row : rows) {
            byte[] key = unsealed(tenant, row);
            try {
              KekRing.Sealed sealed =
                  ring.seal(
                      tenant, key, associatedData(tenant.value(), row.subjectId(), row.keyId()));
              resealed +=
                  jdbc.sql(
                          "UPDATE pii_subject_keys SET wrapped_key = :wrapped, wrapping = :wrapping,"
                              + " kek_id = :kek WHERE tenant_id = :tenant AND key_id = :id"
                              + " AND kek_id = :old")
                      .param("wrapped", sealed.bytes())
                      .param("wrapping", sealed.wrapping())
                      .param("kek", sealed.kekId())
                      .param("tenant", tenant.value())
                      .param("id", row.keyId())
                      .param("old", row.kekId())
                      .update();
            } finally {
              Arrays.fill(key, (byte) 0);
            }
          }
          return resealed;
        });
  }

  /** The tenant's stored keys per KEK id. */
  Map<String, Long> countByKek(TenantId tenant) {
    return tx.tenantLevel(
        tenant,
        () -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          jdbc.sql(
                  "SELECT kek_id, count(*) AS n FROM pii_subject_keys WHERE tenant_id = :tenant"
                      + " GROUP BY kek_id ORDER BY kek_id")
              .param("tenant", tenant.value())
              .query(
                  (org.springframework.jdbc.core.RowCallbackHandler)
                      rs -> counts.put(rs.getString("kek_id"), rs.getLong("n")));
          return counts;
        });
  }

  /** The ring the keys are sealed with. */
  KekRing ring() {
    return ring;
  }

  /** Binds a sealed key to its tenant, subject and id. */
  static byte[] associatedData(String tenantId, String subjectId, String keyId) {
    return ("engines-pii-subject-key/v1/" + tenantId + "/" + subjectId + "/" + keyId)
        .getBytes(StandardCharsets.UTF_8);
  }

  private <T> T inTransaction(Scope scope, boolean writes, Supplier<T> work) {
    Scope open = ScopedTransactions.currentScope();
    if (open == null) {
      return tx.tenantLevel(scope.tenant(), work);
    }
    if (!open.tenant().equals(scope.tenant())) {
      throw new IllegalStateException("A transaction of another tenant is open on this thread.");
    }
    if (writes && TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
      throw new IllegalStateException(
          "Tokens for data subjects need a read-write transaction: a first use creates a key.");
    }
    return work.get();
  }

  private record StoredKey(String subjectId, String keyId, byte[] wrapped, String kekId) {}
}
