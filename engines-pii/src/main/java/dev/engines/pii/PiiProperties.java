package dev.engines.pii;

import dev.engines.core.config.RequiredSettings;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.pii} slot: the pipeline's deployment settings ({@link #settings()}, the
 * engine's {@link PiiSettings}) and the one secret every key of the service derives from. Required.
 *
 * @param phoneRegions ISO 3166 regions whose national phone formats are recognised (validated at
 *     startup)
 * @param maxInputChars the longest text the pipeline accepts; longer text is refused, never passed
 *     through
 * @param timeBudget the longest one analysis may take; past it the write is refused
 * @param analysisThreads how many threads the analysis of one write's many texts (a derivation's
 *     atoms) may run on, the request's own included; 1 keeps it on the request's thread. The pool
 *     of the other threads is shared by every request of the replica; a request whose helpers are
 *     busy analyses alone, so it never waits on another's work. Set it to the cores the service may
 *     use: more only adds hand-overs
 * @param masterKey the pseudonym root: the secret the per-tenant pseudonym and token keys are
 *     derived from, never rotated (at least 32 characters; supply it from a secret store, never
 *     from a file in the repository). It also seeds the first key-encryption key, {@value
 *     KekRing#MASTER_KEK_ID}
 * @param kekKeyset optional: a Tink AEAD keyset in Tink's JSON format whose keys join the
 *     key-encryption-key ring and whose primary seals new keys ({@code bin/engines keys add} makes
 *     one; docs/operations.md); blank for none. A keyset that does not parse, is not AEAD or has no
 *     enabled primary stops startup
 * @param masterKekRetired whether the seed KEK {@value KekRing#MASTER_KEK_ID} has left the ring
 *     (only with a keyset, and only once {@code bin/engines keys retire master/v1} found no key
 *     under it)
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.pii")
public record PiiProperties(
    @NotEmpty List<String> phoneRegions,
    @Positive int maxInputChars,
    @NotNull Duration timeBudget,
    @Positive int analysisThreads,
    @NotBlank @Size(min = 32, message = "must hold at least 32 characters") String masterKey,
    String kekKeyset,
    boolean masterKekRetired) {

  /** Fails startup on a keyset that cannot seal, with a message that names no key material. */
  public PiiProperties {
    KekRing.parseKeyset(kekKeyset);
    if (masterKekRetired && (kekKeyset == null || kekKeyset.isBlank())) {
      throw new IllegalArgumentException(
          "engines.pii.master-kek-retired needs engines.pii.kek-keyset: the ring would be empty.");
    }
  }

  /** The key-encryption-key ring this configuration describes. */
  public KekRing kekRing(DerivedPiiKeys derived) {
    return KekRing.of(derived, kekKeyset, masterKekRetired);
  }

  /** The engine settings; throws on an unknown phone region, which stops startup. */
  public PiiSettings settings() {
    return new PiiSettings(phoneRegions, maxInputChars, timeBudget);
  }

  @Override
  public String toString() {
    return "PiiProperties[phoneRegions="
        + phoneRegions
        + ", maxInputChars="
        + maxInputChars
        + ", timeBudget="
        + timeBudget
        + ", analysisThreads="
        + analysisThreads
        + ", masterKey=<redacted>, kekKeyset="
        + (kekKeyset == null || kekKeyset.isBlank() ? "<none>" : "<redacted>")
        + ", masterKekRetired="
        + masterKekRetired
        + "]";
  }
}
