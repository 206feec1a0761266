package dev.engines.core.readiness;

/**
 * Something about the running configuration that is unsafe in production.
 *
 * @param code stable id an operator names to override it, e.g. {@code storage.filesystem}
 * @param message what is wrong and what to do instead
 */
public record ReadinessFinding(String code, String message) {}
