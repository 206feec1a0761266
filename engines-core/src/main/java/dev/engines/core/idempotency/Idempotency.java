package dev.engines.core.idempotency;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Safe retries of creating requests ({@code Idempotency-Key}, IETF
 * draft-ietf-httpapi-idempotency-key-header): the first request with a key claims it, runs, and
 * keeps its response; a retry with the same key and the same request within {@link
 * IdempotencySettings#RETENTION} gets that response again, and never runs the change a second time.
 * Keys belong to one tenant, env and principal.
 *
 * <ul>
 *   <li>A retry while the first request still runs waits for it, up to {@link
 *       IdempotencySettings#retryWait()}, then answers 409 {@value #IN_FLIGHT} (with {@code
 *       Retry-After}).
 *   <li>The same key with another request (method, path, query, content type, on-behalf user or
 *       body) answers 422 {@value #KEY_REUSED}.
 *   <li>The claim moves to committed inside the transaction of the change itself ({@link
 *       IdempotencyStore#markCommitted}, a commit hook): a crash can leave a change without its
 *       response, never without its key, so a retry never repeats a change that happened. Such a
 *       key answers 409 {@value #OUTCOME_UNKNOWN}.
 *   <li>A request that changed nothing and failed gives the key up: the client fixes the request
 *       and retries with the same key. A failure after a committed change is kept and replayed like
 *       a success; a 5xx is never kept.
 * </ul>
 *
 * <p>Waiting polls the row (each look a short transaction of its own) rather than holding a lock: a
 * lock would pin a pooled connection for the whole first request, uploads included.
 */
public final class Idempotency {

  /** 422: the key was used with another request. */
  public static final String KEY_REUSED = "idempotency_key_reused";

  /**
   * 409: the first request with the key still runs (or was claimed last and its claim still holds).
   */
  public static final String IN_FLIGHT = "idempotency_key_in_flight";

  /** 409: the first request's change committed, but there is no response to replay. */
  public static final String OUTCOME_UNKNOWN = "idempotency_outcome_unknown";

  private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
  private static final Duration LONGEST_PAUSE = Duration.ofMillis(250);

  private final IdempotencyStore store;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final IdempotencyKeys keys;
  private final IdempotencySettings settings;

  public Idempotency(
      IdempotencyStore store,
      ScopedTransactions tx,
      Clock clock,
      IdempotencyKeys keys,
      IdempotencySettings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * The key held by one request.
   *
   * @param caller the request's caller, whose transactions the claim's bookkeeping runs in
   * @param principal {@code <actor type>:<actor id>} of the request's caller
   * @param owner the claim's own random id, which only this request knows
   */
  public record Claim(
      Caller caller, String principal, IdempotencyKeys.Material material, String owner) {

    /** The tenant/env the key belongs to. */
    public Scope scope() {
      return caller.scope();
    }
  }

  /**
   * What a request with a key does: run (it holds the claim), or replay what the first one
   * answered.
   */
  public sealed interface Start permits Claimed, Stored {}

  /** This request holds the key: it runs, then {@link #finish}es. */
  public record Claimed(Claim claim) implements Start {}

  /** A response is kept under the key: {@link #replay} it, if the request is the same. */
  public record Stored(IdempotencyKeys.Material material, IdempotencyStore.Row row)
      implements Start {}

  /**
   * Claims {@code key} for a request of {@code principal} in {@code caller}'s scope, or finds the
   * response kept under it; waits while another request holds it.
   *
   * @param key the key as {@link IdempotencyKeys#parse} answers it
   * @throws EnginesException 409 {@value #IN_FLIGHT} when another request still holds it after the
   *     wait, 409 {@value #OUTCOME_UNKNOWN} when its change committed without a response to keep
   */
  public Start start(Caller caller, String principal, String key) {
    Scope scope = caller.scope();
    IdempotencyKeys.Material material = keys.material(scope, principal, key);
    long deadline = System.nanoTime() + settings.retryWait().toNanos();
    Duration pause = FIRST_PAUSE;
    while (true) {
      Instant now = clock.instant();
      String owner = Ids.random("ic");
      IdempotencyStore.Row row =
          tx.writeAside(
              caller,
              () ->
                  store.claimOrFind(
                      scope,
                      principal,
                      material.hash(),
                      owner,
                      now,
                      now.plus(IdempotencySettings.RETENTION),
                      now.minus(settings.lease())));
      if (row.owner().equals(owner)) {
        return new Claimed(new Claim(caller, principal, material, owner));
      }
      switch (row.state()) {
        case COMPLETE -> {
          return new Stored(material, row);
        }
        case UNKNOWN -> throw outcomeUnknown(row);
        case COMMITTED -> {
          if (!row.claimedAt().isAfter(now.minus(settings.lease()))) {
            throw outcomeUnknown(row);
          }
        }
        case IN_FLIGHT -> {
          // waits below: the claim is taken over only once its lease has run out (claimOrFind)
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new EnginesException(
            409,
            IN_FLIGHT,
            "A request with this Idempotency-Key is still running; retry once it"
                + " has answered (this one waited "
                + settings.retryWait().toSeconds()
                + " s).") {
          @Override
          public int retryAfterSeconds() {
            return 1;
          }
        };
      }
      sleep(pause);
      pause =
          pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
              ? LONGEST_PAUSE
              : pause.multipliedBy(2);
    }
  }

  /**
   * The response kept under the key, for a request whose hash is {@code requestHash}.
   *
   * @throws EnginesException 422 {@value #KEY_REUSED} when the first request was another one
   */
  public StoredResponse replay(Stored stored, String requestHash) {
    if (!stored.row().requestHash().equals(requestHash)) {
      throw new EnginesException(
          422,
          KEY_REUSED,
          "This Idempotency-Key was used in the last 24 h with another request"
              + " (method, path, query, content type, on-behalf user or body); send a new key with a new request.");
    }
    return StoredResponse.decode(
        stored.row().responseStatus(), keys.open(stored.material(), stored.row().response()));
  }

  /**
   * Ends the claim once its request has answered: a success is kept for replays; a failure is kept
   * only if the request's change committed before it (else the key is given up, so the client may
   * fix the request and retry with it); a 5xx is never kept.
   *
   * @param requestHash the request's hash, asked for only when a response is kept
   * @param eventId the request's DatasetEvent, or null
   * @return whether a response was kept
   */
  public boolean finish(
      Claim claim,
      int status,
      StoredResponse response,
      Supplier<String> requestHash,
      String eventId) {
    return tx.writeAside(
        claim.caller(),
        () -> {
          if (status >= 500) {
            store.abandon(claim);
            store.release(claim);
            return false;
          }
          boolean success = status < 400;
          if (!success && store.release(claim)) {
            return false;
          }
          byte[] sealed = keys.seal(claim.material(), response.encode());
          return store.complete(
              claim, requestHash.get(), status, sealed, eventId, clock.instant(), !success);
        });
  }

  /** Deletes the keys of {@code job}'s scope that have expired; answers how many. */
  public int sweep(Caller job) {
    Instant now = clock.instant();
    return tx.write(job, () -> store.purgeExpired(job.scope(), now));
  }

  private static EnginesException outcomeUnknown(IdempotencyStore.Row row) {
    return EnginesException.conflict(
        OUTCOME_UNKNOWN,
        "The first request with this Idempotency-Key changed data, but its"
            + " response was not kept (it ended with a server error or the service stopped); look the result up instead of"
            + " retrying, or send a new key. The key expires at "
            + row.expiresAt()
            + ".");
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for an idempotency key", e);
    }
  }
}
