package dev.engines.pii;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import java.util.Map;
import java.util.Objects;

/**
 * Re-identification: the original value behind a {@link Operator#TOKEN} token of the caller's
 * tenant/env, with an audit entry ({@code pii.reidentify}) that names the token by a digest only —
 * the token itself is a stable handle on the person — and never holds the value. Callers restrict
 * it to owners and admins; the value goes nowhere but the response.
 */
public final class Reidentifier {

  private final PiiPipeline pipeline;
  private final ScopedTransactions tx;
  private final AuditTrail audit;

  public Reidentifier(PiiPipeline pipeline, ScopedTransactions tx, AuditTrail audit) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /**
   * One re-identified token.
   *
   * @param type the entity type the token stands for ({@code EMAIL_ADDRESS}, …)
   * @param auditEntryId the audit entry that records the re-identification
   */
  public record Reidentified(String type, String value, String auditEntryId) {}

  /**
   * Re-identifies {@code token} (surrounding blanks ignored) and records it.
   *
   * @throws dev.engines.core.error.EnginesException 410 {@code subject_erased} when the token's
   *     subject key was destroyed by an erasure; 400 {@code pii_token_invalid} when the token is
   *     malformed, altered or not of this tenant/env
   */
  public Reidentified reidentify(Caller caller, String token) {
    String trimmed = token.trim();
    String value = pipeline.reidentify(caller.scope(), trimmed);
    // A token that re-identified has the form <TYPE:tok:...>.
    String type = trimmed.substring(1, trimmed.indexOf(':'));
    String entryId =
        tx.write(
            caller,
            () ->
                audit
                    .record(
                        caller,
                        "pii.reidentify",
                        "pii_token",
                        "sha256:" + Ids.sha256Hex(trimmed).substring(0, 32),
                        Map.of("type", type))
                    .entryId());
    return new Reidentified(type, value, entryId);
  }
}
