package dev.engines.kpi;

import java.time.Instant;

/** A snapshot kept by {@code POST /v1/temperature/{surface}/snapshots}, as it was computed then. */
public record StoredSnapshot(
    String snapshotId, Instant createdAt, String createdBy, Snapshot snapshot) {}
