package dev.engines.nexus;

/**
 * Size limits the Nexus services enforce, from the {@code engines.storage} and {@code engines.nexus}
 * configuration slots.
 *
 * @param maxObjectBytes the largest raw object accepted by upload or presign
 * @param maxAtomizeBytes the largest asset an atomizer reads
 * @param maxAtomsPerDerivation the most atoms one derivation may produce
 * @param maxAtomTextChars the longest atom text stored
 */
public record NexusLimits(long maxObjectBytes, long maxAtomizeBytes, int maxAtomsPerDerivation, int maxAtomTextChars) {

  /** Requires every limit to be positive. */
  public NexusLimits {
    if (maxObjectBytes < 1 || maxAtomizeBytes < 1 || maxAtomsPerDerivation < 1 || maxAtomTextChars < 1) {
      throw new IllegalArgumentException("Nexus limits must be positive");
    }
  }
}
