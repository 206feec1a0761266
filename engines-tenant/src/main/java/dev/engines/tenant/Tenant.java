package dev.engines.tenant;

import java.time.Instant;

/**
 * A tenant in the registry.
 *
 * @param tenantId {@code t_…}
 * @param name display name
 * @param status {@code active} or {@code suspended}; a suspended tenant's credentials are refused
 */
public record Tenant(
    String tenantId, String name, String status, Instant createdAt, Instant updatedAt) {

  public static final String ACTIVE = "active";
  public static final String SUSPENDED = "suspended";
}
