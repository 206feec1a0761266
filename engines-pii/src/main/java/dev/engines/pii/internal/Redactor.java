package dev.engines.pii.internal;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import dev.engines.pii.MaskSettings;
import dev.engines.pii.Operator;
import dev.engines.pii.PiiKeys;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.RedactionPolicy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Applies a {@link RedactionPolicy}'s operators to spans, and turns tokens back into values. */
public final class Redactor {

  private static final Pattern TOKEN = Pattern.compile("<([A-Z][A-Z0-9_]{0,63}):tok:([A-Za-z0-9_-]{22,8192})>");
  private static final int PSEUDONYM_BYTES = 8;

  private Redactor() {}

  /** The text with every span replaced as {@code policy} says; spans are sorted and disjoint. */
  public static String apply(String text, List<PiiSpan> spans, RedactionPolicy policy, PiiKeys keys, Scope scope) {
    StringBuilder out = new StringBuilder(text.length() + 16 * spans.size());
    Mac mac = null;
    int at = 0;
    for (PiiSpan span : spans) {
      out.append(text, at, span.start());
      String value = text.substring(span.start(), span.end());
      Operator operator = policy.operatorFor(span.type());
      switch (operator) {
        case REDACT -> { }
        case REPLACE -> out.append('<').append(span.type()).append('>');
        case MASK -> mask(out, value, policy.mask());
        case HMAC -> {
          if (mac == null) {
            mac = hmac(keys.hmacKey(scope));
          }
          byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
          out.append('<').append(span.type()).append(":hmac:")
              .append(HexFormat.of().formatHex(digest, 0, PSEUDONYM_BYTES)).append('>');
        }
        case TOKEN -> out.append('<').append(span.type()).append(":tok:").append(encrypt(value, span.type(), keys, scope)).append('>');
      }
      at = span.end();
    }
    out.append(text, at, text.length());
    return out.toString();
  }

  /** The original value of a token made by {@link Operator#TOKEN} for the same scope. */
  public static String reidentify(String token, PiiKeys keys, Scope scope) {
    Matcher m = TOKEN.matcher(token == null ? "" : token.trim());
    if (!m.matches()) {
      throw invalidToken();
    }
    try {
      byte[] ciphertext = Base64.getUrlDecoder().decode(m.group(2));
      byte[] plain = keys.tokenAead(scope).decryptDeterministically(ciphertext, associatedData(scope, m.group(1)));
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw invalidToken();
    }
  }

  private static EnginesException invalidToken() {
    return EnginesException.badRequest("pii_token_invalid", "The token is malformed or was not issued for this tenant and environment.");
  }

  private static String encrypt(String value, String type, PiiKeys keys, Scope scope) {
    try {
      byte[] ciphertext = keys.tokenAead(scope).encryptDeterministically(value.getBytes(StandardCharsets.UTF_8), associatedData(scope, type));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-SIV encryption failed.", e);
    }
  }

  private static byte[] associatedData(Scope scope, String type) {
    return (scope.tenantId() + "/" + scope.env().wire() + "/" + type).getBytes(StandardCharsets.UTF_8);
  }

  private static Mac hmac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available.", e);
    }
  }

  private static void mask(StringBuilder out, String value, MaskSettings mask) {
    int n = value.length();
    int count = Math.min(n, mask.charsToMask());
    int from = mask.fromEnd() ? n - count : 0;
    int to = from + count;
    for (int i = 0; i < n; i++) {
      out.append(i >= from && i < to ? mask.maskChar() : value.charAt(i));
    }
  }
}
