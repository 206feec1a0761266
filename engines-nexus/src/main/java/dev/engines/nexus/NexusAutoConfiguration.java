package dev.engines.nexus;

import dev.engines.config.ConfigSlot;
import dev.engines.config.EnvConfigs;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.gdpr.RetentionHook;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.ids.IdKeys;
import dev.engines.core.quota.Quotas;
import dev.engines.gates.GateChain;
import dev.engines.ledger.EventRecorder;
import dev.engines.nexus.atomize.Atomizer;
import dev.engines.nexus.atomize.Atomizers;
import dev.engines.nexus.internal.AtomIdRekeying;
import dev.engines.nexus.internal.NexusSlotRules;
import dev.engines.nexus.internal.TenantNexusSlots;
import dev.engines.pii.PiiPipeline;
import dev.engines.storage.RawStores;
import dev.engines.storage.StorageSettings;
import java.time.Clock;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires Nexus: raw assets, atomizers, atoms, lineage and the usage log, and Nexus' part in GDPR
 * requests. Its schema is {@code db/migration/nexus} (V10, V25, V28, and the Java migration V29,
 * {@link AtomIdRekeying}); its deployment caps are {@link NexusSettings} ({@code engines.nexus},
 * required). Each tenant/env chooses within them in two config slots this module contributes and
 * reads ({@code storage}, {@code nexus}: {@link NexusSlotRules}), and its storage slot names a
 * location among those the deployment's {@link RawStores} offer ({@code engines.storage}). The kill
 * switch (engines-gates) may disable a storage backend as a provider.
 */
@AutoConfiguration
@EnableConfigurationProperties(NexusSettings.class)
public class NexusAutoConfiguration {

  @Bean
  Atomizers atomizers() {
    return Atomizers.standard();
  }

  @Bean
  NexusSlotRules nexusSlotRules(StorageSettings storage, NexusSettings nexus, Atomizers atomizers) {
    return new NexusSlotRules(
        storage,
        nexus,
        atomizers.available().stream().map(Atomizer::opType).collect(Collectors.toSet()));
  }

  @Bean
  ConfigSlot storageSlot(NexusSlotRules rules) {
    return rules.storageSlot();
  }

  @Bean
  ConfigSlot nexusSlot(NexusSlotRules rules) {
    return rules.nexusSlot();
  }

  /**
   * The env's storage and nexus slots, bounded by the deployment; the stores they name, cached per
   * location.
   */
  @Bean(destroyMethod = "close")
  TenantNexusSlots nexusSlots(
      EnvConfigs configs,
      GateChain gates,
      StorageSettings storage,
      NexusSettings nexus,
      RawStores stores) {
    return new TenantNexusSlots(configs, gates, storage, nexus, stores);
  }

  @Bean
  RawAssets rawAssets(
      JdbcClient jdbc,
      ScopedTransactions tx,
      NexusSlots slots,
      EventRecorder events,
      Clock clock,
      PurgeFence fence,
      SubjectIndex subjects,
      ObjectProvider<AssetRemovals> removals,
      Quotas quotas) {
    return new RawAssets(
        jdbc, tx, slots, events, clock, fence, subjects, removals.orderedStream().toList(), quotas);
  }

  /** Re-keys the atom ids stored before ids were keyed; Flyway runs it once, as V29. */
  @Bean
  AtomIdRekeying atomIdRekeying(IdKeys idKeys) {
    return new AtomIdRekeying(idKeys);
  }

  @Bean
  Atoms atoms(
      JdbcClient jdbc,
      JdbcTemplate jdbcTemplate,
      ScopedTransactions tx,
      RawAssets assets,
      NexusSlots slots,
      Atomizers atomizers,
      PiiPipeline pii,
      EventRecorder events,
      Clock clock,
      IdKeys idKeys,
      Quotas quotas) {
    return new Atoms(
        jdbc, jdbcTemplate, tx, assets, slots, atomizers, pii, events, clock, idKeys, quotas);
  }

  @Bean
  UsageLog usageLog(
      JdbcClient jdbc,
      ScopedTransactions tx,
      EventRecorder events,
      Clock clock,
      NexusSlots slots,
      PurgeFence fence) {
    return new UsageLog(jdbc, tx, events, clock, slots, fence);
  }

  /**
   * Raw assets in GDPR requests: tenant purge removes them (objects first), erasure soft-deletes
   * indexed ones.
   */
  @Bean
  ErasureHook nexusErasure(RawAssets assets) {
    return new NexusErasure(assets);
  }

  @Bean
  RetentionHook deletedAssetsRetention(RawAssets assets) {
    return NexusRetention.deletedAssets(assets);
  }

  @Bean
  RetentionHook pendingUploadsRetention(RawAssets assets) {
    return NexusRetention.pendingUploads(assets);
  }
}
