package dev.engines.pii.gdpr;

import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.TenantId;
import dev.engines.pii.PiiTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pseudonyms of data subjects: {@code ds_} + 128 bits of HMAC-SHA256 over {@code kind:value} under
 * a per-tenant key (itself an HMAC of the tenant id under a secret the database never holds). The
 * same identifier always maps to the same pseudonym within a tenant and to unrelated ones across
 * tenants; the identifier cannot be recovered from it.
 */
public final class DataSubjects {

  private final byte[] secret;

  /** Per-tenant keys, derived once: redaction asks for a pseudonym per e-mail and phone value. */
  private final Map<TenantId, byte[]> tenantKeys = new ConcurrentHashMap<>();

  /**
   * @param secret at least 32 bytes, kept outside the database
   */
  public DataSubjects(byte[] secret) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("The data subject secret must hold at least 32 bytes.");
    }
    this.secret = secret.clone();
  }

  /**
   * The pseudonyms of the service: their secret is an HMAC of the PII master key (the pseudonym
   * root, which key rotation never changes).
   */
  public static DataSubjects fromMasterKey(String masterKey) {
    return new DataSubjects(
        Ids.hmacSha256(
            masterKey.getBytes(StandardCharsets.UTF_8),
            "engines-gdpr-subjects/v1".getBytes(StandardCharsets.UTF_8)));
  }

  /** The pseudonym of one identifier, e.g. {@code ("email", "ana@example.com")}. */
  public String pseudonym(TenantId tenant, String kind, String normalisedValue) {
    byte[] tenantKey =
        tenantKeys.computeIfAbsent(
            tenant, t -> hmac(secret, "engines-gdpr-subject/v1/" + t.value()));
    return "ds_" + HexFormat.of().formatHex(hmac(tenantKey, kind + ":" + normalisedValue), 0, 16);
  }

  /** The pseudonyms of every identifier, in the identifiers' order (email before phone). */
  public List<String> pseudonyms(TenantId tenant, SubjectIdentifiers subject) {
    List<String> out = new ArrayList<>();
    subject.values().forEach((kind, value) -> out.add(pseudonym(tenant, kind, value)));
    return out;
  }

  /**
   * The pseudonym of the data subject that a detected value identifies: an {@link
   * PiiTypes#EMAIL_ADDRESS} is the {@code email} identifier and a {@link PiiTypes#PHONE_NUMBER} the
   * {@code phone} identifier, normalised exactly as a GDPR request's identifiers are ({@link
   * SubjectIdentifiers#of}), so a token and an erasure request naming the same address meet at the
   * same pseudonym. Empty for every other type, and for a value the normalisation refuses (longer
   * than 320 chars: no real address or number is).
   */
  public Optional<String> subjectOf(TenantId tenant, String piiType, String value) {
    String kind =
        switch (piiType) {
          case PiiTypes.EMAIL_ADDRESS -> "email";
          case PiiTypes.PHONE_NUMBER -> "phone";
          default -> null;
        };
    if (kind == null) {
      return Optional.empty();
    }
    SubjectIdentifiers identifiers;
    try {
      identifiers = SubjectIdentifiers.of(Map.of(kind, value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(pseudonym(tenant, kind, identifiers.get(kind)));
  }

  private static byte[] hmac(byte[] key, String data) {
    return Ids.hmacSha256(key, data.getBytes(StandardCharsets.UTF_8));
  }
}
