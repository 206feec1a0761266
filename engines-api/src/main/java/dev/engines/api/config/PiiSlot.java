package dev.engines.api.config;

import dev.engines.pii.PiiSettings;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;

/**
 * The {@code engines.pii} slot.
 *
 * @param phoneRegions ISO 3166 regions whose national phone formats are recognised (validated at startup)
 * @param maxInputChars the longest text the pipeline accepts; longer text is refused, never passed through
 * @param timeBudget the longest one analysis may take; past it the write is refused
 * @param masterKey the secret the per-tenant pseudonym and token keys are derived from (at least 32
 *     characters; supply it from a secret store, never from a file in the repository)
 */
public record PiiSlot(
    @NotEmpty List<String> phoneRegions,
    @Positive int maxInputChars,
    @NotNull Duration timeBudget,
    @NotBlank @jakarta.validation.constraints.Size(min = 32, message = "must hold at least 32 characters") String masterKey) {

  /** The engine settings; throws on an unknown phone region, which stops startup. */
  public PiiSettings settings() {
    return new PiiSettings(phoneRegions, maxInputChars, timeBudget);
  }

  @Override
  public String toString() {
    return "PiiSlot[phoneRegions=" + phoneRegions + ", maxInputChars=" + maxInputChars + ", timeBudget=" + timeBudget
        + ", masterKey=<redacted>]";
  }
}
