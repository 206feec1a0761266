package dev.engines.pii.policy;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.version.Preconditions;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.pii.MaskSettings;
import dev.engines.pii.Operator;
import dev.engines.pii.PiiLists;
import dev.engines.pii.PiiPolicySource;
import dev.engines.pii.PiiTypes;
import dev.engines.pii.RedactionPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versioned redaction policy and allow/deny lists of each tenant/env, and the {@link
 * PiiPolicySource} the pipeline reads them from. Every change is a new version (rows are never
 * updated); until a tenant writes a policy, the system default (version 1: every type replaced by
 * {@code <TYPE>}) is in force, and until it writes lists, none apply. Changes are validated on
 * write and audited with counts and version numbers only: list terms are never copied into the
 * audit trail. A write under {@code If-Match} whose version is no longer in force answers 412
 * {@code precondition_failed}.
 */
public final class PiiPolicies implements PiiPolicySource {

  /** The most terms one list may hold. */
  public static final int MAX_TERMS = 1000;

  /** The longest term, in chars. */
  public static final int MAX_TERM_CHARS = 200;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<TreeMap<String, String>> OPERATORS = new TypeReference<>() {};

  private final PurgeFence fence;
  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final Clock clock;
  private final AuditTrail audit;
  private final EventRecorder events;

