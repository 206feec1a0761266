package dev.engines.api.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The optional {@code engines.observability} block.
 *
 * @param maxTenantTags how many distinct tenants get their own {@code tenant} metric tag; later
 *     tenants share the tag value {@code other}, so one deployment's series count stays bounded
 */
public record ObservabilitySettings(@Min(0) @Max(10000) int maxTenantTags) {

  /** Used when the block is absent: 100 tenant tags. */
  public static final ObservabilitySettings DEFAULTS = new ObservabilitySettings(100);
}
