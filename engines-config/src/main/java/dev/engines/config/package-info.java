/**
 * Per tenant/env configuration slots: {@link dev.engines.config.EnvConfigs} stores each slot's
 * versions (validated on write, audited, never updated) and reads the one in force fresh on every
 * call; {@link dev.engines.config.ConfigSlot} is how an engine contributes a slot and its rules. A
 * slot that was never set is 409 {@code config_missing} ({@link
 * dev.engines.config.EnvConfigs#missing}), never a default.
 */
package dev.engines.config;
