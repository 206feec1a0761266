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
   * the same value and key always give the same pseudonym, so records can still be joined; it cannot
   * be reversed.
   */
  HMAC,
  /**
   * Replaces the span with a deterministic, reversible token {@code <TYPE:tok:base64url>}: AES-SIV
   * (Tink {@code AES256_SIV}) over the value with the tenant's {@link PiiKeys#tokenAead} key and
   * associated data {@code tenant/env/TYPE}. {@link PiiEngine#reidentify} turns it back, with the
   * same tenant's key only.
   */
  TOKEN
}
