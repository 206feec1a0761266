package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.IdKeys;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Content-addressed, keyed atom ids, so re-running the same derivation over the same artifact
 * yields the same ids (the store reports them as skipped), any change in scope, artifact,
 * derivation, position or text yields new ones, and an id reveals nothing about the text it was
 * made from (the text before PII redaction among it) to anyone without the tenant/env's id key.
 *
 * <p>Recipe, in two steps (docs/adr/0008-keyed-atom-ids.md):
 *
 * <ol>
 *   <li>the <b>content address</b> {@code Ids.contentAddressed("at", parts…)}, i.e. {@code "at_"} +
 *       the first 32 hex chars of SHA-256 over these UTF-8 parts joined by a NUL byte, in this
 *       order: tenant id (e.g. {@code t_acme}); env wire value ({@code dev}, {@code staging} or
 *       {@code prod}); asset id; asset SHA-256 (64 lowercase hex); {@code op_type}; {@code
 *       op_version}; {@link Derivation#paramsHash()}; ordinal in decimal; {@link Span#key()};
 *       {@link AtomDraft#textSha256()} — of the draft text, before PII redaction. It is never
 *       stored or shown: it was the id itself before ids were keyed, and it can be recomputed from
 *       a guess of the text;
 *   <li>the <b>atom id</b> {@code IdKeys.id(scope, "at", contentAddress)}, i.e. {@code "at_"} + the
 *       first 32 hex chars of HMAC-SHA256 of the content address under the tenant/env's id key.
 * </ol>
 *
 * Keying the content address (rather than the parts) lets the migration that re-keyed the atoms
 * stored before (their ids were content addresses) compute the same ids a derivation computes now,
 * from the stored id alone ({@link #fromContentAddress}). The text hash is redundant for a correct
 * atomizer (bytes + derivation fix the text) and is there on purpose: if an atomizer's output ever
 * changes without a new {@code op_version}, ids change instead of silently pointing at different
 * text.
 */
public final class AtomIds {

  /** Prefix of every atom id. */
  public static final String PREFIX = "at";

  private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-f]{64}$");

  private AtomIds() {}

  /**
   * The id of {@code draft}, produced by {@code derivation} from asset {@code assetId} whose
   * content hashes to {@code assetSha256}, in {@code scope}, keyed with {@code keys}.
   */
  public static String atomId(
      IdKeys keys,
      Scope scope,
      String assetId,
      String assetSha256,
      Derivation derivation,
      AtomDraft draft) {
    return generator(keys, scope, assetId, assetSha256, derivation).id(draft);
  }

  /**
   * The atom id of a content address (step 2 of the recipe); what the re-keying migration applies
   * to legacy ids.
   */
  public static String fromContentAddress(IdKeys keys, Scope scope, String contentAddress) {
    return keys.id(scope, PREFIX, contentAddress);
  }

  /**
   * Ids for the drafts of one derivation run: checks the asset once and hashes the params once,
   * instead of once per atom.
   */
  public static Generator generator(
      IdKeys keys, Scope scope, String assetId, String assetSha256, Derivation derivation) {
    Objects.requireNonNull(keys, "keys");
    if (assetId == null || assetId.isBlank() || assetId.indexOf('\0') >= 0) {
      throw EnginesException.validation("Asset id must be non-blank and must not contain NUL.");
    }
    if (assetSha256 == null || !SHA256_HEX.matcher(assetSha256).matches()) {
      throw EnginesException.validation("Asset sha256 must be 64 lowercase hex characters.");
    }
    return new Generator(
        keys,
        scope,
        assetId,
        assetSha256,
        derivation.opType(),
        derivation.opVersion(),
        derivation.paramsHash());
  }

  /** Atom ids of one (scope, asset, derivation); see {@link AtomIds} for the recipe. */
  public record Generator(
      IdKeys keys,
      Scope scope,
      String assetId,
      String assetSha256,
      String opType,
      String opVersion,
      String paramsHash) {

    /** The id of {@code draft}. */
    public String id(AtomDraft draft) {
      return id(draft, draft.textSha256());
    }

    /**
     * The id of {@code draft} whose {@link AtomDraft#textSha256()} the caller has already computed.
     */
    public String id(AtomDraft draft, String textSha256) {
      String contentAddress =
          Ids.contentAddressed(
              PREFIX,
              scope.tenantId(),
              scope.env().wire(),
              assetId,
              assetSha256,
              opType,
              opVersion,
              paramsHash,
              Long.toString(draft.ordinal()),
              draft.span().key(),
              textSha256);
      return fromContentAddress(keys, scope, contentAddress);
    }
  }
}
