package dev.engines.core.idempotency;

import dev.engines.core.db.Sql;
import dev.engines.core.scope.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The JDBC store of {@code idempotency_keys} (migration V69). Every method runs inside a
 * transaction bound to the scope it names (RLS), and every statement names the tenant and env as
 * well.
 */
public final class IdempotencyStore {

  /** Where a key stands. */
  public enum State {
    /** Claimed by a request that has committed nothing yet. */
    IN_FLIGHT,
    /** The claiming request's change committed; its response is not kept yet. */
    COMMITTED,
    /** The first response is kept: retries replay it. */
    COMPLETE,
    /** The change committed, but the request ended without a response to keep. */
    UNKNOWN;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State of(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * One key's row.
   *
   * @param owner the claim of the request that runs (or ran) under the key
   * @param requestHash the first request's hash once complete, else null
   * @param response the sealed response once complete, else null
   * @param eventId the first request's DatasetEvent once complete, else null
   */
  public record Row(
      State state,
      String owner,
      Instant claimedAt,
      Instant expiresAt,
      String requestHash,
      Integer responseStatus,
      byte[] response,
      String eventId) {}

  private static final String KEY =
      "tenant_id = :t AND env = :e AND principal = :p AND key_hash = :k";

  private final JdbcClient jdbc;

  public IdempotencyStore(JdbcClient jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  /**
   * Claims the key for {@code owner} when nobody holds it: no row, an expired row, or an in-flight
   * claim older than {@code abandonedBefore} (its request committed nothing, and the fence in
   * {@link #markCommitted} refuses its commit from now on). Otherwise answers the row as it is.
   */
  Row claimOrFind(
      Scope scope,
      String principal,
      String hash,
      String owner,
      Instant now,
      Instant expiresAt,
      Instant abandonedBefore) {
    Optional<Row> claimed =
        jdbc.sql(
                "INSERT INTO idempotency_keys (tenant_id, env, principal, key_hash, state, owner,"
                    + " claimed_at, expires_at) VALUES (:t, :e, :p, :k, 'in_flight', :owner, :now, :expires)"
                    + " ON CONFLICT (tenant_id, env, principal, key_hash) DO UPDATE SET state = 'in_flight', owner = EXCLUDED.owner,"
                    + " claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at, request_hash = NULL,"
                    + " response_status = NULL, response = NULL, event_id = NULL, completed_at = NULL"
                    + " WHERE idempotency_keys.expires_at <= :now"
                    + " OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.claimed_at <= :abandoned)"
                    + " RETURNING *")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("p", principal)
            .param("k", hash)
            .param("owner", owner)
            .param("now", Sql.ts(now))
            .param("expires", Sql.ts(expiresAt))
            .param("abandoned", Sql.ts(abandonedBefore))
            .query(IdempotencyStore::map)
            .optional();
    return claimed.orElseGet(
        () ->
            find(scope, principal, hash)
                .orElseThrow(
                    () ->
                        new IllegalStateException("An idempotency key neither claimed nor found")));
  }

  /** The key's row, if any. */
  Optional<Row> find(Scope scope, String principal, String hash) {
    return jdbc.sql("SELECT * FROM idempotency_keys WHERE " + KEY)
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("p", principal)
        .param("k", hash)
        .query(IdempotencyStore::map)
        .optional();
  }

  /**
   * Inside the transaction of the claiming request's change, just before it commits: the key moves
   * to committed with the change, or neither commits.
   *
   * @return false when the claim is no longer {@code claim}'s (a retry took it over after the
   *     lease): the caller must roll the change back
   */
  public boolean markCommitted(Idempotency.Claim claim) {
    return owned(
                claim,
                jdbc.sql(
                    "UPDATE idempotency_keys SET state = 'committed' WHERE "
                        + KEY
                        + " AND owner = :owner AND state IN ('in_flight', 'committed')"))
            .update()
        == 1;
  }

  /**
   * Keeps the claim's response: from in-flight or committed, or with {@code onlyCommitted} only
   * once the claim's change committed.
   *
   * @return whether the claim still held the key in such a state
   */
  boolean complete(
      Idempotency.Claim claim,
      String requestHash,
      int status,
      byte[] sealed,
      String eventId,
      Instant now,
      boolean onlyCommitted) {
    return owned(
                claim,
                jdbc.sql(
                        "UPDATE idempotency_keys SET state = 'complete', request_hash = :hash, response_status = :status,"
                            + " response = :response, event_id = :event, completed_at = :now WHERE "
                            + KEY
                            + " AND owner = :owner"
                            + (onlyCommitted
                                ? " AND state = 'committed'"
                                : " AND state IN ('in_flight', 'committed')"))
                    .param("hash", requestHash)
                    .param("status", status)
                    .param("response", sealed)
                    .param("event", eventId)
                    .param("now", Sql.ts(now)))
            .update()
        == 1;
  }

  /** Gives the key up if its claim committed nothing; answers whether it did. */
  boolean release(Idempotency.Claim claim) {
    return owned(
                claim,
                jdbc.sql(
                    "DELETE FROM idempotency_keys WHERE "
                        + KEY
                        + " AND owner = :owner AND state = 'in_flight'"))
            .update()
        == 1;
  }

  /** Marks a committed claim whose response cannot be kept; answers whether it was committed. */
  boolean abandon(Idempotency.Claim claim) {
    return owned(
                claim,
                jdbc.sql(
                    "UPDATE idempotency_keys SET state = 'unknown' WHERE "
                        + KEY
                        + " AND owner = :owner"
                        + " AND state = 'committed'"))
            .update()
        == 1;
  }

  /** Deletes the scope's keys that expired by {@code now}; answers how many. */
  int purgeExpired(Scope scope, Instant now) {
    return jdbc.sql(
            "DELETE FROM idempotency_keys WHERE tenant_id = :t AND env = :e AND expires_at <= :now")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("now", Sql.ts(now))
        .update();
  }

  /** Deletes every key of the scope (tenant purge); answers how many. */
  public int purge(Scope scope) {
    return jdbc.sql("DELETE FROM idempotency_keys WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
  }

  private static Row map(ResultSet rs, int row) throws SQLException {
    int status = rs.getInt("response_status");
    Integer responseStatus = rs.wasNull() ? null : status;
    return new Row(
        State.of(rs.getString("state")),
        rs.getString("owner"),
        Sql.instant(rs, "claimed_at"),
        Sql.instant(rs, "expires_at"),
        rs.getString("request_hash"),
        responseStatus,
        rs.getBytes("response"),
        rs.getString("event_id"));
  }

  /** Binds the key of {@code claim} and its owner: the statements that act on a claim name both. */
  private static JdbcClient.StatementSpec owned(
      Idempotency.Claim claim, JdbcClient.StatementSpec statement) {
    return statement
        .param("t", claim.scope().tenantId())
        .param("e", claim.scope().env().wire())
        .param("p", claim.principal())
        .param("k", claim.material().hash())
        .param("owner", claim.owner());
  }
}
