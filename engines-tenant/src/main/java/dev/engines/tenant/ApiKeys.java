package dev.engines.tenant;

import dev.engines.core.audit.AuditTrail;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.pii.TextRedactor;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Role;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.tenant.internal.Validation;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API keys: personal keys act as their user; service keys carry a role, optional env grants and an
 * optional act-on-behalf grant. The token {@code eng_<16 chars>_<32 chars>} is returned once; only
 * the SHA-256 of its secret is stored (160 random bits, so a slow hash adds nothing).
 *
 * <p>Who manages a key follows the one rank rule of {@link Members#requireManages}, as for role
 * changes: a key ranks as its principal (a personal key as its user's current role, a service key
 * as its role), and creating, rotating or revoking it needs a caller that manages that rank, unless
 * the key is the caller's own (a personal key of the caller's user, or the key it authenticates
 * with). Admins see every key; other callers see only their own.
 */
public class ApiKeys {

  static final String TOKEN_PREFIX = "eng_";
  private static final int ID_CHARS = 16;
  private static final int SECRET_CHARS = 32;

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final TenantSettings settings;
  private final Clock clock;
  private final EventRecorder events;
  private final AuditTrail audit;
  private final TextRedactor redactor;
  private final KeyCache keyCache;

  public ApiKeys(
      JdbcClient jdbc,
      ScopedTransactions tx,
      TenantSettings settings,
      Clock clock,
      EventRecorder events,
      AuditTrail audit,
      TextRedactor redactor,
      KeyCache keyCache) {
    this.keyCache = keyCache;
    this.jdbc = jdbc;
    this.tx = tx;
    this.settings = settings;
    this.clock = clock;
    this.events = events;
    this.audit = audit;
    this.redactor = redactor;
  }

  /**
   * A key to create.
   *
   * @param kind {@code personal} or {@code service}
   * @param userId for personal keys: the owner (defaults to the caller)
   * @param role for service keys: a rank the caller manages (see {@link Members#requireManages})
   * @param envs env grants (null = all envs)
   * @param expiresAt null = now + max-key-ttl
   */
  public record NewKey(
      String kind,
      String name,
      String userId,
      Role role,
      Set<Env> envs,
      boolean actOnBehalf,
      Instant expiresAt) {}

  /** Creates a key and returns its token once. */
  public IssuedKey create(Caller caller, NewKey spec) {
    Validation.text("name", spec.name(), 200);
    // Key names are free text and show up in listings: they are redacted like any stored text (and
    // must still fit once pseudonyms or tokens replaced what was found).
    String name = Validation.text("name", redactor.redactForStorage(caller, spec.name()), 200);
    Instant now = clock.instant();
    Instant expiresAt = expiry(spec.expiresAt(), now);
    if (ApiKey.PERSONAL.equals(spec.kind())) {
      String owner = spec.userId() == null ? caller.effectiveUserId() : spec.userId();
      if (owner == null) {
        throw EnginesException.validation(
            "user_id is required for a personal key created by a service.");
      }
      if (spec.role() != null || spec.envs() != null || spec.actOnBehalf()) {
        throw EnginesException.validation(
            "personal keys take their user's role and all envs; role, envs and act_on_behalf are for service keys.");
      }
      if (!owner.equals(caller.effectiveUserId())) {
        requireAdmin(caller);
      }
      return tx.write(
          caller,
          () -> {
            Role rank = userRole(caller.scope().tenantId(), owner);
            if (!owner.equals(caller.effectiveUserId())) {
              Members.requireManages(caller, rank);
            }
            return audited(
                caller,
                insertPersonal(
                    caller.scope().tenantId(), owner, name, caller.actorId(), expiresAt, now));
          });
    }
    if (!ApiKey.SERVICE.equals(spec.kind())) {
      throw EnginesException.validation("kind must be personal or service.");
    }
    requireAdmin(caller);
    if (spec.role() == null) {
      throw EnginesException.validation("role is required for a service key.");
    }
    if (spec.userId() != null) {
      throw EnginesException.validation("user_id is only for personal keys.");
    }
    Members.requireManages(caller, spec.role());
    if (spec.envs() != null && spec.envs().isEmpty()) {
      throw EnginesException.validation("envs must name at least one env, or be omitted for all.");
    }
    return tx.write(
        caller,
        () ->
            audited(
                caller,
                insert(
                    caller.scope().tenantId(),
                    ApiKey.SERVICE,
                    name,
                    null,
                    spec.role(),
                    spec.envs(),
                    spec.actOnBehalf(),
                    caller.actorId(),
                    expiresAt,
                    now)));
  }

  private IssuedKey audited(Caller caller, IssuedKey issued) {
    ApiKey key = issued.key();
    Map<String, Object> details = new TreeMap<>();
    details.put("kind", key.kind());
    details.put("act_on_behalf", key.actOnBehalf());
    if (key.userId() != null) {
      details.put("user_id", key.userId());
    }
    if (key.role() != null) {
      details.put("role", key.role().wire());
    }
    if (key.envs() != null) {
      details.put("envs", key.envs().stream().map(Env::wire).sorted().toList());
    }
    events.output(caller, RefType.API_KEY, key.keyId());
    audit.record(caller, "api_key.create", "api_key", key.keyId(), details);
    return issued;
  }