  public PiiPolicies(
      JdbcClient jdbc,
      ScopedTransactions tx,
      Clock clock,
      AuditTrail audit,
      PurgeFence fence,
      EventRecorder events) {
    this.events = events;
    this.fence = fence;
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * One version of a policy.
   *
   * @param source {@code system_default} (version 1) or {@code tenant}
   * @param createdBy the actor id that wrote it, null for the system default
   */
  public record PolicyVersion(
      RedactionPolicy policy, String source, Instant createdAt, String createdBy) {}

  /**
   * One version of the lists.
   *
   * @param version 0 when the tenant never wrote lists
   */
  public record ListsVersion(int version, PiiLists lists, Instant createdAt, String createdBy) {}

  /**
   * A policy to write.
   *
   * @param defaultOperator operator wire name ({@code redact}, {@code replace}, {@code mask},
   *     {@code hmac}, {@code token})
   * @param operators entity type → operator wire name
   * @param mask null for "mask every char with *"
   */
  public record PolicyChange(
      String defaultOperator, Map<String, String> operators, MaskSettings mask) {}

  /** Lists to write; {@code denyType} null for {@link PiiTypes#DENY_LIST}. */
  public record ListsChange(List<String> allow, List<String> deny, String denyType) {}

  @Override
  public Active active(Caller caller) {
    Scope scope = caller.scope();
    return tx.read(
        caller, () -> new Active(latestPolicy(scope).policy(), latestLists(scope).lists()));
  }

  /** The policy in force in the caller's tenant/env. */
  public PolicyVersion current(Caller caller) {
    PolicyVersion current = tx.read(caller, () -> latestPolicy(caller.scope()));
    events.output(caller, RefType.PII_POLICY, Integer.toString(current.policy().version()));
    return current;
  }

  /** Every version, newest first; the system default (version 1) is always the last. */
  public Page<PolicyVersion> versions(Caller caller, String cursor, int limit) {
    int below = Cursors.decodeInt(cursor, Integer.MAX_VALUE);
    List<PolicyVersion> rows =
        tx.read(
            caller,
            () -> {
              List<PolicyVersion> stored =
                  new ArrayList<>(
                      jdbc.sql(
                              "SELECT * FROM pii_policies WHERE tenant_id = :tenant AND env = :env AND version < :below"
                                  + " ORDER BY version DESC LIMIT :limit")
                          .param("tenant", caller.scope().tenantId())
                          .param("env", caller.scope().env().wire())
                          .param("below", below)
                          .param("limit", limit + 1)
                          .query(PiiPolicies::mapPolicy)
                          .list());
              if (stored.size() <= limit && below > 1) {
                stored.add(systemDefault());
              }
              return stored;
            });
    Page<PolicyVersion> page = Page.of(rows, limit, v -> Integer.toString(v.policy().version()));
    page.items()
        .forEach(
            v -> events.output(caller, RefType.PII_POLICY, Integer.toString(v.policy().version())));
    return page;
  }

  /**
   * Writes a new policy version; 400 {@code validation_failed} on unknown types or operators.
   *
   * @param preconditions on the version in force (1: the system default); 412 when they do not hold
   */
  public PolicyVersion put(Caller caller, PolicyChange change, Preconditions preconditions) {
    Operator defaultOperator = operator("default_operator", change.defaultOperator());
    Map<String, String> raw = change.operators() == null ? Map.of() : change.operators();
    MaskSettings mask = change.mask() == null ? MaskSettings.all() : change.mask();
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(caller.scope());
          Set<String> known = new LinkedHashSet<>(PiiTypes.DETECTED);
          known.add(PiiTypes.DENY_LIST);
          known.add(latestLists(caller.scope()).lists().denyType());
          TreeMap<String, Operator> operators = new TreeMap<>();
          raw.forEach(
              (type, op) -> {
                if (!known.contains(type)) {
                  throw EnginesException.validation(
                      "operators: unknown entity type; known types are " + known + ".");
                }
                operators.put(type, operator("operators." + type, op));
              });
          int current = latestPolicy(caller.scope()).policy().version();
          preconditions.check(current, "The PII policy");
          int version = current + 1;
          RedactionPolicy policy = new RedactionPolicy(version, defaultOperator, operators, mask);
          Instant now = clock.instant();
          TreeMap<String, String> wire = new TreeMap<>();
          operators.forEach((type, op) -> wire.put(type, wire(op)));
          try {
            jdbc.sql(
                    """
                INSERT INTO pii_policies (tenant_id, env, version, default_operator, operators, mask_char,
                    mask_chars_to_mask, mask_from_end, created_at, created_by)
                VALUES (:tenant, :env, :version, :default, CAST(:operators AS jsonb), :maskChar, :maskCount, :maskFromEnd,
                    :now, :by)""")
                .param("tenant", caller.scope().tenantId())
                .param("env", caller.scope().env().wire())
                .param("version", version)
                .param("default", wire(defaultOperator))
                .param("operators", JSON.writeValueAsString(wire))
                .param("maskChar", String.valueOf(mask.maskChar()))
                .param("maskCount", mask.charsToMask())
                .param("maskFromEnd", mask.fromEnd())
                .param("now", Sql.ts(now))
                .param("by", caller.actorId())
                .update();
          } catch (DuplicateKeyException e) {
            throw concurrentWrite("policy", preconditions);
          }
          Map<String, Object> details = new TreeMap<>();
          details.put("version", version);
          details.put("default_operator", wire(defaultOperator));
          details.put("operators", wire);
          audit.record(
              caller, "pii_policy.update", "pii_policy", Integer.toString(version), details);
          events.output(caller, RefType.PII_POLICY, Integer.toString(version));
          return new PolicyVersion(policy, "tenant", now, caller.actorId());
        });
  }

  /** The lists in force in the caller's tenant/env. */
  public ListsVersion lists(Caller caller) {
    ListsVersion lists = tx.read(caller, () -> latestLists(caller.scope()));
    if (lists.version() > 0) {
      events.output(caller, RefType.PII_LISTS, Integer.toString(lists.version()));
    }
    return lists;
  }

  /**
   * Writes a new version of the lists; 400 {@code validation_failed} on empty, overlong or too many
   * terms.
   *
   * @param preconditions on the version in force ({@code "0"}: none written yet); 412 when they do
   *     not hold
   */
  public ListsVersion putLists(Caller caller, ListsChange change, Preconditions preconditions) {
    List<String> allow = terms("allow", change.allow());
    List<String> deny = terms("deny", change.deny());
    String denyType = change.denyType() == null ? PiiTypes.DENY_LIST : change.denyType();
    PiiLists lists;
    try {
      lists = new PiiLists(Set.copyOf(allow), Set.copyOf(deny), denyType);
    } catch (IllegalArgumentException e) {
      throw EnginesException.validation("deny_type must match [A-Z][A-Z0-9_]{0,63}.");
    }
    return tx.write(
        caller,
        () -> {
          // Deny-list terms may name people: none may land behind a tenant purge.
          fence.requireOpen(caller.scope());
          int current = latestLists(caller.scope()).version();
          preconditions.check(current, "The PII lists");
          int version = current + 1;
          Instant now = clock.instant();
          try {
            jdbc.sql(
                    """
                INSERT INTO pii_lists (tenant_id, env, version, allow_terms, deny_terms, deny_type, created_at, created_by)
                VALUES (:tenant, :env, :version, :allow, :deny, :denyType, :now, :by)""")
                .param("tenant", caller.scope().tenantId())
                .param("env", caller.scope().env().wire())
                .param("version", version)
                .param("allow", lists.allow().toArray(String[]::new))
                .param("deny", lists.deny().toArray(String[]::new))
                .param("denyType", lists.denyType())
                .param("now", Sql.ts(now))
                .param("by", caller.actorId())
                .update();
          } catch (DuplicateKeyException e) {
            throw concurrentWrite("list", preconditions);
          }
          audit.record(
              caller,
              "pii_lists.update",
              "pii_lists",
              Integer.toString(version),
              Map.of(
                  "version",
                  version,
                  "allow_terms",
                  lists.allow().size(),
                  "deny_terms",
                  lists.deny().size(),
                  "deny_type",
                  lists.denyType()));
          events.output(caller, RefType.PII_LISTS, Integer.toString(version));
          return new ListsVersion(version, lists, now, caller.actorId());
        });
  }

  /**
   * Two writers computed the same next version and this one lost: under a precondition the version
   * it named is no longer in force (412); without one, the caller learns it raced (409).
   */
  private static EnginesException concurrentWrite(String what, Preconditions preconditions) {
    String detail = "Another " + what + " change was written at the same time; read and retry.";
    return preconditions.present()
        ? new EnginesException(412, ProblemCodes.PRECONDITION_FAILED, detail)
        : EnginesException.conflict(ProblemCodes.CONFLICT, detail);
  }

  /** The operator wire name, e.g. {@code hmac}. */
  public static String wire(Operator operator) {
    return operator.name().toLowerCase(Locale.ROOT);
  }

  private PolicyVersion latestPolicy(Scope scope) {
    return jdbc.sql(
            "SELECT * FROM pii_policies WHERE tenant_id = :tenant AND env = :env ORDER BY version DESC LIMIT 1")
        .param("tenant", scope.tenantId())
        .param("env", scope.env().wire())
        .query(PiiPolicies::mapPolicy)
        .optional()
        .orElseGet(PiiPolicies::systemDefault);
  }

  private ListsVersion latestLists(Scope scope) {
    return jdbc.sql(
            "SELECT * FROM pii_lists WHERE tenant_id = :tenant AND env = :env ORDER BY version DESC LIMIT 1")
        .param("tenant", scope.tenantId())
        .param("env", scope.env().wire())
        .query(
            (rs, n) ->
                new ListsVersion(
                    rs.getInt("version"),
                    new PiiLists(
                        strings(rs, "allow_terms"),
                        strings(rs, "deny_terms"),
                        rs.getString("deny_type")),
                    Sql.instant(rs, "created_at"),
                    rs.getString("created_by")))
        .optional()
        .orElseGet(() -> new ListsVersion(0, PiiLists.none(), null, null));
  }

  private static PolicyVersion systemDefault() {
    return new PolicyVersion(RedactionPolicy.defaults(), "system_default", null, null);
  }

  private static Operator operator(String field, String value) {
    if (value == null) {
      throw EnginesException.validation(field + " is required.");
    }
    try {
      return Operator.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw EnginesException.validation(
          field + " must be one of redact, replace, mask, hmac, token.");
    }
  }

  private static List<String> terms(String field, List<String> terms) {
    if (terms == null) {
      return List.of();
    }
    if (terms.size() > MAX_TERMS) {
      throw EnginesException.validation(field + " holds at most " + MAX_TERMS + " terms.");
    }
    for (String term : terms) {
      if (term == null || term.isBlank() || term.length() > MAX_TERM_CHARS) {
        throw EnginesException.validation(
            field + " terms are 1 to " + MAX_TERM_CHARS + " chars and not blank.");
      }
    }
    return terms;
  }

  private static Set<String> strings(ResultSet rs, String column) throws SQLException {
    return new LinkedHashSet<>(Arrays.asList((String[]) rs.getArray(column).getArray()));
  }

  private static PolicyVersion mapPolicy(ResultSet rs, int row) throws SQLException {
    TreeMap<String, Operator> operators = new TreeMap<>();
    JSON.readValue(rs.getString("operators"), OPERATORS)
        .forEach((type, op) -> operators.put(type, Operator.valueOf(op.toUpperCase(Locale.ROOT))));
    MaskSettings mask =
        new MaskSettings(
            rs.getString("mask_char").charAt(0),
            rs.getInt("mask_chars_to_mask"),
            rs.getBoolean("mask_from_end"));
    RedactionPolicy policy =
        new RedactionPolicy(
            rs.getInt("version"),
            Operator.valueOf(rs.getString("default_operator").toUpperCase(Locale.ROOT)),
            operators,
            mask);
    return new PolicyVersion(
        policy, "tenant", Sql.instant(rs, "created_at"), rs.getString("created_by"));
  }
}
