/**
 * Helpers shared by the adapters of this module (metering uploads, lazy listings). Public only
 * because the adapters live in sibling packages; no other module may use them, which the module's
 * architecture test enforces.
 */
package dev.engines.storage.internal;
