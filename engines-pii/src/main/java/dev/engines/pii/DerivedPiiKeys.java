package dev.engines.pii;

import com.google.crypto.tink.DeterministicAead;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.pii.internal.Crypto;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The keys that are <em>derived</em> from one master secret, the <b>pseudonym root</b>, with
 * HKDF-SHA256 (RFC 5869): per tenant and env one HMAC key and one AES-SIV key ({@code info =
 * "engines-pii/<purpose>/<tenant>/<env>"}), and per tenant the seed key-encryption key {@value
 * KekRing#MASTER_KEK_ID} ({@code "engines-pii/kek/<tenant>"}). Nothing is stored, so these keys
 * cannot be destroyed one by one. The root is never rotated: pseudonyms and tokens derived from it
 * must stay joinable; what rotates is the {@link KekRing} that seals stored keys
 * (docs/adr/0017-kek-ring-rotation.md).
 *
 * <p>Used on its own, it keeps <b>no per-subject keys</b>: every token is made with the tenant/env
 * key, which no erasure can shred. That is what the database-free uses need and all they get: the
 * CLI ({@code bin/engines pii analyze}), benchmarks and unit tests. The running service wraps it in
 * {@link dev.engines.pii.gdpr.SubjectKeys}, which takes the tenant/env keys and the key-encryption
 * key from here and keeps one random, shreddable key per data subject in the database.
 */
public final class DerivedPiiKeys implements PiiKeys {

  private static final int HMAC_KEY_BYTES = 32;
  private static final byte[] SALT = "engines-pii/v1".getBytes(StandardCharsets.UTF_8);

  private final byte[] masterSecret;
  private final ConcurrentMap<Scope, byte[]> hmacKeys = new ConcurrentHashMap<>();
  private final ConcurrentMap<Scope, DeterministicAead> aeads = new ConcurrentHashMap<>();

  /** Keys derived from {@code masterSecret}, which must hold at least 32 bytes. */
  public DerivedPiiKeys(byte[] masterSecret) {
    if (masterSecret == null || masterSecret.length < 32) {
      throw new IllegalArgumentException("The PII master secret must hold at least 32 bytes.");
    }
    this.masterSecret = masterSecret.clone();
  }

  /** Keys derived from the UTF-8 bytes of {@code masterSecret}. */
  public static DerivedPiiKeys fromSecret(String masterSecret) {
    return new DerivedPiiKeys(
        masterSecret == null ? null : masterSecret.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] hmacKey(Scope scope) {
    return hmacKeys.computeIfAbsent(
        scope, s -> Crypto.hkdf(masterSecret, SALT, info("hmac", s), HMAC_KEY_BYTES));
  }

  @Override
  public DeterministicAead tokenAead(Scope scope) {
    return aeads.computeIfAbsent(
        scope,
        s -> {
          byte[] keyBytes =
              Crypto.hkdf(masterSecret, SALT, info("aes-siv", s), Crypto.AES_SIV_KEY_BYTES);
          try {
            return Crypto.aesSiv(keyBytes);
          } finally {
            Arrays.fill(keyBytes, (byte) 0);
          }
        });
  }

  /**
   * Always empty: derived keys cannot be shredded per subject, so every value uses {@link
   * #tokenAead}.
   */
  @Override
  public Optional<SubjectKey> subjectKey(Scope scope, String type, String value) {
    return Optional.empty();
  }

  /** Always 400 {@code pii_token_invalid}: no subject keys exist here. */
  @Override
  public SubjectKey subjectKeyById(Scope scope, String keyId) {
    throw PiiTokenProblems.invalid();
  }

  /**
   * The tenant's key-encryption key (AES-256) of the KEK ring's seed entry {@value
   * KekRing#MASTER_KEK_ID}: the key that sealed every per-subject key before keysets existed (see
   * {@link KekRing}). A fresh array on every call; the caller wipes it.
   */
  public byte[] keyEncryptionKey(TenantId tenant) {
    return Crypto.hkdf(masterSecret, SALT, "engines-pii/kek/" + tenant.value(), Crypto.KEK_BYTES);
  }

  private static String info(String purpose, Scope scope) {
    return "engines-pii/" + purpose + "/" + scope.tenantId() + "/" + scope.env().wire();
  }
}
