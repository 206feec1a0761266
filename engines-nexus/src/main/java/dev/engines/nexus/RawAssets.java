package dev.engines.nexus;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.quota.Quotas;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.PresignedUpload;
import dev.engines.storage.PutOptions;
import dev.engines.storage.RawStore;
import dev.engines.storage.StorageProblems;
import dev.engines.storage.StoredObject;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Raw assets: content in the {@link RawStore} that the tenant/env's storage slot names, metadata in
 * {@code raw_assets}, both under one tenant/env. Each row records the location (backend, bucket,
 * prefix) its object was written to, so reads, deletes and purges go there even after the slot
 * changes.
 *
 * <p>Ordering keeps metadata honest: an object is written (all or nothing, by the store's contract)
 * before its row is inserted, so a row never points at a missing object; when the insert fails the
 * object is deleted again, and {@link #reconcile} removes any object a crash left without a row.
 * Uploads stream from the request into the store outside any database transaction, so a slow client
 * never holds a connection.
 */
public final class RawAssets {

  private static final Logger log = LoggerFactory.getLogger(RawAssets.class);
  private static final Pattern ASSET_ID = Pattern.compile(ObjectKey.ASSET_ID_PATTERN);

  /** The longest a presigned URL may stay valid through this API. */
  public static final Duration MAX_PRESIGN_TTL = Duration.ofHours(12);

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final NexusSlots slots;
  private final EventRecorder events;
  private final Clock clock;
  private final PurgeFence fence;
  private final SubjectIndex subjects;
  private final List<AssetRemovals> removals;

  /**
   * @param slots the tenant/env storage slots: every call resolves the caller's, and answers 409
   *     {@code config_missing} when it is not set
   * @param subjects the GDPR subject index, which forgets the assets whose rows go
   * @param removals told of every asset that leaves the reads, in the transaction that removes it
   */
  private final Quotas quotas;

  public RawAssets(
      JdbcClient jdbc,
      ScopedTransactions tx,
      NexusSlots slots,
      EventRecorder events,
      Clock clock,
      PurgeFence fence,
      SubjectIndex subjects,
      List<AssetRemovals> removals,
      Quotas quotas) {
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.removals = List.copyOf(removals);
    this.quotas = Objects.requireNonNull(quotas, "quotas");
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * What a direct upload says about its content besides the bytes.
   *
   * @param filename the object's file name (one safe path segment)
   * @param contentType media type; null means {@code application/octet-stream}
   * @param capturedAt when the artifact was captured, or null
   * @param declaredSize the Content-Length, checked while streaming, if known
   * @param declaredSha256 a sha256 the caller vouches for, checked at the end, or null
   * @param trainOk whether the content may be used for training
   * @param dedupe answer an existing active asset with the same sha256 instead of adding one
   */
  public record Upload(
      String filename,
      String contentType,
      Instant capturedAt,
      OptionalLong declaredSize,
      String declaredSha256,
      boolean trainOk,
      boolean dedupe) {}

  /** An upload's answer: the asset, and whether it is new (false when deduplicated). */
  public record Uploaded(RawAsset asset, boolean created) {}

  /**
   * A presigned upload request.
   *
   * @param ttl how long the URL stays valid, at most {@link #MAX_PRESIGN_TTL}
   */
  public record Presign(
      String filename,
      String contentType,
      long sizeBytes,
      String sha256,
      Instant capturedAt,
      boolean trainOk,
      Duration ttl) {}

  /** A pending asset and the URL its bytes go to. */
  public record Presigned(RawAsset asset, PresignedUpload upload) {}

  /** An asset's metadata and its content stream, which the caller must close. */
  public record Content(RawAsset asset, InputStream stream) {}

  /**
   * Streams {@code content} into the store and records the asset. On any failure nothing is left
   * behind: the store writes all or nothing, and an object whose row could not be inserted is
   * deleted.
   */
  public Uploaded upload(Caller caller, InputStream content, Upload upload) {
    Scope scope = caller.scope();
    StorageSlot slot = slots.storage(caller);
    RawStore store = slot.store();
    String assetId = newAssetId();
    ObjectKey key = ObjectKey.rawAsset(scope, assetId, upload.filename());
    PutOptions options =
        PutOptions.of(
            upload.contentType() == null ? PutOptions.DEFAULT_CONTENT_TYPE : upload.contentType(),
            slot.maxObjectBytes());
    if (upload.declaredSize().isPresent()) {
      options = options.withExpectedSize(upload.declaredSize().getAsLong());
    }
    if (upload.declaredSha256() != null) {
      options = options.withExpectedSha256(upload.declaredSha256());
    }
    StoredObject stored = store.put(key, content, options);
    String sha256 = stored.sha256().orElseThrow();
    Instant now = clock.instant();
    RawAsset fresh =
        new RawAsset(
            assetId,
            scope.tenantId(),
            scope.env().wire(),
            slot.location().backend(),
            slot.location().bucket(),
            slot.location().prefix(),
            key.value(),
            key.filename(),
            options.contentType(),
            stored.size(),
            sha256,
            RawAsset.ACTIVE,
            upload.capturedAt(),
            now,
            null,
            Map.of(),
            upload.trainOk(),
            caller.actorId());
    Uploaded result;
    try {
      result =
          tx.write(
              caller,
              () -> {
                fence.requireOpen(scope);
                if (upload.dedupe()) {
                  // Serialises concurrent deduplicating uploads of the same content in this scope.
                  jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
                      .param("k", scope + "/" + sha256)
                      .query()
                      .singleRow();
                  List<RawAsset> same =
                      jdbc.sql(
                              "SELECT * FROM raw_assets WHERE tenant_id = :t AND env = :e AND sha256 = :sha"
                                  + " AND status = 'active' ORDER BY imported_at, asset_id LIMIT 1")
                          .param("t", scope.tenantId())
                          .param("e", scope.env().wire())
                          .param("sha", sha256)
                          .query(RawAssets::map)
                          .list();
                  if (!same.isEmpty()) {
                    events.input(caller, RefType.ASSET, same.getFirst().assetId());
                    return new Uploaded(same.getFirst(), false);
                  }
                }
                quotas.reserve(caller, Quotas.Resource.ASSETS, 1);
                quotas.reserve(caller, Quotas.Resource.STORED_BYTES, fresh.sizeBytes());
                insert(fresh, now);
                events.pii(caller, fresh.piiFlags(), fresh.trainOk());
                events.output(caller, RefType.ASSET, assetId);
                return new Uploaded(fresh, true);
              });
    } catch (RuntimeException e) {
      discard(store, key);
      throw e;
    }
    if (!result.created()) {
      discard(store, key);
    }
    return result;
  }

  /**
   * Records a pending asset and signs a URL for its bytes. The asset stays invisible (no reads, no
   * derivations) until {@link #register} has checked the uploaded object.
   *
   * @throws EnginesException 501 {@code presign_unsupported} on the filesystem backend
   */
  public Presigned presign(Caller caller, Presign request) {
    Scope scope = caller.scope();
    StorageSlot slot = slots.storage(caller);
    RawStore store = slot.store();
    if (request.sizeBytes() < 0 || request.sizeBytes() > slot.maxObjectBytes()) {
      throw request.sizeBytes() < 0
          ? EnginesException.validation("size_bytes must not be negative.")
          : StorageProblems.payloadTooLarge(slot.maxObjectBytes());
    }
    if (request.ttl().isNegative()
        || request.ttl().isZero()
        || request.ttl().compareTo(MAX_PRESIGN_TTL) > 0) {
      throw EnginesException.validation(
          "ttl_seconds must be between 1 and " + MAX_PRESIGN_TTL.toSeconds() + ".");
    }
    String contentType =
        request.contentType() == null ? PutOptions.DEFAULT_CONTENT_TYPE : request.contentType();
    // Validates the media type and the declared sha256 exactly as an upload would.
    PutOptions declared =
        PutOptions.of(contentType, slot.maxObjectBytes()).withExpectedSha256(request.sha256());
    String assetId = newAssetId();
    ObjectKey key = ObjectKey.rawAsset(scope, assetId, request.filename());
    PresignedUpload upload =
        store.presignUpload(key, contentType, request.sizeBytes(), request.ttl());
    Instant now = clock.instant();
    RawAsset pending =
        new RawAsset(
            assetId,
            scope.tenantId(),
            scope.env().wire(),
            slot.location().backend(),
            slot.location().bucket(),
            slot.location().prefix(),
            key.value(),
            key.filename(),
            contentType,
            request.sizeBytes(),
            declared.expectedSha256().orElseThrow(),
            RawAsset.PENDING,
            request.capturedAt(),
            now,
            null,
            Map.of(),
            request.trainOk(),
            caller.actorId());
    tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          quotas.reserve(caller, Quotas.Resource.ASSETS, 1);
          quotas.reserve(caller, Quotas.Resource.STORED_BYTES, pending.sizeBytes());
          insert(pending, null);
          events.output(caller, RefType.ASSET, assetId);
          return null;
        });
    return new Presigned(pending, upload);
  }

  /**
   * Activates a pending asset once its object exists with the declared size and sha256. A
   * mismatching object is deleted (the client may upload again while the URL is valid).
   *
   * @throws EnginesException 404 for an unknown (or other tenant's) asset; 409 {@code
   *     asset_not_pending} when it is already registered or deleted; 409 {@code object_missing}
   *     when nothing was uploaded; 422 {@code content_mismatch}
   */
  public RawAsset register(Caller caller, String assetId) {
    Scope scope = caller.scope();
    RawAsset asset =
        tx.read(
                caller,
                () -> {
                  slots.storage(caller);
                  return find(scope, assetId);
                })
            .orElseThrow(NexusProblems::assetNotFound);
    if (!RawAsset.PENDING.equals(asset.status())) {
      throw EnginesException.conflict(
          NexusProblems.ASSET_NOT_PENDING, "The asset is not waiting for registration.");
    }
    // The bytes went where the slot pointed at presign time, which the row recorded.
    RawStore store = slots.store(asset.location());
    ObjectKey key = ObjectKey.rawAsset(scope, asset.assetId(), asset.filename());
    try {
      store.verify(key, asset.sizeBytes(), asset.sha256());
    } catch (EnginesException e) {
      if (e.status() == 404) {
        throw EnginesException.conflict(
            NexusProblems.OBJECT_MISSING, "No object was uploaded for this asset yet.");
      }
      if (StorageProblems.CONTENT_MISMATCH.equals(e.code())) {
        discard(store, key);
      }
      throw e;
    }
    Instant now = clock.instant();
    return tx.write(
        caller,
        () -> {
          int updated =
              jdbc.sql(
                      "UPDATE raw_assets SET status = 'active', registered_at = :now"
                          + " WHERE tenant_id = :t AND env = :e AND asset_id = :id AND status = 'pending'")
                  .param("now", Sql.ts(now))
                  .param("t", scope.tenantId())
                  .param("e", scope.env().wire())
                  .param("id", assetId)
                  .update();
          if (updated != 1) {
            throw EnginesException.conflict(
                NexusProblems.ASSET_NOT_PENDING, "The asset is not waiting for registration.");
          }
          events.pii(caller, asset.piiFlags(), asset.trainOk());
          events.output(caller, RefType.ASSET, assetId);
          return find(scope, assetId).orElseThrow();
        });
  }

  /** Active assets in {@code asset_id} order. */
  public Page<RawAsset> list(Caller caller, String cursor, int limit) {
    Scope scope = caller.scope();
    Page<RawAsset> page =
        tx.read(
            caller,
            () -> {
              slots.storage(caller);
              String after = Cursors.decode(cursor);
              return Page.of(
                  jdbc.sql(
                          "SELECT * FROM raw_assets WHERE tenant_id = :t AND env = :e AND status = 'active' AND asset_id > :after"
                              + " ORDER BY asset_id LIMIT :limit")
                      .param("t", scope.tenantId())
                      .param("e", scope.env().wire())
                      .param("after", after)
                      .param("limit", limit + 1)
                      .query(RawAssets::map)
                      .list(),
                  limit,
                  RawAsset::assetId);
            });
    page.items().forEach(item -> returned(caller, item));
    return page;
  }

  /** An active asset's metadata; 404 for pending, deleted, unknown and other tenants' assets. */
  public RawAsset get(Caller caller, String assetId) {
    Scope scope = caller.scope();
    RawAsset asset =
        tx.read(
            caller,
            () -> {
              slots.storage(caller);
              return active(scope, assetId);
            });
    returned(caller, asset);
    return asset;
  }

  /**
   * Names an asset the request returns (metadata or content), with its flags, on the request's
   * event.
   */
  private void returned(Caller caller, RawAsset asset) {
    events.output(caller, RefType.ASSET, asset.assetId());
    events.pii(caller, asset.piiFlags(), asset.trainOk());
  }

  /**
   * An active asset's content. The read is recorded on the request's DatasetEvent like every other
   * access.
   */
  public Content open(Caller caller, String assetId) {
    RawAsset asset = get(caller, assetId);
    return new Content(
        asset,
        slots
            .store(asset.location())
            .open(ObjectKey.rawAsset(caller.scope(), asset.assetId(), asset.filename())));
  }

  /**
   * Soft-deletes an active asset: it disappears from reads, listings and retrieval of its atoms at
   * once; the object is kept until the retention purge removes it.
   */
  public RawAsset delete(Caller caller, String assetId) {
    Scope scope = caller.scope();
    Instant now = clock.instant();
    return tx.write(
        caller,
        () -> {
          slots.storage(caller);
          RawAsset asset = active(scope, assetId);
          jdbc.sql(
                  "UPDATE raw_assets SET status = 'deleted', deleted_at = :now WHERE tenant_id = :t AND env = :e AND asset_id = :id")
              .param("now", Sql.ts(now))
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("id", assetId)
              .update();
          removed(scope, List.of(assetId));
          events.output(caller, RefType.ASSET, assetId);
          return find(scope, asset.assetId()).orElseThrow();
        });
  }

  /**
   * Removes objects under the scope's prefix that no asset row knows, once they are older than
   * {@code grace} (so an upload whose row is about to commit is left alone). Objects of pending,
   * active and deleted assets are kept. Looks at the slot's current location and at every location
   * an asset row of the scope records.
   *
   * @return the number of objects removed
   */
  public int reconcile(Caller caller, Duration grace) {
    Scope scope = caller.scope();
    StorageSlot slot = slots.storage(caller);
    Set<StorageLocation> locations = new LinkedHashSet<>();
    locations.add(slot.location());
    locations.addAll(tx.read(caller, () -> recordedLocations(scope)));
    Instant cutoff = clock.instant().minus(grace);
    int removed = 0;
    for (StorageLocation location : locations) {
      removed += reconcile(caller, slots.store(location), cutoff);
    }
    return removed;
  }

  /** Every location an asset row of the scope records, in a stable order. */
  private List<StorageLocation> recordedLocations(Scope scope) {
    return jdbc.sql(
            "SELECT DISTINCT backend, bucket, prefix FROM raw_assets WHERE tenant_id = :t AND env = :e"
                + " ORDER BY backend, bucket, prefix")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .query(
            (rs, n) ->
                new StorageLocation(
                    rs.getString("backend"), rs.getString("bucket"), rs.getString("prefix")))
        .list();
  }

  private int reconcile(Caller caller, RawStore store, Instant cutoff) {
    Scope scope = caller.scope();
    List<ObjectKey> candidates = new ArrayList<>();
    try (Stream<ObjectKey> keys = store.list(ObjectKey.scopePrefix(scope))) {
      keys.forEach(candidates::add);
    }
    Set<String> known = new HashSet<>();
    for (int from = 0; from < candidates.size(); from += 500) {
      List<String> ids =
          candidates.subList(from, Math.min(candidates.size(), from + 500)).stream()
              .map(RawAssets::assetIdOf)
              .toList();
      known.addAll(
          tx.read(
              caller,
              () ->
                  jdbc.sql(
                          "SELECT asset_id FROM raw_assets WHERE tenant_id = :t AND env = :e"
                              + " AND asset_id IN (:ids)")
                      .param("t", scope.tenantId())
                      .param("e", scope.env().wire())
                      .param("ids", ids)
                      .query(String.class)
                      .list()));
    }
    int removed = 0;
    for (ObjectKey key : candidates) {
      if (known.contains(assetIdOf(key))) {
        continue;
      }
      boolean old = store.head(key).map(o -> o.lastModified().isBefore(cutoff)).orElse(false);
      if (old && store.delete(key)) {
        events.output(caller, RefType.OBJECT, assetIdOf(key));
        removed++;
      }
    }
    return removed;
  }

  /** The most assets one retention purge removes per data class; the rest go on the next run. */
  static final int PURGE_BATCH = 10_000;

  /**
   * Removes assets in {@code status} whose {@code since} time is before {@code cutoff}, except
   * {@code held} ids, with their objects, derivations and atoms. Runs inside the caller's open
   * read-write transaction bound to {@code scope} (the retention purge's). Objects go first and
   * their deletion is idempotent: an object the store cannot delete now keeps its row, so the next
   * run tries again, and a rolled-back transaction only leaves rows whose objects are already gone,
   * which the next run removes.
   *
   * @param status {@code deleted} (since {@code deleted_at}) or {@code pending} (since {@code
   *     imported_at})
   * @return how many assets went
   */
  int purge(Scope scope, String status, Instant cutoff, Set<String> held) {
    String since =
        switch (status) {
          case RawAsset.DELETED -> "deleted_at";
          case RawAsset.PENDING -> "imported_at";
          default ->
              throw new IllegalArgumentException("only deleted and pending assets are purged");
        };
    List<RawAsset> due =
        jdbc.sql(
                "SELECT * FROM raw_assets WHERE tenant_id = :t AND env = :e AND status = :status"
                    + " AND "
                    + since
                    + " < :cutoff AND NOT (asset_id = ANY (:held)) ORDER BY asset_id LIMIT :limit FOR UPDATE")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("status", status)
            .param("cutoff", Sql.ts(cutoff))
            .param("held", held.toArray(String[]::new))
            .param("limit", PURGE_BATCH)
            .query(RawAssets::map)
            .list();
    return remove(scope, due, "retention").size();
  }

  /**
   * Tenant purge of the scope's env: every asset in any status, with its object, derivations and
   * atoms, then the env's usage log, then objects no row knows that are older than {@link
   * #PURGE_ORPHAN_GRACE} (left by a crash mid-upload) in every location the env's rows recorded and
   * the slot's current one. Runs inside the caller's open read-write transaction bound to {@code
   * scope}. Objects go before their rows, exactly as in the retention purge: an object the store
   * cannot delete now keeps its row (and atoms and derivations), is logged by asset id and counted
   * by {@link #remaining}; the next purge retries it.
   *
   * @return how many assets went
   */
  int purgeTenant(Caller caller) {
    Scope scope = caller.scope();
    Set<StorageLocation> locations = new LinkedHashSet<>(recordedLocations(scope));
    try {
      locations.add(slots.storage(caller).location());
    } catch (EnginesException e) {
      // No slot (or one the deployment no longer offers): the rows' own locations are all there is.
    }
    int purged = removeInBatches(scope, "", "FOR UPDATE", "tenant purge").size();
    jdbc.sql("DELETE FROM usage_log WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .update();
    Instant cutoff = clock.instant().minus(PURGE_ORPHAN_GRACE);
    for (StorageLocation location : locations) {
      try {
        reconcile(caller, slots.store(location), cutoff);
      } catch (EnginesException e) {
        log.warn(
            "tenant purge: objects without a row not swept in one location of env {} ({}); purge again to retry",
            scope.env().wire(),
            e.code());
      }
    }
    return purged;
  }

  /**
   * Objects without a row younger than this are left by a tenant purge: an upload may be about to
   * insert its row.
   */
  static final Duration PURGE_ORPHAN_GRACE = Duration.ofMinutes(15);

  /**
   * How many asset rows the scope's env still holds, inside an open transaction of {@code scope}.
   */
  int remaining(Scope scope) {
    return jdbc.sql("SELECT count(*) FROM raw_assets WHERE tenant_id = :t AND env = :e")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .query(Integer.class)
        .single();
  }

  /**
   * Deletes the objects of {@code assets}, then the atoms, derivations and rows of those whose
   * object is gone. An object the store refuses to delete keeps its rows and is logged (asset id
   * and problem code only). Deleting an object is idempotent, so rows whose transaction rolls back
   * after their object went are removed by the next run.
   *
   * @return the ids of the assets that went
   */
  private List<String> remove(Scope scope, List<RawAsset> assets, String purge) {
    List<String> gone = new ArrayList<>();
    for (RawAsset asset : assets) {
      try {
        slots
            .store(asset.location())
            .delete(ObjectKey.rawAsset(scope, asset.assetId(), asset.filename()));
        gone.add(asset.assetId());
      } catch (EnginesException e) {
        log.warn(
            "{}: object of asset {} not deleted ({}); its rows stay and the next run retries",
            purge,
            asset.assetId(),
            e.code());
      }
    }
    if (gone.isEmpty()) {
      return gone;
    }
    String[] ids = gone.toArray(String[]::new);
    for (String table : List.of("atoms", "derivations", "raw_assets")) {
      jdbc.sql(
              "DELETE FROM "
                  + table
                  + " WHERE tenant_id = :t AND env = :e AND asset_id = ANY (:ids)")
          .param("t", scope.tenantId())
          .param("e", scope.env().wire())
          .param("ids", ids)
          .update();
    }
    removed(scope, gone);
    // The subject index (tenant-level) must not point at assets that no longer exist.
    subjects.forget(scope.tenant(), RawAsset.RECORD_TYPE, gone);
    return gone;
  }

  /**
   * Erases an asset for a GDPR erasure, inside the erasure's open transaction bound to {@code
   * scope}: an active or soft-deleted asset is marked erased ({@code erased_at}, and soft-deleted
   * if it was active, so it leaves reads, listings, derivations and retrieval at once). Its object,
   * atoms, derivations and row go in {@link #completeErasures} once the erasure has committed:
   * deleting the object here would break the ordering rule, as the erasure's transaction may still
   * roll back (another record of the subject refusing erasure) and leave a row without its object.
   * A pending asset (nothing derived from it yet) goes at once, object first, so it can never be
   * registered afterwards; if the transaction rolls back, its row stays pending without an object,
   * which registration answers with {@code object_missing} and the {@code pending_uploads} purge
   * removes.
   *
   * @return false when the env holds no such asset, or a pending asset's object could not be
   *     deleted now
   */
  boolean eraseForSubject(Caller caller, String assetId) {
    Scope scope = caller.scope();
    Optional<RawAsset> asset = find(scope, assetId);
    if (asset.isEmpty()) {
      return false;
    }
    if (RawAsset.PENDING.equals(asset.get().status())) {
      return !remove(scope, List.of(asset.get()), "erasure").isEmpty();
    }
    Instant now = clock.instant();
    jdbc.sql(
            "UPDATE raw_assets SET status = 'deleted', deleted_at = COALESCE(deleted_at, :now),"
                + " erased_at = COALESCE(erased_at, :now) WHERE tenant_id = :t AND env = :e AND asset_id = :id")
        .param("now", Sql.ts(now))
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("id", assetId)
        .update();
    if (RawAsset.ACTIVE.equals(asset.get().status())) {
      removed(scope, List.of(assetId));
    }
    events.output(caller, RefType.ASSET, assetId);
    return true;
  }

  /**
   * Deletes the objects of the env's erased assets, then their atoms, derivations and rows, inside
   * an open read-write transaction bound to {@code scope} that runs after the erasure committed. An
   * object the store cannot delete now keeps its marked row (logged by asset id and problem code)
   * and is {@linkplain #pendingErasures pending}; the next erasure or retention run in the env
   * retries it. Deleting an object is idempotent, so a row whose transaction rolls back after its
   * object went is finished by the next run. Rows another transaction holds are left to it.
   *
   * @return the ids of the assets whose objects and rows went
   */
  List<String> completeErasures(Scope scope) {
    return removeInBatches(
        scope, " AND erased_at IS NOT NULL", "FOR UPDATE SKIP LOCKED", "erasure");
  }

  /**
   * {@link #remove}s the env's assets that match {@code condition}, {@value #PURGE_BATCH} at a time
   * in asset id order, each batch locked with {@code lock}; answers the ids that went.
   *
   * @param condition more of the WHERE clause ({@code " AND …"}), or {@code ""}
   * @param purge what is removing them, for the log
   */
  private List<String> removeInBatches(Scope scope, String condition, String lock, String purge) {
    List<String> gone = new ArrayList<>();
    String after = "";
    while (true) {
      List<RawAsset> batch =
          jdbc.sql(
                  "SELECT * FROM raw_assets WHERE tenant_id = :t AND env = :e"
                      + condition
                      + " AND asset_id > :after ORDER BY asset_id LIMIT :limit "
                      + lock)
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("after", after)
              .param("limit", PURGE_BATCH)
              .query(RawAssets::map)
              .list();
      if (batch.isEmpty()) {
        return gone;
      }
      gone.addAll(remove(scope, batch, purge));
      after = batch.getLast().assetId();
    }
  }

  /** How many erased assets of the scope's env still hold their object (and rows). */
  int pendingErasures(Scope scope) {
    return jdbc.sql(
            "SELECT count(*) FROM raw_assets WHERE tenant_id = :t AND env = :e AND erased_at IS NOT NULL")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .query(Integer.class)
        .single();
  }

  /**
   * Indexes an asset under the data subjects a derivation of it found (e-mail addresses and phone
   * numbers in its text), so that erasing one of them erases the asset's raw bytes too. Runs inside
   * the derivation's transaction bound to {@code scope}; the index holds pseudonyms only.
   */
  void indexSubjects(Scope scope, String assetId, Collection<SubjectIdentifiers> found) {
    if (!found.isEmpty()) {
      subjects.registerAll(scope.tenant(), found, RawAsset.RECORD_TYPE, assetId);
    }
  }

  private void removed(Scope scope, List<String> assetIds) {
    removals.forEach(r -> r.removed(scope, assetIds));
  }

  /**
   * Which of {@code assetIds} name an active asset of the scope, inside an open transaction bound
   * to it (for records that point at assets, checked when they are written).
   */
  public Set<String> activeIds(Scope scope, Collection<String> assetIds) {
    String[] ids =
        assetIds.stream()
            .filter(id -> id != null && ASSET_ID.matcher(id).matches())
            .toArray(String[]::new);
    if (ids.length == 0) {
      return Set.of();
    }
    return Set.copyOf(
        jdbc.sql(
                "SELECT asset_id FROM raw_assets WHERE tenant_id = :t AND env = :e AND asset_id = ANY (:ids)"
                    + " AND status = 'active'")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("ids", ids)
            .query(String.class)
            .list());
  }

  /** The active asset, inside an open transaction of {@code scope}; 404 otherwise. */
  RawAsset active(Scope scope, String assetId) {
    return find(scope, assetId)
        .filter(a -> RawAsset.ACTIVE.equals(a.status()))
        .orElseThrow(NexusProblems::assetNotFound);
  }

  /**
   * The asset with {@code assetId} in {@code scope} in any status (pending, active, deleted), for
   * callers that keep asset ids as pointers (session memory) and decide what each status means to
   * them. Runs inside the caller's transaction bound to {@code scope}; needs no slot and records
   * nothing on the request's event. Malformed ids find nothing.
   */
  public Optional<RawAsset> find(Scope scope, String assetId) {
    if (assetId == null || !ASSET_ID.matcher(assetId).matches()) {
      return Optional.empty();
    }
    return jdbc.sql("SELECT * FROM raw_assets WHERE tenant_id = :t AND env = :e AND asset_id = :id")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("id", assetId)
        .query(RawAssets::map)
        .optional();
  }

  private void insert(RawAsset a, Instant registeredAt) {
    jdbc.sql(
            "INSERT INTO raw_assets (tenant_id, env, asset_id, backend, bucket, prefix, object_key, filename, content_type,"
                + " size_bytes, sha256, status, captured_at, imported_at, registered_at, pii_flags, train_ok, created_by)"
                + " VALUES (:t, :e, :id, :backend, :bucket, :prefix, :key, :filename, :ct, :size, :sha, :status, :captured,"
                + " :imported, :registered, CAST(:pii AS jsonb), :trainOk, :by)")
        .param("t", a.tenantId())
        .param("e", a.env())
        .param("id", a.assetId())
        .param("backend", a.backend())
        .param("bucket", a.bucket())
        .param("prefix", a.prefix())
        .param("key", a.objectKey())
        .param("filename", a.filename())
        .param("ct", a.contentType())
        .param("size", a.sizeBytes())
        .param("sha", a.sha256())
        .param("status", a.status())
        .param("captured", Sql.ts(a.capturedAt()))
        .param("imported", Sql.ts(a.importedAt()))
        .param("registered", Sql.ts(registeredAt))
        .param("pii", Json.write(a.piiFlags()))
        .param("trainOk", a.trainOk())
        .param("by", a.createdBy())
        .update();
  }

  /** Best effort: a failure here leaves an orphan object that {@link #reconcile} removes later. */
  private static void discard(RawStore store, ObjectKey key) {
    try {
      store.delete(key);
    } catch (RuntimeException e) {
      log.warn(
          "nexus: could not delete an unregistered object of asset {}; reconcile will remove it",
          assetIdOf(key),
          e);
    }
  }

  private static String newAssetId() {
    return Ids.random("ra");
  }

  private static String assetIdOf(ObjectKey key) {
    // tenants/<tenant>/<env>/raw/<asset_id>/<filename>
    List<String> segments = key.segments();
    return segments.size() > 4 ? segments.get(4) : "";
  }

  static RawAsset map(ResultSet rs, int row) throws SQLException {
    return new RawAsset(
        rs.getString("asset_id"),
        rs.getString("tenant_id"),
        rs.getString("env"),
        rs.getString("backend"),
        rs.getString("bucket"),
        rs.getString("prefix"),
        rs.getString("object_key"),
        rs.getString("filename"),
        rs.getString("content_type"),
        rs.getLong("size_bytes"),
        rs.getString("sha256"),
        rs.getString("status"),
        Sql.instant(rs, "captured_at"),
        Sql.instant(rs, "imported_at"),
        Sql.instant(rs, "deleted_at"),
        Json.read(rs.getString("pii_flags")),
        rs.getBoolean("train_ok"),
        rs.getString("created_by"));
  }
}
