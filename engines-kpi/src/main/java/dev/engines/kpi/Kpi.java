package dev.engines.kpi;

import java.time.Instant;

/**
 * A KPI definition of one tenant/env, with its corridor if it has one.
 *
 * @param name {@code ^[a-z][a-z0-9_]{0,63}$}
 * @param description redacted by the PII pipeline before it was stored
 * @param surface the surface whose Temperature lists it (in {@code kpi_corridors_used}) once it has
 *     a corridor
 * @param version the definition's version, its {@code ETag}; the corridor has its own
 * @param corridor null when the KPI has none
 */
public record Kpi(
    String name,
    String description,
    String unit,
    String surface,
    int version,
    Instant createdAt,
    String createdBy,
    Instant updatedAt,
    String updatedBy,
    Corridor corridor) {}
