package dev.engines.tenant;

/**
 * A key together with its secret token, returned exactly once: on create and on rotate.
 *
 * @param token the full bearer token {@code eng_<id>_<secret>}; show it once, store it nowhere
 */
public record IssuedKey(ApiKey key, String token) {

  @Override
  public String toString() {
    return "IssuedKey[key=" + key.keyId() + ", token=<redacted>]";
  }
}
