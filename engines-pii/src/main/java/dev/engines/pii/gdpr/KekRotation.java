package dev.engines.pii.gdpr;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.scope.TenantId;
import dev.engines.pii.KekRing;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Key-encryption-key rotation over every tenant: what {@code bin/engines keys status|rotate|retire}
 * run (docs/operations.md, "Rotating the PII key-encryption keys"). Online: it takes no lock beyond
 * the rows of the batch it re-seals, and the service keeps serving meanwhile (a key read during
 * rotation unseals under whichever KEK its row names at that moment). Resumable: every batch
 * commits on its own, so a run that stops part way is finished by running it again.
 */
public final class KekRotation {

  private final SubjectKeys keys;
  private final JdbcClient jdbc;
  private final ScopedTransactions tx;

  public KekRotation(SubjectKeys keys, JdbcClient jdbc, ScopedTransactions tx) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
  }

  /** Hears each committed batch; an exception it throws stops the run (as a crash would). */
  @FunctionalInterface
  public interface BatchListener {
    void committed(TenantId tenant, int resealed);
  }

  /** The ring the service seals with. */
  public KekRing ring() {
    return keys.ring();
  }

  /** Stored keys per KEK id over every tenant, in id order. */
  public Map<String, Long> status() {
    return status(tenants());
  }

  /** Stored keys per KEK id over the given tenants, in id order. */
  public Map<String, Long> status(Collection<TenantId> tenants) {
    Map<String, Long> total = new TreeMap<>();
    for (TenantId tenant : tenants) {
      keys.countByKek(tenant).forEach((kek, n) -> total.merge(kek, n, Long::sum));
    }
    return total;
  }

  /**
   * Re-seals every stored key that is not under the ring's primary, {@code batchSize} rows per
   * transaction, tenant after tenant; answers how many it re-sealed.
   */
  public long rotate(int batchSize, BatchListener listener) {
    return rotate(tenants(), batchSize, listener);
  }

  /** {@link #rotate(int, BatchListener)} over the given tenants only. */
  public long rotate(Collection<TenantId> tenants, int batchSize, BatchListener listener) {
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("The batch size must lie between 1 and 10000.");
    }
    long resealed = 0;
    for (TenantId tenant : tenants) {
      int n;
      do {
        n = keys.resealBatch(tenant, batchSize);
        resealed += n;
        if (n > 0) {
          listener.committed(tenant, n);
        }
      } while (n == batchSize);
    }
    return resealed;
  }

  /**
   * Whether {@code kekId} may leave the ring: answers the number of stored keys still under it
   * (retirement must wait for 0) and refuses the primary.
   *
   * @throws IllegalArgumentException when {@code kekId} is the ring's primary
   */
  public long referencesBeforeRetiring(String kekId) {
    if (kekId.equals(keys.ring().primaryId())) {
      throw new IllegalArgumentException(
          "The primary KEK cannot be retired: add a new primary and rotate first.");
    }
    return status().getOrDefault(kekId, 0L);
  }

  private List<TenantId> tenants() {
    return tx.operator(
        () ->
            jdbc.sql("SELECT tenant_id FROM tenants ORDER BY tenant_id")
                .query((rs, n) -> TenantId.of(rs.getString("tenant_id")))
                .list());
  }
}
