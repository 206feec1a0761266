package dev.engines.core.ids;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Identifier factory. Random ids are {@code <prefix>_<26 base32 chars>} (130 bits); content
 * addressed ids are {@code <prefix>_<hex sha256 prefix>} so the same input always yields the same
 * id, and keyed ones {@code <prefix>_<hex HMAC-SHA256 prefix>} for ids whose inputs must stay
 * secret.
 */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private Ids() {}

  /** A new random id with the given prefix, e.g. {@code random("u")} → {@code u_k3…}. */
  public static String random(String prefix) {
    return prefix + "_" + randomToken(26);
  }

  /** {@code length} random base32 characters (5 bits each). */
  public static String randomToken(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = BASE32[bytes[i] & 31];
    }
    return new String(out);
  }

  /** {@code bytes} random bytes in lower-case hex, e.g. a W3C trace id (16) or span id (8). */
  public static String randomHex(int bytes) {
    byte[] buffer = new byte[bytes];
    RANDOM.nextBytes(buffer);
    return HexFormat.of().formatHex(buffer);
  }

  /**
   * A deterministic id: prefix + first 32 hex chars (128 bits) of sha256 over the parts joined by
   * NUL.
   */
  public static String contentAddressed(String prefix, String... parts) {
    MessageDigest digest = sha256();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        digest.update((byte) 0);
      }
      digest.update(parts[i].getBytes(StandardCharsets.UTF_8));
    }
    return prefix + "_" + HexFormat.of().formatHex(digest.digest(), 0, 16);
  }

  /**
   * A deterministic, keyed id: prefix + first 32 hex chars (128 bits) of HMAC-SHA256 under {@code
   * key} over the parts joined by NUL. Unlike {@link #contentAddressed}, it cannot be recomputed,
   * or a guess of its inputs tested against it, without the key (see {@link IdKeys}).
   */
  public static String keyed(String prefix, byte[] key, String... parts) {
    Mac mac = hmacSha256(key);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        mac.update((byte) 0);
      }
      mac.update(parts[i].getBytes(StandardCharsets.UTF_8));
    }
    return prefix + "_" + HexFormat.of().formatHex(mac.doFinal(), 0, 16);
  }

  /** Hex sha256 of a UTF-8 string. */
  public static String sha256Hex(String value) {
    return HexFormat.of().formatHex(sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** HMAC-SHA256 of {@code data} under {@code key}. */
  public static byte[] hmacSha256(byte[] key, byte[] data) {
    return hmacSha256(key).doFinal(data);
  }

  /** A fresh HMAC-SHA256 keyed with {@code key}, for several messages under one key. */
  public static Mac hmacSha256(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
