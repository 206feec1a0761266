package dev.engines.storage;

import dev.engines.core.scope.Scope;
import java.util.Optional;

/**
 * A listing prefix that, like {@link ObjectKey}, can only be made from a typed {@link Scope}
 * ({@link ObjectKey#scopePrefix}, {@link ObjectKey#rawAssetPrefix}). Its value always ends in
 * {@code /}, so {@code tenants/t_a/dev/} never matches {@code tenants/t_ab/dev/…}.
 */
public final class ObjectKeyPrefix {

  private final Scope scope;
  private final String value;

  ObjectKeyPrefix(Scope scope, String value) {
    this.scope = scope;
    this.value = value;
  }

  /** The tenant and environment every key under this prefix belongs to. */
  public Scope scope() {
    return scope;
  }

  /** The prefix as a string ending in {@code /}, without any bucket prefix. */
  public String value() {
    return value;
  }

  /** Whether {@code key} lies under this prefix. */
  public boolean contains(ObjectKey key) {
    return key.value().startsWith(value);
  }

  /**
   * Turns a key name that a backend listed under this prefix back into an {@link ObjectKey}.
   * Adapters call it for every listed name; a name that does not lie under the prefix or has any
   * segment below the scope that a filename could not have (written by some other tool, say) gives
   * empty, so listings only ever hand out keys that are as safe as built ones.
   */
  public Optional<ObjectKey> resolveListed(String name) {
    if (name == null || !name.startsWith(value) || name.length() == value.length()) {
      return Optional.empty();
    }
    String below = name.substring(scopeLength());
    for (String segment : below.split("/", -1)) {
      if (!segment.equals(KeySegments.canonical(segment)) || KeySegments.violation(segment).isPresent()) {
        return Optional.empty();
      }
    }
    return Optional.of(ObjectKey.listed(this, name));
  }

  private int scopeLength() {
    return ObjectKey.scopePrefix(scope).value().length();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectKeyPrefix other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
