package dev.engines.gates;

import java.util.Locale;

/**
 * The rate-limit class of a route: each has a bucket of its own per env, so a flood of cheap reads
 * does not starve writes, and heavy work (uploads, derivations, searches, embeddings) is bounded
 * apart from both.
 */
public enum RouteClass {
  READ,
  WRITE,
  HEAVY;

  /** The name in the {@code gates} slot and in the headers, e.g. {@code heavy}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
