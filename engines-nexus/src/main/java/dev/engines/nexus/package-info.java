/**
 * Nexus: neutral plumbing from raw artifacts to atoms to retrieval, with lineage and an
 * access/usage log. {@link dev.engines.nexus.RawAssets} stores artifacts through the {@link
 * dev.engines.storage.RawStore} SPI, {@link dev.engines.nexus.Atoms} derives, stores and retrieves
 * atoms (text redacted by the PII pipeline before it is written), {@link
 * dev.engines.nexus.UsageLog} records which cards and atoms were used. Every call takes the
 * caller's scope; nothing ranks, summarises or interprets.
 */
package dev.engines.nexus;
