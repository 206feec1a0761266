package dev.engines.pii.internal;

import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.daead.AesSivKey;
import com.google.crypto.tink.daead.AesSivParameters;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.util.SecretBytes;
import dev.engines.core.ids.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The primitives the PII keys are built from: HKDF-SHA256 (RFC 5869), AES-SIV through Tink, and
 * AES-256-GCM key wrapping. Stateless and thread-safe.
 */
public final class Crypto {

  /** Bytes of an AES-SIV key (Tink {@code AES256_SIV}: two 256-bit halves). */
  public static final int AES_SIV_KEY_BYTES = 64;

  /** Bytes of a key-encryption key (AES-256). */
  public static final int KEK_BYTES = 32;

  private static final int GCM_NONCE_BYTES = 12;
  private static final int GCM_TAG_BITS = 128;

  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    try {
      DeterministicAeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink deterministic AEAD could not be registered.", e);
    }
  }

  private Crypto() {}

  /**
   * HKDF-Expand (RFC 5869 §2.3) of {@code length} bytes from a pseudo-random key and an info label.
   */
  public static byte[] hkdfExpand(byte[] pseudoRandomKey, String info, int length) {
    byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    int filled = 0;
    for (int counter = 1; filled < length; counter++) {
      byte[] input = new byte[block.length + infoBytes.length + 1];
      System.arraycopy(block, 0, input, 0, block.length);
      System.arraycopy(infoBytes, 0, input, block.length, infoBytes.length);
      input[input.length - 1] = (byte) counter;
      block = Ids.hmacSha256(pseudoRandomKey, input);
      int take = Math.min(block.length, length - filled);
      System.arraycopy(block, 0, out, filled, take);
      filled += take;
    }
    return out;
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
      KeysetHandle handle =
          KeysetHandle.newBuilder()
              .addEntry(KeysetHandle.importKey(key).withFixedId(1).makePrimary())
              .build();
      return handle.getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-SIV key could not be built.", e);
    }
  }

  /**
   * Encrypts a key under a key-encryption key with AES-256-GCM and a random nonce: {@code nonce ||
   * ciphertext || tag}. {@code associatedData} binds the wrapped key to where it is stored, so a
   * copy moved to another row does not unwrap.
   */
  public static byte[] wrap(byte[] kek, byte[] key, byte[] associatedData) {
    try {
      byte[] nonce = randomBytes(GCM_NONCE_BYTES);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(kek, "AES"),
          new GCMParameterSpec(GCM_TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(key);
      return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Key wrapping failed.", e);
    }
  }

  /**
   * The key {@link #wrap} sealed; throws {@link GeneralSecurityException} when it was altered,
   * moved or sealed under another KEK.
   */
  public static byte[] unwrap(byte[] kek, byte[] wrapped, byte[] associatedData)
      throws GeneralSecurityException {
    if (wrapped.length <= GCM_NONCE_BYTES) {
      throw new GeneralSecurityException("wrapped key too short");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(kek, "AES"),
        new GCMParameterSpec(GCM_TAG_BITS, wrapped, 0, GCM_NONCE_BYTES));
    cipher.updateAAD(associatedData);
    return cipher.doFinal(wrapped, GCM_NONCE_BYTES, wrapped.length - GCM_NONCE_BYTES);
  }
}
