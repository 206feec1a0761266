package dev.engines.vector;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ledger.EventRecorder;
import dev.engines.gates.GateChain;
import dev.engines.nexus.AssetRemovals;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.RawAssets;
import dev.engines.pii.PiiPipeline;
import dev.engines.vector.embed.Embedders;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the vector engine: spaces, vectors and search on pgvector, and the built-in embedder. Its
 * schema is {@code db/migration/vector} (V60–V61), its deployment settings {@code engines.vector}
 * ({@link VectorSettings}). The application provides the env's {@code vector} slot ({@link
 * VectorSlots}); Nexus provides atoms to index and tells which assets were removed ({@link
 * AssetRemovals}); the gate chain (engines-gates) guards {@value VectorActions#INGEST} where the slot
 * gates it.
 */
@AutoConfiguration
@EnableConfigurationProperties(VectorSettings.class)
public class VectorAutoConfiguration {

  @Bean
  Embedders embedders() {
    return Embedders.builtIn();
  }

  @Bean
  VectorSpaces vectorSpaces(JdbcClient jdbc, ScopedTransactions tx, VectorSlots slots, Embedders embedders,
      EventRecorder events, Clock clock, PurgeFence fence) {
    return new VectorSpaces(jdbc, tx, slots, embedders, events, clock, fence);
  }

  @Bean
  Vectors vectors(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ScopedTransactions tx, VectorSpaces spaces, VectorSlots slots,
      VectorSettings settings, Embedders embedders, PiiPipeline pii, Atoms atoms, RawAssets assets, EventRecorder events,
      Clock clock, PurgeFence fence, GateChain gates) {
    return new Vectors(jdbc, jdbcTemplate, tx, spaces, slots, settings, embedders, pii, atoms, assets, events, clock, fence,
        gates);
  }

  /** Tenant purge removes every space of each env. */
  @Bean
  ErasureHook vectorErasure(JdbcClient jdbc) {
    return new VectorErasure(jdbc);
  }

  /** Vectors pointing at a removed asset or its atoms go with it. */
  @Bean
  AssetRemovals assetVectors(JdbcClient jdbc) {
    return new AssetVectors(jdbc);
  }
}
