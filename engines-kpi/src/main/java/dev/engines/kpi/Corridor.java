package dev.engines.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A KPI's corridor: the bounds it should stay within. Each bound is optional (null); where both of
 * a pair are set, the floor is at most the ceiling.
 *
 * @param version the corridor's own version, its {@code ETag}
 */
public record Corridor(
    String kpiName,
    @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal floor,
    @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal ceiling,
    @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal cadenceFloor,
    @JsonSerialize(using = Decimals.PlainSerializer.class) BigDecimal cadenceCeiling,
    int version,
    Instant updatedAt,
    String updatedBy) {}
