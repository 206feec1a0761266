package dev.engines.tenant;

import dev.engines.core.config.RequiredSettings;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.tenant} configuration slot. Required.
 *
 * @param keyRotationOverlap how long a rotated key's old secret keeps working by default
 * @param maxKeyRotationOverlap the longest overlap a caller may ask for
 * @param maxKeyTtl the longest lifetime a new key may have; keys without an expiry get this one
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.tenant")
public record TenantSettings(
    @NotNull Duration keyRotationOverlap,
    @NotNull Duration maxKeyRotationOverlap,
    @NotNull Duration maxKeyTtl) {

  @AssertTrue(
      message =
          "key-rotation-overlap must be between 0 and max-key-rotation-overlap, and max-key-ttl positive")
  public boolean isConsistent() {
    return keyRotationOverlap == null
        || maxKeyRotationOverlap == null
        || maxKeyTtl == null
        || (!keyRotationOverlap.isNegative()
            && keyRotationOverlap.compareTo(maxKeyRotationOverlap) <= 0
            && maxKeyTtl.isPositive());
  }
}
