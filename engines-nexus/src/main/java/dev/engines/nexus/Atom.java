package dev.engines.nexus;

import java.time.Instant;
import java.util.Map;

/**
 * One stored atom: redacted text plus its lineage (parent asset, derivation, position).
 *
 * @param atomId content-addressed {@code at_…} (see {@link dev.engines.nexus.atomize.AtomIds})
 * @param assetId the parent raw asset
 * @param derivationId the derivation that produced it
 * @param opType atomizer name
 * @param opVersion atomizer version
 * @param paramsHash sha256 of the derivation's canonical params
 * @param ordinal 0-based position within its derivation
 * @param span where it came from in the asset (see {@link dev.engines.nexus.atomize.Span#toMap()})
 * @param text the text after PII redaction
 * @param textSha256 sha256 of {@code text} as stored
 * @param piiFlags the asset's flags merged with what redaction found in this atom
 * @param trainOk the asset's train_ok and nothing found by redaction
 * @param createdAt when it was first stored
 */
public record Atom(
    String atomId,
    String assetId,
    String derivationId,
    String opType,
    String opVersion,
    String paramsHash,
    long ordinal,
    Map<String, Object> span,
    String text,
    String textSha256,
    Map<String, Object> piiFlags,
    boolean trainOk,
    Instant createdAt) {}
