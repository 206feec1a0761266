package dev.engines.core.readiness;

import java.util.List;

/**
 * Contributed by a module (a bean of its auto-configuration) to say what in its configuration must
 * not run in production. {@code ProductionReadinessGate} (engines-core) collects every check at
 * startup; under a production deployment any finding not explicitly accepted aborts startup.
 */
@FunctionalInterface
public interface ProductionReadinessCheck {

  /** The findings for the current configuration; empty when production-ready. */
  List<ReadinessFinding> findings();
}
