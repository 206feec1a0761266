package dev.engines.session;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.ErasedRecords;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.version.Preconditions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.RawAsset;
import dev.engines.nexus.RawAssets;
import dev.engines.pii.PiiPipeline;
import dev.engines.vector.Vectors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Session memory: pinned and summary pointers and a small map of preferences, written whole ({@code
 * PUT}, optionally under {@code If-Match}) and read as stored or resolved.
 *
 * <p>Resolution loads every pointer under the reader's own scope, never under the scope of whoever
 * wrote it: an atom or asset of another tenant or env, or a turn of another user, reads as {@code
 * not_found}, exactly like an id that never existed. A target that is gone answers a tombstone: an
 * atom or asset {@code deleted} (soft-deleted) or {@code erased} (by a GDPR erasure); a turn {@code
 * expired} (its session's TTL passed) or {@code deleted} (its session was deleted), for as long as
 * the session's tombstone is kept; a vector {@code deleted} (on its own, with its space or with its
 * deleted asset) or {@code erased} (with its erased asset), for as long as the vector engine keeps
 * its tombstone. External pointers answer {@code external}, as given. The read is one DatasetEvent
 * with every pointer it loaded as an input ref.
 */
public final class Memories {

  private static final Pattern VECTOR_ID = Pattern.compile(Pointer.VECTOR_ID);

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final SessionSlots slots;
  private final PiiPipeline pii;
  private final EventRecorder events;
  private final PurgeFence fence;
  private final Atoms atoms;
  private final RawAssets assets;
  private final ErasedRecords erased;
  private final Vectors vectors;
  private final SessionStore store;

