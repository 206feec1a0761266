package dev.engines.vector;

import dev.engines.config.ConfigSlot;
import dev.engines.config.EnvConfigs;
import dev.engines.config.SlotFields;
import dev.engines.config.SlotRecords;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.quota.Quotas;
import dev.engines.gates.GateChain;
import dev.engines.ledger.EventRecorder;
import dev.engines.nexus.AssetRemovals;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.RawAssets;
import dev.engines.pii.PiiPipeline;
import dev.engines.vector.embed.Embedders;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the vector engine: spaces, vectors and search on pgvector, and the built-in embedder. Its
 * schema is {@code db/migration/vector} (V60, V61, V63, V64), its deployment settings {@code
 * engines.vector} ({@link VectorSettings}). It contributes and reads the env's {@code vector}
 * config slot ({@link VectorSlots}, stored in engines-config); Nexus provides atoms to index and
 * tells which assets were removed ({@link AssetRemovals}); the gate chain (engines-gates) guards
 * {@value VectorActions#INGEST} where the slot gates it.
 */
@AutoConfiguration
@EnableConfigurationProperties(VectorSettings.class)
public class VectorAutoConfiguration {

  @Bean
  Embedders embedders() {
    return Embedders.builtIn();
  }

  /**
   * The {@code vector} slot: its rules are the engine's ({@link VectorSlot#validate}), bounded by
   * the deployment.
   */
  @Bean
  ConfigSlot vectorSlot(VectorSettings settings, Embedders embedders) {
    SlotRecords<VectorSlot.Settings> rules =
        VectorSlot.records(settings.maxDimension(), embedders.ids());
    return ConfigSlot.of(
        VectorSlot.SLOT,
        in -> {
          Map<String, Object> out = new TreeMap<>();
          List<FieldError> errors = VectorSlot.validate(in == null ? Map.of() : in, out, rules);
          SlotFields.requireValid(VectorSlot.SLOT, errors);
          return out;
        });
  }

  /** The env's vector slot; 409 {@code config_missing} when never set. */
  @Bean
  VectorSlots vectorSlots(EnvConfigs configs, VectorSettings settings, Embedders embedders) {
    return caller ->
        VectorSlot.read(
            configs.require(caller, VectorSlot.SLOT), settings.maxDimension(), embedders.ids());
  }

  @Bean
  VectorTombstones vectorTombstones(JdbcClient jdbc, Clock clock, VectorSettings settings) {
    return new VectorTombstones(jdbc, clock, settings.tombstoneRetention());
  }

  @Bean
  VectorSpaces vectorSpaces(
      JdbcClient jdbc,
      ScopedTransactions tx,
      VectorSlots slots,
      Embedders embedders,
      EventRecorder events,
      Clock clock,
      PurgeFence fence,
      VectorTombstones tombstones) {
    return new VectorSpaces(jdbc, tx, slots, embedders, events, clock, fence, tombstones);
  }

  @Bean
  Vectors vectors(
      JdbcClient jdbc,
      JdbcTemplate jdbcTemplate,
      ScopedTransactions tx,
      VectorSpaces spaces,
      VectorSlots slots,
      VectorSettings settings,
      Embedders embedders,
      PiiPipeline pii,
      Atoms atoms,
      RawAssets assets,
      EventRecorder events,
      Clock clock,
      PurgeFence fence,
      GateChain gates,
      VectorTombstones tombstones,
      Quotas quotas) {
    return new Vectors(
        jdbc,
        jdbcTemplate,
        tx,
        spaces,
        slots,
        settings,
        embedders,
        pii,
        atoms,
        assets,
        events,
        clock,
        fence,
        gates,
        tombstones,
        quotas);
  }

  /** Tenant purge removes every space of each env, and the env's tombstones. */
  @Bean
  ErasureHook vectorErasure(JdbcClient jdbc, VectorTombstones tombstones) {
    return new VectorErasure(jdbc, tombstones);
  }

  /** Vectors pointing at a removed asset or its atoms go with it, leaving tombstones. */
  @Bean
  AssetRemovals assetVectors(VectorTombstones tombstones) {
    return new AssetVectors(tombstones);
  }
}
