package dev.engines.pii;

/** What a {@link RedactionPolicy} does with a detected span. */
public enum Operator {
  /** Removes the span. */
  REDACT,
  /** Replaces the span with {@code <TYPE>}. */
  REPLACE,
  /** Overwrites chars of the span as {@link MaskSettings} say. */
  MASK,
  /**
   * Replaces the span with a keyed pseudonym {@code <TYPE:hmac:16 hex>}: the first 8 bytes of
   * HMAC-SHA256 over the value's UTF-8 bytes with the tenant's {@link PiiKeys#hmacKey} key. Stable:
   * the same value and key always give the same pseudonym, so records can still be joined; it
   * cannot be reversed.
   */
  HMAC,
  /**
   * Replaces the span with a deterministic, reversible token (AES-SIV, Tink {@code AES256_SIV}). A
   * value that identifies a data subject (e-mail address, phone number) is encrypted with that
   * subject's own key ({@link PiiKeys#subjectKey}) and reads {@code <TYPE:tok:sk_…:base64url>};
   * erasing the subject destroys the key and with it every such token. Other values use the
   * tenant/env key ({@link PiiKeys#tokenAead}) and read {@code <TYPE:tok:base64url>}. The
   * associated data binds tenant, env, type (and key id). {@link PiiEngine#reidentify} turns a
   * token back in the same tenant and env only.
   */
  TOKEN
}