  /**
   * @param atoms and {@code assets}: atom and asset pointers resolve through Nexus
   * @param erased tells an erased asset from a deleted one
   * @param vectors vector pointers resolve through the vector engine
   */
  public Memories(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      SessionSlots slots,
      PiiPipeline pii,
      EventRecorder events,
      PurgeFence fence,
      Atoms atoms,
      RawAssets assets,
      ErasedRecords erased,
      Vectors vectors) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.pii = Objects.requireNonNull(pii, "pii");
    this.events = Objects.requireNonNull(events, "events");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.atoms = Objects.requireNonNull(atoms, "atoms");
    this.assets = Objects.requireNonNull(assets, "assets");
    this.erased = Objects.requireNonNull(erased, "erased");
    this.vectors = Objects.requireNonNull(vectors, "vectors");
    this.store = new SessionStore(jdbc);
  }

  /**
   * The memory to write.
   *
   * @param pinnedRefs required, at most {@value Pointer#MAX_PER_LIST} (empty for none)
   * @param summaryRefs required, at most {@value Pointer#MAX_PER_LIST} (empty for none)
   * @param preferences a flat map (null: none); its strings pass the PII pipeline
   */
  public record NewMemory(
      List<Pointer> pinnedRefs, List<Pointer> summaryRefs, Map<String, Object> preferences) {}

  /**
   * Replaces the memory of one of the caller's sessions under {@code preconditions} on its version.
   */
  public SessionMemory put(
      Caller caller, String sessionId, NewMemory in, Preconditions preconditions) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    List<FieldError> errors = new ArrayList<>();
    List<Pointer> pinned = Pointer.validate("pinned_refs", in.pinnedRefs(), 0, errors);
    List<Pointer> summaries = Pointer.validate("summary_refs", in.summaryRefs(), 0, errors);
    Map<String, Object> preferences = Texts.flat("preferences", in.preferences(), errors);
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The memory is invalid.", errors);
    }
    Texts texts = new Texts(pii, caller);
    Map<String, Object> stored = Sessions.redactFlat(texts, preferences);
    Instant now = clock.instant();
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          SessionStore.Row row = store.live(scope, user, sessionId, now, true);
          Optional<SessionMemory> current = find(scope, user, sessionId);
          preconditions.check(
              current.map(m -> OptionalLong.of(m.version())).orElse(OptionalLong.empty()),
              "The session's memory");
          jdbc.sql(
                  "INSERT INTO session_memory (tenant_id, env, user_id, session_id, pinned_refs, summary_refs, preferences,"
                      + " pii_flags, version, updated_at, updated_by)"
                      + " VALUES (:t, :e, :u, :id, CAST(:pinned AS jsonb), CAST(:summaries AS jsonb), CAST(:prefs AS jsonb),"
                      + " CAST(:flags AS jsonb), 1, :now, :by)"
                      + " ON CONFLICT (tenant_id, env, user_id, session_id) DO UPDATE SET pinned_refs = EXCLUDED.pinned_refs,"
                      + " summary_refs = EXCLUDED.summary_refs, preferences = EXCLUDED.preferences, pii_flags = EXCLUDED.pii_flags,"
                      + " version = session_memory.version + 1, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("u", user)
              .param("id", sessionId)
              .param("pinned", Json.write(pinned))
              .param("summaries", Json.write(summaries))
              .param("prefs", Json.write(stored))
              .param("flags", Json.write(texts.flags()))
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .update();
          store.touch(scope, row, now);
          events.output(caller, RefType.MEMORY, sessionId);
          return find(scope, user, sessionId).orElseThrow();
        });
  }

  /**
   * The memory of one of the caller's sessions as stored; version 0 and nothing in it while never
   * written.
   */
  public SessionMemory get(Caller caller, String sessionId) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    Instant now = clock.instant();
    return tx.read(
        caller,
        () -> {
          store.live(scope, user, sessionId, now, false);
          return find(scope, user, sessionId).orElseGet(() -> SessionMemory.empty(sessionId));
        });
  }

  /** The memory with every pointer resolved under the caller's scope (see the class comment). */
  public SessionMemory resolve(Caller caller, String sessionId) {
    Scope scope = caller.scope();
    String user = SessionProblems.user(caller);
    slots.session(caller);
    Instant now = clock.instant();
    return tx.read(
        caller,
        () -> {
          store.live(scope, user, sessionId, now, false);
          SessionMemory memory =
              find(scope, user, sessionId).orElseGet(() -> SessionMemory.empty(sessionId));
          return memory.resolved(
              new MemoryResolution(
                  resolve(caller, user, memory.pinnedRefs(), now),
                  resolve(caller, user, memory.summaryRefs(), now)));
        });
  }

  private List<ResolvedPointer> resolve(
      Caller caller, String user, List<Pointer> pointers, Instant now) {
    Scope scope = caller.scope();
    List<ResolvedPointer> out = new ArrayList<>(pointers.size());
    for (Pointer p : pointers) {
      ResolvedPointer resolved =
          switch (p.type()) {
            case Pointer.ATOM -> atom(scope, p);
            case Pointer.ASSET -> asset(scope, p);
            case Pointer.TURN -> turn(scope, user, p, now);
            case Pointer.VECTOR -> vector(scope, p);
            default -> new ResolvedPointer(p, ResolvedPointer.EXTERNAL, null);
          };
      if (ResolvedPointer.RESOLVED.equals(resolved.state())) {
        events.input(caller, RefType.of(p.type()).orElseThrow(), p.id());
      }
      out.add(resolved);
    }
    return out;
  }

  private ResolvedPointer atom(Scope scope, Pointer p) {
    Optional<Atoms.Pointed> pointed = atoms.locate(scope, p.id());
    if (pointed.isEmpty()) {
      return new ResolvedPointer(p, ResolvedPointer.NOT_FOUND, null);
    }
    if (pointed.get().atom() != null) {
      return new ResolvedPointer(p, ResolvedPointer.RESOLVED, pointed.get().atom());
    }
    return new ResolvedPointer(p, goneAsset(scope, pointed.get().assetId()), null);
  }

  private ResolvedPointer asset(Scope scope, Pointer p) {
    Optional<RawAsset> asset = assets.find(scope, p.id());
    if (asset.isEmpty()) {
      // An erasure deletes the asset's row with its object; its tombstone still tells.
      return new ResolvedPointer(
          p,
          erased.erased(scope, RawAsset.RECORD_TYPE, List.of(p.id())).isEmpty()
              ? ResolvedPointer.NOT_FOUND
              : ResolvedPointer.ERASED,
          null);
    }
    if (RawAsset.PENDING.equals(asset.get().status())) {
      return new ResolvedPointer(p, ResolvedPointer.NOT_FOUND, null);
    }
    if (RawAsset.ACTIVE.equals(asset.get().status())) {
      return new ResolvedPointer(p, ResolvedPointer.RESOLVED, asset.get());
    }
    return new ResolvedPointer(p, goneAsset(scope, asset.get().assetId()), null);
  }

  private ResolvedPointer vector(Scope scope, Pointer p) {
    Matcher id = VECTOR_ID.matcher(p.id());
    // A pointer stored before vector pointers named their space cannot name a vector.
    Optional<Vectors.Located> located =
        id.matches() ? vectors.locate(scope, id.group(1), id.group(2)) : Optional.empty();
    if (located.isEmpty()) {
      return new ResolvedPointer(p, ResolvedPointer.NOT_FOUND, null);
    }
    if (located.get().vector() != null) {
      return new ResolvedPointer(p, ResolvedPointer.RESOLVED, located.get().vector());
    }
    String asset = located.get().removedWithAsset();
    return new ResolvedPointer(
        p, asset == null ? ResolvedPointer.DELETED : goneAsset(scope, asset), null);
  }

  /** {@code erased} when a GDPR erasure removed the asset, else {@code deleted}. */
  private String goneAsset(Scope scope, String assetId) {
    return erased.erased(scope, RawAsset.RECORD_TYPE, List.of(assetId)).isEmpty()
        ? ResolvedPointer.DELETED
        : ResolvedPointer.ERASED;
  }

  private ResolvedPointer turn(Scope scope, String user, Pointer p, Instant now) {
    Optional<Turn> turn =
        jdbc.sql(
                "SELECT t.*, s.expires_at FROM session_turns t JOIN sessions s ON s.tenant_id = t.tenant_id"
                    + " AND s.env = t.env AND s.user_id = t.user_id AND s.session_id = t.session_id"
                    + " WHERE t.tenant_id = :t AND t.env = :e AND t.user_id = :u AND t.turn_id = :turn AND s.expires_at > :now")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("u", user)
            .param("turn", p.id())
            .param("now", Sql.ts(now))
            .query(Sessions::turn)
            .optional();
    if (turn.isPresent()) {
      return new ResolvedPointer(p, ResolvedPointer.RESOLVED, turn.get());
    }
    // Gone: a turn of a session whose TTL passed (swept or not yet), or of a deleted session.
    String state =
        jdbc.sql(
                "SELECT 'expired' FROM session_turns t WHERE t.tenant_id = :t AND t.env = :e AND t.user_id = :u"
                    + " AND t.turn_id = :turn"
                    + " UNION ALL SELECT s.state FROM session_turn_tombstones k JOIN session_tombstones s ON s.tenant_id = k.tenant_id"
                    + " AND s.env = k.env AND s.user_id = k.user_id AND s.session_id = k.session_id"
                    + " WHERE k.tenant_id = :t AND k.env = :e AND k.user_id = :u AND k.turn_id = :turn LIMIT 1")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("u", user)
            .param("turn", p.id())
            .query(String.class)
            .optional()
            .orElse(ResolvedPointer.NOT_FOUND);
    return new ResolvedPointer(p, state, null);
  }

  private Optional<SessionMemory> find(Scope scope, String user, String sessionId) {
    return jdbc.sql(
            "SELECT * FROM session_memory WHERE tenant_id = :t AND env = :e AND user_id = :u AND session_id = :id")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("u", user)
        .param("id", sessionId)
        .query(Memories::map)
        .optional();
  }

  private static SessionMemory map(ResultSet rs, int n) throws SQLException {
    return new SessionMemory(
        rs.getString("session_id"),
        Json.pointers(rs.getString("pinned_refs")),
        Json.pointers(rs.getString("summary_refs")),
        Json.map(rs.getString("preferences")),
        Json.map(rs.getString("pii_flags")),
        rs.getInt("version"),
        Sql.instant(rs, "updated_at"),
        rs.getString("updated_by"),
        null);
  }
}
