package dev.engines.nexus;

import dev.engines.core.gdpr.RetentionHook;
import java.util.Objects;

/**
 * The retention classes of raw assets, run by the GDPR retention purge (scheduled and on demand,
 * audited) like every other data class:
 *
 * <ul>
 *   <li>{@code deleted_assets}: assets soft-deleted longer than the period are removed for good —
 *       the object in whichever location the asset was written to, then its atoms, derivations and
 *       row.
 *   <li>{@code pending_uploads}: presigned uploads never registered within the period (a presigned
 *       URL lives at most {@link RawAssets#MAX_PRESIGN_TTL}, shorter than the 1-day minimum period)
 *       are removed with any object a client wrote for them.
 * </ul>
 *
 * Both are env-scoped: a policy applies to the env it is set in. Legal holds apply as for every
 * class: a tenant-wide hold suspends the purge, and assets indexed under a held subject (record
 * type {@value RawAsset#RECORD_TYPE}) stay.
 */
final class NexusRetention {

  private NexusRetention() {}

  /** {@code deleted_assets}. */
  static RetentionHook deletedAssets(RawAssets assets) {
    return hook(assets, "deleted_assets", RawAsset.DELETED);
  }

  /** {@code pending_uploads}. */
  static RetentionHook pendingUploads(RawAssets assets) {
    return hook(assets, "pending_uploads", RawAsset.PENDING);
  }

  private static RetentionHook hook(RawAssets assets, String dataClass, String status) {
    Objects.requireNonNull(assets, "assets");
    return RetentionHook.of(
        dataClass,
        RawAsset.RECORD_TYPE,
        (scope, cutoff, held) -> assets.purge(scope, status, cutoff, held));
  }
}
