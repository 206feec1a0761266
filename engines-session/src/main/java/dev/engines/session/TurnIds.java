package dev.engines.session;

import dev.engines.core.ids.IdKeys;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;

/**
 * Content-addressed, keyed turn ids, on the recipe of atom ids (docs/adr/0008-keyed-atom-ids.md):
 * the same turn (scope, user, session, position, role and text) always has the same id, so a
 * retried append is recognised, and an id reveals nothing about the text to anyone without the
 * tenant/env's id key, not even a guess of what the PII pipeline redacted.
 *
 * <ol>
 *   <li>the content address {@code Ids.contentAddressed("tu", tenant, env, user id, session id, seq
 *       in decimal, role, sha256 of the content before PII redaction)}, computed and thrown away
 *       (never stored, logged or returned: it could be recomputed from a guess of the text);
 *   <li>the turn id {@code IdKeys.id(scope, "tu", contentAddress)}: {@code "tu_"} + the first 32
 *       hex chars of HMAC-SHA256 under the tenant/env's id key.
 * </ol>
 */
public final class TurnIds {

  /** Prefix of every turn id. */
  public static final String PREFIX = "tu";

  /** What every turn id looks like. */
  public static final String PATTERN = "^tu_[0-9a-f]{32}$";

  private TurnIds() {}

  /**
   * The id of the turn at {@code seq} of {@code sessionId} whose content (before redaction) hashes
   * to {@code contentSha256}.
   */
  public static String turnId(
      IdKeys keys,
      Scope scope,
      String userId,
      String sessionId,
      int seq,
      String role,
      String contentSha256) {
    String contentAddress =
        Ids.contentAddressed(
            PREFIX,
            scope.tenantId(),
            scope.env().wire(),
            userId,
            sessionId,
            Integer.toString(seq),
            role,
            contentSha256);
    return keys.id(scope, PREFIX, contentAddress);
  }
}
