package dev.engines.core.scope;

import dev.engines.core.error.EnginesException;
import java.util.Locale;

/** A tenant environment. {@code stage} is accepted as an alias of {@code staging}. */
public enum Env {
  DEV("dev"),
  STAGING("staging"),
  PROD("prod");

  private final String wire;

  Env(String wire) {
    this.wire = wire;
  }

  /** The value used in headers, the database and object keys. */
  public String wire() {
    return wire;
  }

  /**
   * Parses a header value; fails with {@code env_invalid} on anything but dev, stage(ing) or prod.
   */
  public static Env parse(String value) {
    if (value != null) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "dev":
          return DEV;
        case "stage":
        case "staging":
          return STAGING;
        case "prod":
          return PROD;
        default:
          break;
      }
    }
    throw EnginesException.badRequest(
        "env_invalid", "X-Env must be one of dev, staging (or stage), prod.");
  }

  @Override
  public String toString() {
    return wire;
  }
}
