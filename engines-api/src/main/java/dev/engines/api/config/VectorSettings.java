package dev.engines.api.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/**
 * The {@code engines.vector} slot.
 *
 * @param maxDimension the largest embedding dimension a vector space may declare (pgvector's
 *     HNSW index supports up to 2000 for {@code vector})
 * @param maxTopK the largest k a search may ask for
 */
public record VectorSettings(@Positive @Max(2000) int maxDimension, @Positive @Max(1000) int maxTopK) {}
