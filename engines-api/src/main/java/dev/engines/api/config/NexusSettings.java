package dev.engines.api.config;

import jakarta.validation.constraints.Positive;

/**
 * The {@code engines.nexus} slot.
 *
 * @param maxAtomsPerDerivation the most atoms one derivation may produce
 * @param maxAtomTextChars the longest atom text stored
 * @param maxAtomizeBytes the largest artifact an atomizer reads
 */
public record NexusSettings(@Positive int maxAtomsPerDerivation, @Positive int maxAtomTextChars, @Positive long maxAtomizeBytes) {}