  /** Lists keys ordered by id: all for admins, the caller's own keys otherwise. */
  public Page<ApiKey> list(Caller caller, String cursor, int limit) {
    String after = Cursors.decode(cursor);
    boolean all = caller.role().atLeast(Role.ADMIN);
    String self = caller.effectiveUserId();
    Page<ApiKey> page =
        tx.read(
            caller,
            () ->
                Page.of(
                    jdbc.sql(
                            "SELECT * FROM api_keys WHERE tenant_id = :tenant AND key_id > :after"
                                + " AND (:all OR user_id = :self OR key_id = :key) ORDER BY key_id LIMIT :limit")
                        .param("tenant", caller.scope().tenantId())
                        .param("after", after)
                        .param("all", all)
                        .param("self", self == null ? "" : self)
                        .param("key", caller.keyId() == null ? "" : caller.keyId())
                        .param("limit", limit + 1)
                        .query(ApiKeys::map)
                        .list(),
                    limit,
                    ApiKey::keyId));
    page.items().forEach(k -> events.output(caller, RefType.API_KEY, k.keyId()));
    return page;
  }

  /** One key the caller may see; 404 otherwise. */
  public ApiKey get(Caller caller, String keyId) {
    ApiKey key = tx.read(caller, () -> visible(caller, keyId, false));
    events.output(caller, RefType.API_KEY, key.keyId());
    return key;
  }

  /** Revokes a key: it fails from the very next request on. */
  public ApiKey revoke(Caller caller, String keyId) {
    return tx.write(
        caller,
        () -> {
          ApiKey key = visible(caller, keyId, true);
          jdbc.sql(
                  "UPDATE api_keys SET revoked_at = coalesce(revoked_at, :now), previous_secret_hash = NULL,"
                      + " previous_valid_until = NULL WHERE tenant_id = :tenant AND key_id = :id")
              .param("now", Sql.ts(clock.instant()))
              .param("tenant", key.tenantId())
              .param("id", key.keyId())
              .update();
          keyCache.changedAfterCommit(key.tenantId());
          events.output(caller, RefType.API_KEY, keyId);
          audit.record(caller, "api_key.revoke", "api_key", keyId, Map.of("kind", key.kind()));
          return find(key.tenantId(), keyId);
        });
  }

  /**
   * Issues a new secret for a key. The old secret keeps working for {@code overlap} (default from
   * configuration) so callers can roll without downtime.
   */
  public IssuedKey rotate(Caller caller, String keyId, Duration overlap) {
    Duration effective = overlap == null ? settings.keyRotationOverlap() : overlap;
    if (effective.isNegative() || effective.compareTo(settings.maxKeyRotationOverlap()) > 0) {
      throw EnginesException.validation(
          "overlap_seconds must be between 0 and "
              + settings.maxKeyRotationOverlap().toSeconds()
              + ".");
    }
    return tx.write(
        caller,
        () -> {
          ApiKey key = visible(caller, keyId, true);
          if (key.revokedAt() != null) {
            throw EnginesException.conflict("key_revoked", "A revoked key cannot be rotated.");
          }
          String secret = Ids.randomToken(SECRET_CHARS);
          Instant now = clock.instant();
          jdbc.sql(
                  "UPDATE api_keys SET previous_secret_hash = secret_hash, previous_valid_until = :until,"
                      + " secret_hash = :hash WHERE tenant_id = :tenant AND key_id = :id")
              .param("until", Sql.ts(now.plus(effective)))
              .param("hash", hash(secret))
              .param("tenant", key.tenantId())
              .param("id", key.keyId())
              .update();
          keyCache.changedAfterCommit(key.tenantId());
          events.output(caller, RefType.API_KEY, keyId);
          audit.record(
              caller,
              "api_key.rotate",
              "api_key",
              keyId,
              Map.of("kind", key.kind(), "overlap_seconds", effective.toSeconds()));
          return new IssuedKey(find(key.tenantId(), keyId), token(keyId, secret));
        });
  }

  /** Inserts a personal key inside an open, tenant-bound transaction. */
  IssuedKey insertPersonal(
      String tenantId,
      String userId,
      String name,
      String createdBy,
      Instant expiresAt,
      Instant now) {
    return insert(
        tenantId,
        ApiKey.PERSONAL,
        name,
        userId,
        null,
        null,
        false,
        createdBy,
        expiresAt == null ? now.plus(settings.maxKeyTtl()) : expiresAt,
        now);
  }

