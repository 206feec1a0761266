package dev.engines.pii;

import com.google.crypto.tink.DeterministicAead;
import dev.engines.core.scope.Scope;
import java.util.Objects;
import java.util.Optional;

/**
 * Key material for the keyed operators. Two kinds of token key exist (see
 * docs/adr/0005-per-subject-token-keys.md):
 *
 * <ul>
 *   <li>a <b>per-subject key</b> for values that identify a data subject (e-mail addresses, phone
 *       numbers): destroying it (crypto-shredding, on erasure) makes every token of that subject
 *       irreversible at once;
 *   <li>the <b>tenant/env key</b> {@link #tokenAead} for every other value (card numbers, IBANs,
 *       secrets, deny-list terms), which identify no subject the platform can name.
 * </ul>
 *
 * The service wires {@link dev.engines.pii.gdpr.SubjectKeys} (subject keys in the database); {@link
 * DerivedPiiKeys} alone keeps no subject keys and serves the CLI and tests. Implementations are
 * thread-safe and return the same key for the same scope or subject for as long as pseudonyms and
 * tokens must stay stable.
 */
public interface PiiKeys {

  /** The HMAC-SHA256 key for {@link Operator#HMAC}, at least 32 bytes; callers do not modify it. */
  byte[] hmacKey(Scope scope);

  /** The tenant/env AES-SIV primitive for tokens of values that identify no data subject. */
  DeterministicAead tokenAead(Scope scope);

  /**
   * The key of the data subject that {@code value} (detected as {@code type}) identifies, created
   * on first use; empty when values of that type identify no subject, or when this implementation
   * keeps no subject keys.
   */
  Optional<SubjectKey> subjectKey(Scope scope, String type, String value);

  /**
   * The subject key a token names, for re-identification in the scope's tenant.
   *
   * @throws dev.engines.core.error.EnginesException 410 {@code subject_erased} when the key was
   *     destroyed by an erasure; 400 {@code pii_token_invalid} when the tenant never had it
   */
  SubjectKey subjectKeyById(Scope scope, String keyId);

  /**
   * A per-subject token key: its public id (carried in tokens, {@code sk_<26 base32>}) and its
   * AES-SIV primitive.
   */
  record SubjectKey(String keyId, DeterministicAead aead) {

    public SubjectKey {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(aead, "aead");
    }
  }
}
