package dev.engines.core.ids;

import dev.engines.core.scope.Scope;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The keys of content-addressed ids whose inputs must stay secret (atom ids: their inputs include
 * the text before PII redaction): one HMAC-SHA256 key per tenant and env, derived from a secret the
 * database never holds (the service passes {@code engines.pii.master-key}). The root key is
 * HMAC-SHA256 of the secret under the label {@code engines-ids/v1}; a tenant/env's key is
 * HMAC-SHA256 of {@code <tenant>/<env>} under the root key.
 *
 * <p>A keyed id still names the same content every time (same input and same secret ⇒ same id), but
 * reveals nothing about it: without the key nobody can test a guess of the content against the id,
 * and the same content has unrelated ids in other tenants and envs
 * (docs/adr/0008-keyed-atom-ids.md).
 */
public final class IdKeys {

  private static final byte[] LABEL = "engines-ids/v1".getBytes(StandardCharsets.UTF_8);

  private final byte[] root;
  private final ConcurrentMap<Scope, byte[]> keys = new ConcurrentHashMap<>();

  /** Keys derived from {@code secret}, which must hold at least 32 bytes. */
  public IdKeys(byte[] secret) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("The id key secret must hold at least 32 bytes.");
    }
    this.root = Ids.hmacSha256(secret, LABEL);
  }

  /** Keys derived from the UTF-8 bytes of {@code secret}. */
  public static IdKeys fromSecret(String secret) {
    return new IdKeys(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link Ids#keyed} under {@code scope}'s key. */
  public String id(Scope scope, String prefix, String... parts) {
    return Ids.keyed(prefix, key(scope), parts);
  }

  private byte[] key(Scope scope) {
    // Tenant ids cannot contain '/', so "<tenant>/<env>" names one scope only.
    return keys.computeIfAbsent(
        scope,
        s ->
            Ids.hmacSha256(
                root, (s.tenantId() + "/" + s.env().wire()).getBytes(StandardCharsets.UTF_8)));
  }
}