  private IssuedKey insert(
      String tenantId,
      String kind,
      String name,
      String userId,
      Role role,
      Set<Env> envs,
      boolean actOnBehalf,
      String createdBy,
      Instant expiresAt,
      Instant now) {
    String suffix = Ids.randomToken(ID_CHARS);
    String keyId = "ak_" + suffix;
    String secret = Ids.randomToken(SECRET_CHARS);
    jdbc.sql(
            "INSERT INTO api_keys (tenant_id, key_id, kind, name, user_id, role, envs, act_on_behalf, secret_hash,"
                + " created_by, created_at, expires_at) VALUES (:tenant, :id, :kind, :name, :user, :role,"
                + " CAST(:envs AS text[]), :aob, :hash, :by, :now, :expires)")
        .param("tenant", tenantId)
        .param("id", keyId)
        .param("kind", kind)
        .param("name", name)
        .param("user", userId)
        .param("role", role == null ? null : role.wire())
        .param(
            "envs",
            envs == null
                ? null
                : "{"
                    + envs.stream().sorted().map(Env::wire).collect(Collectors.joining(","))
                    + "}")
        .param("aob", actOnBehalf)
        .param("hash", hash(secret))
        .param("by", createdBy)
        .param("now", Sql.ts(now))
        .param("expires", Sql.ts(expiresAt))
        .update();
    return new IssuedKey(find(tenantId, keyId), token(keyId, secret));
  }

  /**
   * The key if the caller may see it (404 otherwise); {@code forUpdate} also locks it and applies
   * the rank rule, so that a key of a principal the caller does not manage answers 403.
   */
  private ApiKey visible(Caller caller, String keyId, boolean forUpdate) {
    ApiKey key =
        jdbc.sql(
                "SELECT * FROM api_keys WHERE tenant_id = :tenant AND key_id = :id"
                    + (forUpdate ? " FOR UPDATE" : ""))
            .param("tenant", caller.scope().tenantId())
            .param("id", keyId)
            .query(ApiKeys::map)
            .optional()
            .filter(k -> caller.role().atLeast(Role.ADMIN) || own(caller, k))
            .orElseThrow(() -> EnginesException.notFound("API key"));
    if (forUpdate && !own(caller, key)) {
      Members.requireManages(
          caller, key.role() != null ? key.role() : userRole(key.tenantId(), key.userId()));
    }
    return key;
  }

  /** A personal key of the user the caller acts as, or the key the caller authenticates with. */
  private static boolean own(Caller caller, ApiKey key) {
    return key.keyId().equals(caller.keyId())
        || (key.userId() != null && key.userId().equals(caller.effectiveUserId()));
  }

  /**
   * A user's current role, the rank of their personal keys. The row is share-locked so that a
   * concurrent promotion cannot slip between this check and the key change.
   */
  private Role userRole(String tenantId, String userId) {
    return jdbc.sql("SELECT role FROM users WHERE tenant_id = :tenant AND user_id = :id FOR SHARE")
        .param("tenant", tenantId)
        .param("id", userId)
        .query(String.class)
        .optional()
        .map(Role::parse)
        .orElseThrow(() -> EnginesException.notFound("User"));
  }

  private ApiKey find(String tenantId, String keyId) {
    return jdbc.sql("SELECT * FROM api_keys WHERE tenant_id = :tenant AND key_id = :id")
        .param("tenant", tenantId)
        .param("id", keyId)
        .query(ApiKeys::map)
        .single();
  }

  private Instant expiry(Instant requested, Instant now) {
    Instant max = now.plus(settings.maxKeyTtl());
    if (requested == null) {
      return max;
    }
    if (!requested.isAfter(now) || requested.isAfter(max)) {
      throw EnginesException.validation(
          "expires_at must be in the future and within "
              + settings.maxKeyTtl().toDays()
              + " days.");
    }
    return requested;
  }

  private void requireAdmin(Caller caller) {
    if (!caller.role().atLeast(Role.ADMIN)) {
      throw EnginesException.forbidden(
          "forbidden_role", "This key operation needs the admin role.");
    }
  }

  static String token(String keyId, String secret) {
    return TOKEN_PREFIX + keyId.substring(3) + "_" + secret;
  }

  static byte[] hash(String secret) {
    return Ids.sha256().digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  static Set<Env> envs(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    EnumSet<Env> envs = EnumSet.noneOf(Env.class);
    Arrays.stream((String[]) array.getArray()).map(Env::parse).forEach(envs::add);
    return envs;
  }

  static ApiKey map(ResultSet rs, int row) throws SQLException {
    String role = rs.getString("role");
    String keyId = rs.getString("key_id");
    return new ApiKey(
        rs.getString("tenant_id"),
        keyId,
        TOKEN_PREFIX + keyId.substring(3),
        rs.getString("kind"),
        rs.getString("name"),
        rs.getString("user_id"),
        role == null ? null : Role.parse(role),
        envs(rs.getArray("envs")),
        rs.getBoolean("act_on_behalf"),
        rs.getString("created_by"),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "expires_at"),
        Sql.instant(rs, "revoked_at"),
        Sql.instant(rs, "last_used_at"),
        Sql.instant(rs, "previous_valid_until"));
  }
}
