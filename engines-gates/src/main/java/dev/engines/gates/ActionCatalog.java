package dev.engines.gates;

import java.util.SortedSet;

/**
 * The action names this deployment has: those of its routes, and actions engines gate outside a
 * route of their own. The kill switch accepts only these, so a misspelt name is refused instead of
 * silently disabling nothing. The application implements it from its route declarations.
 */
@FunctionalInterface
public interface ActionCatalog {

  /** Every action name, sorted. */
  SortedSet<String> names();
}
