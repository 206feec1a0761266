package dev.engines.storage;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The logical name of a stored object: {@code tenants/<tenant>/<env>/raw/<asset_id>/<filename>}.
 *
 * <p>Keys are built only from a typed {@link Scope} and validated parts, so a key can never point
 * outside its tenant and environment: the tenant id and env come from their own validated types,
 * the asset id must match {@value #ASSET_ID_PATTERN}, and the filename must be one safe path
 * segment (no separators, {@code .}/{@code ..}, control or invisible characters, percent-encoded
 * separators at any depth, drive letters, or more than 255 UTF-8 bytes). Filenames are normalised
 * to Unicode NFC; otherwise the same inputs always give the same key. An adapter's configured
 * {@link BucketPrefix} is applied outside this value.
 */
public final class ObjectKey implements Comparable<ObjectKey> {

  /** Raw asset ids: {@code ra_} followed by 8 to 64 lowercase letters or digits. */
  public static final String ASSET_ID_PATTERN = "^ra_[a-z0-9]{8,64}$";

  /**
   * The first segment of every key. It is reserved: no slot prefix may contain it, so no prefix can
   * place one tenant's keys inside the part of a bucket another tenant's keys use (see {@link
   * BucketPrefix#overlapsKeyLayout}).
   */
  public static final String ROOT = "tenants";

  static final String RAW = "raw";

  /**
   * The tenant-level segment of audit anchors: {@code tenants/<tenant>/audit/…}. It is not an env,
   * so no scope prefix ({@code tenants/<tenant>/<env>/}) reaches it: raw-object reconcile and purge
   * of a tenant's envs never list, let alone delete, an anchor.
   */
  static final String AUDIT = "audit";

  private static final Pattern ASSET_ID = Pattern.compile(ASSET_ID_PATTERN);

  private final Scope scope;
  private final String value;

  private ObjectKey(Scope scope, String value) {
    this.scope = scope;
    this.value = value;
  }

  /**
   * The key of a raw asset's content.
   *
   * @throws EnginesException 400 {@code invalid_asset_id} or {@code invalid_filename}
   */
  public static ObjectKey rawAsset(Scope scope, String assetId, String filename) {
    Objects.requireNonNull(scope, "scope");
    String name = filename == null ? null : KeySegments.canonical(filename);
    KeySegments.violation(name)
        .ifPresent(
            reason -> {
              throw EnginesException.badRequest(
                  StorageProblems.INVALID_FILENAME, "Filename " + reason + ".");
            });
    return new ObjectKey(scope, rawAssetPrefix(scope, assetId).value() + name);
  }

  /**
   * The signed digest of a tenant's audit chain at sequence number {@code seq}: {@code
   * tenants/<tenant>/audit/digests/<seq, 20 digits>.json}. Tenant-level: {@link #scope()} is null.
   */
  public static ObjectKey auditDigest(TenantId tenant, long seq) {
    Objects.requireNonNull(tenant, "tenant");
    if (seq < 1) {
      throw new IllegalArgumentException("An audit digest anchors sequence number 1 or later.");
    }
    return new ObjectKey(
        null,
        ROOT
            + "/"
            + tenant.value()
            + "/"
            + AUDIT
            + "/digests/"
            + String.format("%020d", seq)
            + ".json");
  }

  /**
   * The tenant's latest audit digest, a copy of the newest {@link #auditDigest}: what verification
   * reads first. Tenant-level: {@link #scope()} is null.
   */
  public static ObjectKey auditLatest(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return new ObjectKey(null, ROOT + "/" + tenant.value() + "/" + AUDIT + "/latest.json");
  }

  /** Everything stored for one tenant and environment, for reconciliation and purge. */
  public static ObjectKeyPrefix scopePrefix(Scope scope) {
    Objects.requireNonNull(scope, "scope");
    return new ObjectKeyPrefix(
        scope, ROOT + "/" + scope.tenantId() + "/" + scope.env().wire() + "/");
  }

  /**
   * Everything stored for one raw asset.
   *
   * @throws EnginesException 400 {@code invalid_asset_id}
   */
  public static ObjectKeyPrefix rawAssetPrefix(Scope scope, String assetId) {
    if (assetId == null || !ASSET_ID.matcher(assetId).matches()) {
      throw EnginesException.badRequest(
          StorageProblems.INVALID_ASSET_ID, "Asset id must match " + ASSET_ID_PATTERN + ".");
    }
    return new ObjectKeyPrefix(scope, scopePrefix(scope).value() + RAW + "/" + assetId + "/");
  }

  /**
   * The key {@code name} is when it has exactly the layout {@link #rawAsset} builds in {@code
   * scope}: the scope's prefix, {@code raw}, a valid asset id and one valid NFC filename; empty for
   * any other name, deeper or shallower ones included (another tenant's keys under a slot prefix
   * that reaches into this scope have more segments). Only {@link ObjectKeyPrefix#resolveListed}
   * calls it.
   */
  static Optional<ObjectKey> parse(Scope scope, String name) {
    String head = scopePrefix(scope).value() + RAW + "/";
    if (!name.startsWith(head)) {
      return Optional.empty();
    }
    String[] parts = name.substring(head.length()).split("/", -1);
    if (parts.length != 2
        || !ASSET_ID.matcher(parts[0]).matches()
        || !parts[1].equals(KeySegments.canonical(parts[1]))
        || KeySegments.violation(parts[1]).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new ObjectKey(scope, name));
  }

  /** The tenant and environment this key belongs to; null for a tenant-level audit anchor. */
  public Scope scope() {
    return scope;
  }

  /** The key as a '/'-separated string, without any bucket prefix. */
  public String value() {
    return value;
  }

  /** The key's segments, e.g. {@code [tenants, t_acme, prod, raw, ra_…, report.pdf]}. */
  public List<String> segments() {
    return List.of(value.split("/"));
  }

  /** The last segment: the filename. */
  public String filename() {
    return value.substring(value.lastIndexOf('/') + 1);
  }

  @Override
  public int compareTo(ObjectKey other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectKey other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
