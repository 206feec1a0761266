package dev.engines.pii;

import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.daead.AesSivKey;
import com.google.crypto.tink.daead.AesSivParameters;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.util.SecretBytes;
import dev.engines.core.scope.Scope;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link PiiKeys} derived from one master secret with HKDF-SHA256 (RFC 5869), one HMAC key and one
 * AES-SIV key per scope ({@code info = "engines-pii/<purpose>/<tenant>/<env>"}). For tests and the
 * CLI only: production wires per-tenant keys kept in the database, so that a tenant's keys can be
 * rotated or destroyed (crypto-shredding) on their own.
 */
public final class InMemoryPiiKeys implements PiiKeys {

  private static final int AES_SIV_KEY_BYTES = 64;
  private static final int HMAC_KEY_BYTES = 32;
  private static final byte[] SALT = "engines-pii/v1".getBytes(StandardCharsets.UTF_8);

  static {
    try {
      DeterministicAeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink deterministic AEAD could not be registered.", e);
    }
  }

  private final byte[] pseudoRandomKey;
  private final ConcurrentMap<Scope, byte[]> hmacKeys = new ConcurrentHashMap<>();
  private final ConcurrentMap<Scope, DeterministicAead> aeads = new ConcurrentHashMap<>();

  /** Keys derived from {@code masterSecret}, which must hold at least 32 bytes. */
  public InMemoryPiiKeys(byte[] masterSecret) {
    if (masterSecret == null || masterSecret.length < 32) {
      throw new IllegalArgumentException("The PII master secret must hold at least 32 bytes.");
    }
    this.pseudoRandomKey = hmac(SALT, masterSecret);
  }

  /** Keys derived from the UTF-8 bytes of {@code masterSecret}. */
  public static InMemoryPiiKeys fromSecret(String masterSecret) {
    return new InMemoryPiiKeys(masterSecret == null ? null : masterSecret.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] hmacKey(Scope scope) {
    return hmacKeys.computeIfAbsent(scope, s -> expand("hmac", s, HMAC_KEY_BYTES));
  }

  @Override
  public DeterministicAead tokenAead(Scope scope) {
    return aeads.computeIfAbsent(scope, this::newAead);
  }

  private DeterministicAead newAead(Scope scope) {
    byte[] keyBytes = expand("aes-siv", scope, AES_SIV_KEY_BYTES);
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
          KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(key).withFixedId(1).makePrimary()).build();
      return handle.getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-SIV key could not be built.", e);
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
    }
  }

  /** HKDF-Expand for {@code purpose} and {@code scope}. */
  private byte[] expand(String purpose, Scope scope, int length) {
    byte[] info = ("engines-pii/" + purpose + "/" + scope.tenantId() + "/" + scope.env().wire()).getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    int filled = 0;
    for (int counter = 1; filled < length; counter++) {
      byte[] input = new byte[block.length + info.length + 1];
      System.arraycopy(block, 0, input, 0, block.length);
      System.arraycopy(info, 0, input, block.length, info.length);
      input[input.length - 1] = (byte) counter;
      block = hmac(pseudoRandomKey, input);
      int take = Math.min(block.length, length - filled);
      System.arraycopy(block, 0, out, filled, take);
      filled += take;
    }
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available.", e);
    }
  }
}
