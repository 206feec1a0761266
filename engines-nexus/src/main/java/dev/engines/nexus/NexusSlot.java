package dev.engines.nexus;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The nexus slot in force for one tenant/env.
 *
 * @param limits size limits
 * @param atomizers the op_types this tenant/env may run; empty means every atomizer the deployment
 *     offers
 */
public record NexusSlot(NexusLimits limits, Optional<Set<String>> atomizers) {

  public NexusSlot {
    Objects.requireNonNull(limits, "limits");
    atomizers = atomizers.map(Set::copyOf);
  }

  /** Whether {@code opType} may run here. */
  public boolean allows(String opType) {
    return atomizers.map(set -> set.contains(opType)).orElse(true);
  }
}
