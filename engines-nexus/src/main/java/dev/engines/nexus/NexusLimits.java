package dev.engines.nexus;

/**
 * Size limits of the Nexus services in one tenant/env, from its {@code nexus} config slot (each at
 * most the deployment's {@code engines.nexus} cap).
 *
 * @param maxAtomizeBytes the largest asset an atomizer reads
 * @param maxAtomsPerDerivation the most atoms one derivation may produce
 * @param maxAtomTextChars the longest atom text stored
 */
public record NexusLimits(long maxAtomizeBytes, int maxAtomsPerDerivation, int maxAtomTextChars) {

  /** Requires every limit to be positive. */
  public NexusLimits {
    if (maxAtomizeBytes < 1 || maxAtomsPerDerivation < 1 || maxAtomTextChars < 1) {
      throw new IllegalArgumentException("Nexus limits must be positive");
    }
  }
}
