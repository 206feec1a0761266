package dev.engines.nexus;

import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectRecord;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Nexus in GDPR requests, record type {@value RawAsset#RECORD_TYPE}; env-scoped.
 *
 * <ul>
 *   <li><b>Tenant purge</b> removes every raw asset of the env in any status — the object from the
 *       location its row recorded first, then its atoms, derivations and row — and the env's usage
 *       log, then sweeps objects no row knows. An object the store cannot delete now keeps its rows
 *       and counts as {@linkplain #remaining remaining}; the next purge retries.
 *   <li><b>Subject lookup</b> finds nothing by itself: atoms are stored redacted (their reversible
 *       tokens are crypto-shredded by the subject key hook). Assets indexed under the subject
 *       ({@link dev.engines.core.gdpr.SubjectIndex}) — by a derivation that found the subject's
 *       e-mail address or phone number in their text, or by another write path — are listed,
 *       exported (metadata, never bytes) and erased.
 *   <li><b>Erasure</b> of an indexed asset marks it erased in the request's env inside the
 *       erasure's transaction (gone from every read at once); once that has committed, {@link
 *       #completeErasures} deletes its object, then its atoms, derivations and row.
 * </ul>
 */
final class NexusErasure implements ErasureHook {

  private final RawAssets assets;

  NexusErasure(RawAssets assets) {
    this.assets = Objects.requireNonNull(assets, "assets");
  }

  @Override
  public String recordType() {
    return RawAsset.RECORD_TYPE;
  }

  @Override
  public boolean envScoped() {
    return true;
  }

  /**
   * Nothing: bytes are not searched, and atom text is stored redacted. Indexed assets come from the
   * subject index.
   */
  @Override
  public List<String> find(Scope scope, SubjectIdentifiers subject) {
    return List.of();
  }

  /**
   * The asset's metadata in the request's env; the bytes are read with {@code GET
   * /v1/assets/{id}/content}.
   */
  @Override
  public Optional<SubjectRecord> export(Scope scope, String recordId) {
    return assets
        .find(scope, recordId)
        .map(
            a -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("asset_id", a.assetId());
              data.put("env", a.env());
              data.put("status", a.status());
              data.put("filename", a.filename());
              data.put("content_type", a.contentType());
              data.put("size_bytes", a.sizeBytes());
              data.put("sha256", a.sha256());
              if (a.capturedAt() != null) {
                data.put("captured_at", a.capturedAt().toString());
              }
              data.put("imported_at", a.importedAt().toString());
              if (a.deletedAt() != null) {
                data.put("deleted_at", a.deletedAt().toString());
              }
              return new SubjectRecord(RawAsset.RECORD_TYPE, a.assetId(), a.trainOk(), data);
            });
  }

  @Override
  public boolean erase(Caller caller, String recordId) {
    return assets.eraseForSubject(caller, recordId);
  }

  /** Deletes the objects, atoms, derivations and rows of the env's erased assets. */
  @Override
  public List<String> completeErasures(Caller caller) {
    return assets.completeErasures(caller.scope());
  }

  @Override
  public int pendingErasures(Caller caller) {
    return assets.pendingErasures(caller.scope());
  }

  @Override
  public int purgeTenant(Caller caller) {
    return assets.purgeTenant(caller);
  }

  @Override
  public int remaining(Scope scope) {
    return assets.remaining(scope);
  }
}
