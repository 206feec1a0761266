package dev.engines.pii.gdpr;

import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.scope.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonyms of data subjects: {@code ds_} + 128 bits of HMAC-SHA256 over {@code kind:value} under
 * a per-tenant key (itself an HMAC of the tenant id under a secret the database never holds). The
 * same identifier always maps to the same pseudonym within a tenant and to unrelated ones across
 * tenants; the identifier cannot be recovered from it.
 */
public final class DataSubjects {

  private final byte[] secret;

  /** @param secret at least 32 bytes, kept outside the database */
  public DataSubjects(byte[] secret) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("The data subject secret must hold at least 32 bytes.");
    }
    this.secret = secret.clone();
  }

  /** The pseudonym of one identifier, e.g. {@code ("email", "ana@example.com")}. */
  public String pseudonym(TenantId tenant, String kind, String normalisedValue) {
    byte[] tenantKey = hmac(secret, "engines-gdpr-subject/v1/" + tenant.value());
    return "ds_" + HexFormat.of().formatHex(hmac(tenantKey, kind + ":" + normalisedValue), 0, 16);
  }

  /** The pseudonyms of every identifier, in the identifiers' order (email before phone). */
  public List<String> pseudonyms(TenantId tenant, SubjectIdentifiers subject) {
    List<String> out = new ArrayList<>();
    subject.values().forEach((kind, value) -> out.add(pseudonym(tenant, kind, value)));
    return out;
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }
}
