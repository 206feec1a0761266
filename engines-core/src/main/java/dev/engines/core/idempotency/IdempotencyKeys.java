package dev.engines.core.idempotency;

import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an {@code Idempotency-Key} turns into: the row's key in the database and the key its stored
 * response is encrypted under, both derived with HMAC-SHA256 from a secret the database never holds
 * (the service passes {@code engines.pii.master-key}) over the tenant, env, principal and the key.
 *
 * <p>Neither the key nor the response is stored in the clear: a stored response may hold what a
 * creating route returns once (an API key's token) or personal data (a member's e-mail address),
 * and only a retry that presents the same key, as the same principal, in the same tenant and env,
 * can decrypt it (docs/adr/0011-idempotency-keys.md).
 */
public final class IdempotencyKeys {

  /** Problem code of a malformed {@code Idempotency-Key} header. */
  public static final String INVALID = "idempotency_key_invalid";

  /** The longest key, in characters. */
  public static final int MAX_LENGTH = 255;

  private static final byte[] LABEL = "engines-idempotency/v1".getBytes(StandardCharsets.UTF_8);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] root;

  /** Keys derived from {@code secret}, which must hold at least 32 bytes. */
  public IdempotencyKeys(byte[] secret) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("The idempotency key secret must hold at least 32 bytes.");
    }
    this.root = Ids.hmacSha256(secret, LABEL);
  }

  /** Keys derived from the UTF-8 bytes of {@code secret}. */
  public static IdempotencyKeys fromSecret(String secret) {
    return new IdempotencyKeys(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key an {@code Idempotency-Key} header value names. The draft standard sends it as a
   * structured-field string ({@code "8e03…"}); a bare value is taken as it is. Either way the key
   * is 1 to {@value #MAX_LENGTH} printable ASCII characters (space included).
   *
   * @throws EnginesException 400 {@value #INVALID} otherwise
   */
  public static String parse(String header) {
    if (header == null) {
      throw invalid();
    }
    String key = header;
    if (header.startsWith("\"")) {
      // A structured-field string (RFC 8941 §3.3.3) from its opening quote to its closing one, the
      // last character; a backslash escapes only a quote or a backslash.
      StringBuilder unquoted = new StringBuilder();
      int i = 1;
      for (; i < header.length(); i++) {
        char c = header.charAt(i);
        if (c == '\\') {
          char next = ++i < header.length() ? header.charAt(i) : 0;
          if (next != '"' && next != '\\') {
            throw invalid();
          }
          unquoted.append(next);
        } else if (c == '"') {
          break;
        } else {
          unquoted.append(c);
        }
      }
      if (i != header.length() - 1) {
        throw invalid();
      }
      key = unquoted.toString();
    }
    if (key.isEmpty()
        || key.length() > MAX_LENGTH
        || key.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      throw invalid();
    }
    return key;
  }

  private static EnginesException invalid() {
    return EnginesException.badRequest(
        INVALID,
        "Idempotency-Key must be one key of 1 to "
            + MAX_LENGTH
            + " printable ASCII characters, sent bare or as a quoted string (\"…\").");
  }

  /**
   * The derived material of {@code key} sent by {@code principal} in {@code scope}.
   *
   * @param hash the row's key: 64 hex characters
   */
  public record Material(String hash, byte[] sealing) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Material m && m.hash.equals(hash);
    }

    @Override
    public int hashCode() {
      return hash.hashCode();
    }

    @Override
    public String toString() {
      return "Material[" + hash + "]";
    }
  }

  /**
   * The material of {@code key} (as {@link #parse} answers it) sent by {@code principal} in {@code
   * scope}.
   */
  public Material material(Scope scope, String principal, String key) {
    byte[] hash = derive("hash", scope, principal, key);
    return new Material(HexFormat.of().formatHex(hash), derive("seal", scope, principal, key));
  }

  /** {@code plain} encrypted (AES-256-GCM, a fresh nonce) under the material, bound to its hash. */
  public byte[] seal(Material material, byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, material, nonce);
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required by the Java platform", e);
    }
  }

  /**
   * What {@link #seal} sealed under the same material.
   *
   * @throws IllegalStateException when the bytes were not sealed under it (or were altered)
   */
  public byte[] open(Material material, byte[] sealed) {
    if (sealed.length < NONCE_BYTES) {
      throw new IllegalStateException("A stored idempotent response is truncated.");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, material, Arrays.copyOf(sealed, NONCE_BYTES));
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "A stored idempotent response does not open under its key.", e);
    }
  }

  private static Cipher cipher(int mode, Material material, byte[] nonce)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        mode, new SecretKeySpec(material.sealing(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    // The row's key as associated data: a response moved to another row does not open.
    cipher.updateAAD(material.hash().getBytes(StandardCharsets.US_ASCII));
    return cipher;
  }

  private byte[] derive(String purpose, Scope scope, String principal, String key) {
    Mac mac = Ids.hmacSha256(root);
    for (String part : new String[] {purpose, scope.tenantId(), scope.env().wire(), principal}) {
      mac.update(part.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
    }
    return mac.doFinal(key.getBytes(StandardCharsets.US_ASCII));
  }
}
