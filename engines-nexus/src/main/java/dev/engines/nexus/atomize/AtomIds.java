package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import java.util.regex.Pattern;

/**
 * Content-addressed atom ids, so re-running the same derivation over the same artifact yields the
 * same ids (the store reports them as skipped) and any change in scope, artifact, derivation, position
 * or text yields new ones.
 *
 * <p>Recipe: {@code Ids.contentAddressed("at", parts…)}, i.e. {@code "at_"} + the first 32 hex chars
 * of SHA-256 over these UTF-8 parts joined by a NUL byte, in this order:
 *
 * <ol>
 *   <li>tenant id, e.g. {@code t_acme}
 *   <li>env wire value: {@code dev}, {@code staging} or {@code prod}
 *   <li>asset id
 *   <li>asset SHA-256 (64 lowercase hex)
 *   <li>{@code op_type}
 *   <li>{@code op_version}
 *   <li>{@link Derivation#paramsHash()}
 *   <li>ordinal in decimal
 *   <li>{@link Span#key()}
 *   <li>{@link AtomDraft#textSha256()} — of the draft text, before PII redaction
 * </ol>
 *
 * The text hash is redundant for a correct atomizer (bytes + derivation fix the text) and is there
 * on purpose: if an atomizer's output ever changes without a new {@code op_version}, ids change
 * instead of silently pointing at different text.
 */
public final class AtomIds {

  /** Prefix of every atom id. */
  public static final String PREFIX = "at";

  private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-f]{64}$");

  private AtomIds() {}

  /**
   * The id of {@code draft}, produced by {@code derivation} from asset {@code assetId} whose content
   * hashes to {@code assetSha256}, in {@code scope}.
   */
  public static String atomId(Scope scope, String assetId, String assetSha256, Derivation derivation, AtomDraft draft) {
    return generator(scope, assetId, assetSha256, derivation).id(draft);
  }

  /**
   * Ids for the drafts of one derivation run: checks the asset once and hashes the params once,
   * instead of once per atom.
   */
  public static Generator generator(Scope scope, String assetId, String assetSha256, Derivation derivation) {
    if (assetId == null || assetId.isBlank() || assetId.indexOf('\0') >= 0) {
      throw EnginesException.validation("Asset id must be non-blank and must not contain NUL.");
    }
    if (assetSha256 == null || !SHA256_HEX.matcher(assetSha256).matches()) {
      throw EnginesException.validation("Asset sha256 must be 64 lowercase hex characters.");
    }
    return new Generator(scope, assetId, assetSha256, derivation.opType(), derivation.opVersion(), derivation.paramsHash());
  }

  /** Atom ids of one (scope, asset, derivation); see {@link AtomIds} for the recipe. */
  public record Generator(Scope scope, String assetId, String assetSha256, String opType, String opVersion,
      String paramsHash) {

    /** The id of {@code draft}. */
    public String id(AtomDraft draft) {
      return id(draft, draft.textSha256());
    }

    /** The id of {@code draft} whose {@link AtomDraft#textSha256()} the caller has already computed. */
    public String id(AtomDraft draft, String textSha256) {
      return Ids.contentAddressed(PREFIX, scope.tenantId(), scope.env().wire(), assetId, assetSha256, opType, opVersion,
          paramsHash, Long.toString(draft.ordinal()), draft.span().key(), textSha256);
    }
  }
}
