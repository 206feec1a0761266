package dev.engines.config;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the deployment allows in a slot's settings, by name: integer bounds ({@link SlotInteger}),
 * sets of allowed values ({@link SlotSubset}, {@link SlotChoice}, {@link SlotKeyedIntegers}) and
 * texts a module's own constraint needs (a storage prefix). Fixed when the deployment starts;
 * handed to each validation as Hibernate Validator's constraint validator payload.
 */
public record SlotBounds(
    Map<String, Long> bounds, Map<String, SortedSet<String>> choices, Map<String, String> texts) {

  public SlotBounds {
    bounds = Map.copyOf(bounds);
    choices = Map.copyOf(choices);
    texts = Map.copyOf(texts);
  }

  /** Bounds and choices. */
  public SlotBounds(Map<String, Long> bounds, Map<String, SortedSet<String>> choices) {
    this(bounds, choices, Map.of());
  }

  /** Bounds only. */
  public SlotBounds(Map<String, Long> bounds) {
    this(bounds, Map.of(), Map.of());
  }

  /** The bound named {@code name}; a name a record declares but the slot never set is a bug. */
  public long bound(String name) {
    Long bound = bounds.get(name);
    if (bound == null) {
      throw new IllegalStateException("no deployment bound named " + name);
    }
    return bound;
  }

  /** The allowed values named {@code name}, sorted; a name never set is a bug. */
  public SortedSet<String> choices(String name) {
    SortedSet<String> allowed = choices.get(name);
    if (allowed == null) {
      throw new IllegalStateException("no deployment choices named " + name);
    }
    return new TreeSet<>(allowed);
  }

  /** The text named {@code name}; a name never set is a bug. */
  public String text(String name) {
    String text = texts.get(name);
    if (text == null) {
      throw new IllegalStateException("no deployment text named " + name);
    }
    return text;
  }
}
