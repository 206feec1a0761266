package dev.engines.nexus;

import dev.engines.core.config.RequiredSettings;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.nexus} slot: the deployment's caps. Each tenant/env sets its own limits, at
 * most these, in its stored {@code nexus} slot ({@code PUT /v1/config/nexus}). Required.
 *
 * @param maxAtomsPerDerivation the cap of a tenant slot's {@code max_atoms_per_derivation}
 * @param maxAtomTextChars the cap of a tenant slot's {@code max_atom_text_chars}
 * @param maxAtomizeBytes the cap of a tenant slot's {@code max_atomize_bytes}
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.nexus")
public record NexusSettings(
    @Positive int maxAtomsPerDerivation,
    @Positive int maxAtomTextChars,
    @Positive long maxAtomizeBytes) {}
