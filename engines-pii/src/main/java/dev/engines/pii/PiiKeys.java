package dev.engines.pii;

import com.google.crypto.tink.DeterministicAead;
import dev.engines.core.scope.Scope;

/**
 * Key material per tenant and environment for the keyed operators. Production wires an
 * implementation backed by per-tenant keys kept in the database; {@link InMemoryPiiKeys} derives
 * keys from one master secret for tests and the CLI. Implementations must be thread-safe and return
 * the same keys for the same scope for as long as pseudonyms and tokens must stay stable.
 */
public interface PiiKeys {

  /** The HMAC-SHA256 key for {@link Operator#HMAC}, at least 32 bytes; callers do not modify it. */
  byte[] hmacKey(Scope scope);

  /** The AES-SIV primitive for {@link Operator#TOKEN} and {@link PiiEngine#reidentify}. */
  DeterministicAead tokenAead(Scope scope);
}
