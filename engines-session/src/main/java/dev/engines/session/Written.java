package dev.engines.session;

/**
 * What an idempotent create answers: the record, and whether this call created it ({@code false}:
 * it existed already, the same, so the call was a replay).
 */
public record Written<T>(T value, boolean created) {}
