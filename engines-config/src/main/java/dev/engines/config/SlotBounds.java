package dev.engines.config;

import java.util.Map;

/**
 * The deployment's bounds of a slot's settings, by name ({@link SlotInteger#bound()}): the values
 * a tenant's slot may go up to. Fixed when the deployment starts.
 */
public record SlotBounds(Map<String, Long> bounds) {

  public SlotBounds {
    bounds = Map.copyOf(bounds);
  }

  /** The bound named {@code name}; a name the record declares but the slot never set is a bug. */
  public long get(String name) {
    Long bound = bounds.get(name);
    if (bound == null) {
      throw new IllegalStateException("no deployment bound named " + name);
    }
    return bound;
  }
}
