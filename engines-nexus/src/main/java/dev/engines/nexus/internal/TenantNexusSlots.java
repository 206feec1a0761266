package dev.engines.nexus.internal;

import dev.engines.config.EnvConfigs;
import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.gates.GateChain;
import dev.engines.nexus.NexusLimits;
import dev.engines.nexus.NexusSettings;
import dev.engines.nexus.NexusSlot;
import dev.engines.nexus.NexusSlots;
import dev.engines.nexus.StorageLocation;
import dev.engines.nexus.StorageSlot;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.RawStore;
import dev.engines.storage.RawStores;
import dev.engines.storage.StorageProblems;
import dev.engines.storage.StorageSettings;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a tenant/env's stored {@code storage} and {@code nexus} slots against the deployment's
 * bounds, on every call (a slot change applies to the next request). A storage slot whose backend
 * the env's kill switch disables as a provider answers 403 {@code kill_switch_blocked}.
 *
 * <p>Stores are cached per {@link StorageLocation} (backend, bucket, slot prefix): the rest of an
 * adapter's settings is the deployment's and fixed, so equal locations mean equal stores, and a
 * store holds no tenant state (every key is built from the caller's scope). Two tenants that chose
 * the same bucket and prefix share a store but never a key. The deployment's {@link RawStores} make
 * S3 and GCS stores views on one shared client, so a cached store costs a few objects, not a
 * connection pool.
 *
 * <p>The deployment stays the outer bound even for slots written before it changed: limits above
 * today's caps are lowered to the caps, and a slot naming a backend or bucket the deployment no
 * longer offers, or a prefix with the key layout's reserved segment (refused on write since),
 * answers 409 {@code config_invalid} until an admin sets it again.
 */
public final class TenantNexusSlots implements NexusSlots, AutoCloseable {

  /** Problem code of a stored slot the deployment no longer accepts. */
  public static final String CONFIG_INVALID = "config_invalid";

  private final EnvConfigs configs;
  private final GateChain gates;
  private final StorageSettings storage;
  private final NexusSettings nexus;
  private final RawStores factory;
  private final Map<StorageLocation, RawStore> stores = new ConcurrentHashMap<>();

  /**
   * The deployment's backend as slots name it, and the buckets it offers: read on every request.
   */
  private final String backend;

  private final Set<String> buckets;

  /**
   * @param gates the kill switch, which may disable the slot's storage backend as a provider
   * @param factory builds the store of an offered location (called once per location)
   */
  public TenantNexusSlots(
      EnvConfigs configs,
      GateChain gates,
      StorageSettings storage,
      NexusSettings nexus,
      RawStores factory) {
    this.configs = Objects.requireNonNull(configs, "configs");
    this.gates = Objects.requireNonNull(gates, "gates");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.nexus = Objects.requireNonNull(nexus, "nexus");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.backend = storage.backendName();
    this.buckets = Set.copyOf(storage.buckets());
  }

  @Override
  public StorageSlot storage(Caller caller) {
    Scope scope = caller.scope();
    EnvConfigs.Version version =
        configs
            .latest(caller, NexusSlotRules.STORAGE)
            .orElseThrow(() -> EnvConfigs.missing(NexusSlotRules.STORAGE, scope));
    NexusSlotRules.StorageSlotSettings s = NexusSlotRules.storage(version.settings());
    StorageLocation location = new StorageLocation(s.backend(), s.bucket(), s.prefix());
    if (!offered(location)) {
      throw EnginesException.conflict(
          CONFIG_INVALID,
          "The storage slot (version "
              + version.version()
              + ") names a backend or bucket this deployment no longer offers; an admin must set it again.");
    }
    if (new BucketPrefix(location.prefix()).overlapsKeyLayout()) {
      // A slot stored before such prefixes were refused: no new object goes there. Assets already
      // written under it stay readable through their recorded location (store()).
      throw EnginesException.conflict(
          CONFIG_INVALID,
          "The storage slot (version "
              + version.version()
              + ") has a prefix with the reserved segment '"
              + ObjectKey.ROOT
              + "'; an admin must set it again.");
    }
    gates.admitProvider(scope, s.backend());
    // offered() just held: the store needs no second check.
    return new StorageSlot(
        location,
        stores.computeIfAbsent(location, this::open),
        Math.min(s.maxObjectBytes(), storage.maxObjectBytes()));
  }

  @Override
  public NexusSlot nexus(Caller caller) {
    return nexus(caller, configs.require(caller, NexusSlotRules.NEXUS));
  }

  @Override
  public NexusSlot nexus(Caller caller, Map<String, Object> settings) {
    if (settings == null) {
      throw EnvConfigs.missing(NexusSlotRules.NEXUS, caller.scope());
    }
    NexusSlotRules.NexusSlotSettings s = NexusSlotRules.nexus(settings);
    NexusLimits limits =
        new NexusLimits(
            Math.min(s.maxAtomizeBytes(), nexus.maxAtomizeBytes()),
            Math.min(s.maxAtomsPerDerivation(), nexus.maxAtomsPerDerivation()),
            Math.min(s.maxAtomTextChars(), nexus.maxAtomTextChars()));
    return new NexusSlot(limits, Optional.ofNullable(s.atomizers()).map(Set::copyOf));
  }

  @Override
  public RawStore store(StorageLocation location) {
    if (!offered(location)) {
      throw StorageProblems.misconfigured(
          location.backend(),
          new IllegalStateException(
              "the deployment no longer offers this asset's backend or bucket"));
    }
    return stores.computeIfAbsent(location, this::open);
  }

  private boolean offered(StorageLocation location) {
    if (!backend.equals(location.backend())) {
      return false;
    }
    boolean bucket =
        buckets.isEmpty() ? location.bucket().isEmpty() : buckets.contains(location.bucket());
    if (!bucket) {
      return false;
    }
    try {
      new BucketPrefix(location.prefix());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private RawStore open(StorageLocation location) {
    return factory.at(location.bucket(), location.prefix());
  }

  /**
   * Closes every store built so far; the shared clients behind them close with {@link RawStores}.
   */
  @Override
  public void close() {
    stores.values().forEach(RawStore::close);
    stores.clear();
  }
}
