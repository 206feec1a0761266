package dev.engines.pii.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.daead.AesSivKey;
import com.google.crypto.tink.daead.AesSivParameters;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.subtle.Hkdf;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The primitives the PII keys are built from, all through Tink: HKDF-SHA256 (RFC 5869), AES-SIV,
 * and AES-256-GCM for keys that are derived rather than kept in a keyset. Stateless and
 * thread-safe.
 */
public final class Crypto {

  /** Bytes of an AES-SIV key (Tink {@code AES256_SIV}: two 256-bit halves). */
  public static final int AES_SIV_KEY_BYTES = 64;

  /** Bytes of a key-encryption key (AES-256). */
  public static final int KEK_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    try {
      DeterministicAeadConfig.register();
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink AEAD primitives could not be registered.", e);
    }
  }

  private Crypto() {}

  /** Makes sure Tink's AEAD key managers are registered before a keyset is parsed. */
  public static void register() {
    // The static initialiser does the work; calling this loads the class.
  }

  /**
   * HKDF-SHA256 (RFC 5869, extract then expand) of {@code length} bytes from input key material, a
   * salt and an info label.
   */
  public static byte[] hkdf(byte[] inputKeyMaterial, byte[] salt, String info, int length) {
    try {
      return Hkdf.computeHkdf(
          "HMACSHA256", inputKeyMaterial, salt, info.getBytes(StandardCharsets.UTF_8), length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF failed.", e);
    }
  }

  /** {@code length} bytes from the platform's {@link SecureRandom}. */
  public static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /**
   * The AES-SIV primitive of a raw 64-byte key; the caller may wipe {@code keyBytes} afterwards.
   */
  public static DeterministicAead aesSiv(byte[] keyBytes) {
    try {
      AesSivParameters parameters =
          AesSivParameters.builder()
              .setKeySizeBytes(AES_SIV_KEY_BYTES)
              .setVariant(AesSivParameters.Variant.NO_PREFIX)
              .build();
      AesSivKey key =
          AesSivKey.builder()
              .setParameters(parameters)
              .setKeyBytes(SecretBytes.copyFrom(keyBytes, InsecureSecretKeyAccess.get()))
              .build();
      return primitive(key, DeterministicAead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-SIV key could not be built.", e);
    }
  }

  /**
   * The AES-256-GCM primitive of a raw 32-byte key with a random 12-byte nonce and no prefix, so
   * its ciphertexts are {@code nonce || ciphertext || tag}; the caller may wipe {@code keyBytes}
   * afterwards.
   */
  public static Aead aesGcm(byte[] keyBytes) {
    try {
      AesGcmParameters parameters =
          AesGcmParameters.builder()
              .setKeySizeBytes(KEK_BYTES)
              .setIvSizeBytes(12)
              .setTagSizeBytes(16)
              .setVariant(AesGcmParameters.Variant.NO_PREFIX)
              .build();
      AesGcmKey key =
          AesGcmKey.builder()
              .setParameters(parameters)
              .setKeyBytes(SecretBytes.copyFrom(keyBytes, InsecureSecretKeyAccess.get()))
              .build();
      return primitive(key, Aead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM key could not be built.", e);
    }
  }

  /** The primitive of a keyset holding {@code key} alone, as its primary. */
  private static <P> P primitive(Key key, Class<P> type) throws GeneralSecurityException {
    return KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(key).withFixedId(1).makePrimary())
        .build()
        .getPrimitive(RegistryConfiguration.get(), type);
  }
}
