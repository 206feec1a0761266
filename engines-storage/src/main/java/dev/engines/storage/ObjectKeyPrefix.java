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
   * Adapters call it for every listed name; a name that does not lie under the prefix or is not
   * exactly a key this scope's layout builds ({@code <scope>/raw/<asset_id>/<filename>}, with a
   * filename that passes the filename rules) gives empty. Listings, and so reconciliation, thus
   * only ever hand out keys that this tenant and env could have written, never a name some other
   * tool or another tenant's prefixed keys put below this prefix.
   */
  public Optional<ObjectKey> resolveListed(String name) {
    if (name == null || !name.startsWith(value)) {
      return Optional.empty();
    }
    return ObjectKey.parse(scope, name);
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
