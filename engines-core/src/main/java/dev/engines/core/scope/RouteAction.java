package dev.engines.core.scope;

import java.util.Objects;

/**
 * What a route is, as the engines below the web layer need to know it: its surface, its action and
 * whether it reads or writes. The web layer derives it from the route's declaration; the ledger
 * records it in the request's DatasetEvent without knowing any web type.
 *
 * @param surface the engine surface, e.g. {@code tenant}, {@code nexus}
 * @param action the action within the surface, e.g. {@code user.create}
 * @param kind whether the route reads or writes
 */
public record RouteAction(String surface, String action, Kind kind) {

  public RouteAction {
    Objects.requireNonNull(surface, "surface");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(kind, "kind");
  }

  /** Whether a route reads or writes. */
  public enum Kind {
    READ,
    WRITE
  }
}
