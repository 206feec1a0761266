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
 * @param masterKey the secret the per-tenant pseudonym and token keys are derived from (at least 32
 *     characters; supply it from a secret store, never from a file in the repository)
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.pii")
public record PiiProperties(
    @NotEmpty List<String> phoneRegions,
    @Positive int maxInputChars,
    @NotNull Duration timeBudget,
    @NotBlank @Size(min = 32, message = "must hold at least 32 characters") String masterKey) {

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
        + ", masterKey=<redacted>]";
  }
}
