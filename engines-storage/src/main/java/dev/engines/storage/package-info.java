/**
 * Raw object storage: the {@link dev.engines.storage.RawStore} SPI, scope-bound {@link
 * dev.engines.storage.ObjectKey}s and the values that cross it. Adapters live in {@code
 * dev.engines.storage.fs}, {@code .s3} and {@code .gcs}; only the application's wiring creates
 * them, and engines see nothing but this package.
 */
package dev.engines.storage;
