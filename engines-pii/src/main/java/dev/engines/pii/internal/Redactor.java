package dev.engines.pii.internal;

import com.google.crypto.tink.DeterministicAead;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import dev.engines.pii.MaskSettings;
import dev.engines.pii.Operator;
import dev.engines.pii.PiiKeys;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTokenProblems;
import dev.engines.pii.RedactionPolicy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;

/**
 * Applies a {@link RedactionPolicy}'s operators to spans, and turns tokens back into values.
 *
 * <p>Token format ({@link Operator#TOKEN}):
 *
 * <ul>
 *   <li>{@code <TYPE:tok:sk_<26 base32>:<base64url>>} for a value that identifies a data subject:
 *       the key id names the subject's own key ({@link PiiKeys#subjectKeyById}); the associated
 *       data is {@code tenant/env/TYPE/keyId};
 *   <li>{@code <TYPE:tok:<base64url>>} for every other value: the tenant/env key; associated data
 *       {@code tenant/env/TYPE} (the format tokens had before subject keys existed, so they still
 *       re-identify).
 * </ul>
 *
 * The key id is random, not the subject's pseudonym, so a token links to nothing outside the
 * tenant's key table. {@code :} cannot occur in base64url, so the two forms never overlap.
 */
public final class Redactor {

  private static final Pattern TOKEN =
      Pattern.compile(
          "<([A-Z][A-Z0-9_]{0,63}):tok:(?:(sk_[a-z2-7]{26}):)?([A-Za-z0-9_-]{22,8192})>");
  private static final int PSEUDONYM_BYTES = 8;

  private Redactor() {}

  /** The text with every span replaced as {@code policy} says; spans are sorted and disjoint. */
  public static String apply(
      String text, List<PiiSpan> spans, RedactionPolicy policy, PiiKeys keys, Scope scope) {
    StringBuilder out = new StringBuilder(text.length() + 16 * spans.size());
    Mac mac = null;
    // One key lookup per distinct value and call: the keys are not cached across calls, so an
    // erasure on any replica applies to the very next redaction.
    Map<String, Optional<PiiKeys.SubjectKey>> subjectKeys = new HashMap<>();
    int at = 0;
    for (PiiSpan span : spans) {
      out.append(text, at, span.start());
      String value = text.substring(span.start(), span.end());
      Operator operator = policy.operatorFor(span.type());
      switch (operator) {
        case REDACT -> {}
        case REPLACE -> out.append('<').append(span.type()).append('>');
        case MASK -> mask(out, value, policy.mask());
        case HMAC -> {
          if (mac == null) {
            mac = Ids.hmacSha256(keys.hmacKey(scope));
          }
          byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
          out.append('<')
              .append(span.type())
              .append(":hmac:")
              .append(HexFormat.of().formatHex(digest, 0, PSEUDONYM_BYTES))
              .append('>');
        }
        case TOKEN -> {
          Optional<PiiKeys.SubjectKey> subject =
              subjectKeys.computeIfAbsent(
                  span.type() + '\u0000' + value, k -> keys.subjectKey(scope, span.type(), value));
          out.append('<').append(span.type()).append(":tok:");
          if (subject.isPresent()) {
            String keyId = subject.get().keyId();
            out.append(keyId)
                .append(':')
                .append(
                    encrypt(
                        subject.get().aead(), value, associatedData(scope, span.type(), keyId)));
          } else {
            out.append(
                encrypt(keys.tokenAead(scope), value, associatedData(scope, span.type(), null)));
          }
          out.append('>');
        }
      }
      at = span.end();
    }
    out.append(text, at, text.length());
    return out.toString();
  }

  /**
   * The original value of a token made by {@link Operator#TOKEN} for the same scope.
   *
   * @throws dev.engines.core.error.EnginesException 400 {@code pii_token_invalid} when malformed,
   *     altered or foreign; 410 {@code subject_erased} when its subject key was destroyed
   */
  public static String reidentify(String token, PiiKeys keys, Scope scope) {
    Matcher m = TOKEN.matcher(token == null ? "" : token.trim());
    if (!m.matches()) {
      throw PiiTokenProblems.invalid();
    }
    String type = m.group(1);
    String keyId = m.group(2);
    byte[] ciphertext;
    try {
      ciphertext = Base64.getUrlDecoder().decode(m.group(3));
    } catch (IllegalArgumentException e) {
      throw PiiTokenProblems.invalid();
    }
    DeterministicAead aead =
        keyId == null ? keys.tokenAead(scope) : keys.subjectKeyById(scope, keyId).aead();
    try {
      byte[] plain = aead.decryptDeterministically(ciphertext, associatedData(scope, type, keyId));
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw PiiTokenProblems.invalid();
    }
  }

  private static String encrypt(DeterministicAead aead, String value, byte[] associatedData) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              aead.encryptDeterministically(
                  value.getBytes(StandardCharsets.UTF_8), associatedData));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-SIV encryption failed.", e);
    }
  }

  private static byte[] associatedData(Scope scope, String type, String keyId) {
    String ad =
        scope.tenantId()
            + "/"
            + scope.env().wire()
            + "/"
            + type
            + (keyId == null ? "" : "/" + keyId);
    return ad.getBytes(StandardCharsets.UTF_8);
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
