package dev.engines.tenant;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.TenantId;
import dev.engines.tenant.internal.OidcVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Turns a bearer credential into a {@link Principal}: the operator token, an API key, or an OIDC
 * JWT from a trusted issuer. An API key's row is read from the database, or from the replica's
 * {@link KeyCache} of rows it verified, which the database's change notifications keep current; the
 * checks (secret, expiry, revocation, user and tenant status) run on every request either way.
 * Failures are 401 problems whose messages never echo the token.
 */
public class Credentials {

  static final String OPERATOR_PREFIX = "eop_";
  private static final Pattern API_KEY = Pattern.compile("^eng_([a-z2-7]{16})_([a-z2-7]{32})$");

  /** last_used_at is advisory; writing it at most once a minute keeps reads read-only. */
  private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final OidcVerifier oidc;
  private final byte[] operatorHash;
  private final Clock clock;
  private final KeyCache cache;
  private final LongSupplier nanos;

  public Credentials(
      JdbcClient jdbc,
      ScopedTransactions tx,
      OidcVerifier oidc,
      AuthSettings settings,
      Clock clock,
      KeyCache cache) {
    this.cache = cache;
    this.nanos = System::nanoTime;
    this.jdbc = jdbc;
    this.tx = tx;
    this.oidc = oidc;
    this.operatorHash = HexFormat.of().parseHex(settings.operatorTokenSha256());
    this.clock = clock;
  }

  /** Authenticates a bearer token; 401 when missing, malformed, unknown, expired or revoked. */
  public Principal authenticate(String token) {
    if (token == null || token.isBlank()) {
      throw EnginesException.unauthorized(
          "unauthenticated", "Send Authorization: Bearer <API key or JWT>, or X-Api-Key.");
    }
    if (token.startsWith(OPERATOR_PREFIX)) {
      byte[] presented = Ids.sha256().digest(token.getBytes(StandardCharsets.UTF_8));
      if (MessageDigest.isEqual(presented, operatorHash)) {
        return new Principal.Operator();
      }
      throw invalid();
    }
    if (token.startsWith(ApiKeys.TOKEN_PREFIX)) {
      return apiKey(token);
    }
    if (token.chars().filter(c -> c == '.').count() == 2) {
      return oidc.verify(token);
    }
    throw invalid();
  }

  private Principal apiKey(String token) {
    var matcher = API_KEY.matcher(token);
    if (!matcher.matches()) {
      throw invalid();
    }
    String keyId = "ak_" + matcher.group(1);
    byte[] presented = ApiKeys.hash(matcher.group(2));
    Instant now = clock.instant();
    // Keyed by the id and the presented secret's hash: an entry only ever answers the credential it
    // was verified for.
    String cacheKey = keyId + ":" + HexFormat.of().formatHex(presented);
    // The generation first: a change heard after it keeps this row out of the cache.
    long generation = cache.generation();
    KeyCache.Entry cached = cache.get(cacheKey);
    long readAt = cached != null ? cached.readAt() : nanos.getAsLong();
    KeyRow row = cached != null ? cached.row() : lookup(keyId);
    boolean current = MessageDigest.isEqual(presented, row.secretHash());
    boolean previous =
        row.previousHash() != null
            && row.previousValidUntil() != null
            && now.isBefore(row.previousValidUntil())
            && MessageDigest.isEqual(presented, row.previousHash());
    if (!current && !previous) {
      throw invalid();
    }
    if (row.revokedAt() != null) {
      throw EnginesException.unauthorized("credential_revoked", "This API key has been revoked.");
    }
    if (row.expiresAt() != null && !now.isBefore(row.expiresAt())) {
      throw EnginesException.unauthorized("credential_expired", "This API key has expired.");
    }
    if (touch(row.tenantId(), keyId, row.lastUsedAt(), now)) {
      row = row.usedAt(now);
      cache.put(cacheKey, row, generation, readAt);
    } else if (cached == null) {
      cache.put(cacheKey, row, generation, readAt);
    }
    boolean personal = ApiKey.PERSONAL.equals(row.kind());
    String role = personal ? row.userRole() : row.role();
    return new Principal.Key(
        row.tenantId(),
        keyId,
        row.kind(),
        row.userId(),
        Role.parse(role),
        row.envs(),
        row.actOnBehalf(),
        !personal || row.userActive(),
        row.tenantActive());
  }

  private KeyRow lookup(String keyId) {
    // api_key_lookup (V27) binds the credential-lookup RLS context for the call alone: one
    // statement, no transaction, before any tenant is known.
    return jdbc.sql("SELECT * FROM api_key_lookup(:id)")
        .param("id", keyId)
        .query(
            (rs, n) ->
                new KeyRow(
                    rs.getString("tenant_id"),
                    rs.getString("kind"),
                    rs.getString("user_id"),
                    rs.getString("role"),
                    rs.getString("user_role"),
                    ApiKeys.envs(rs.getArray("envs")),
                    rs.getBoolean("act_on_behalf"),
                    rs.getBytes("secret_hash"),
                    rs.getBytes("previous_secret_hash"),
                    Sql.instant(rs, "previous_valid_until"),
                    Sql.instant(rs, "expires_at"),
                    Sql.instant(rs, "revoked_at"),
                    Sql.instant(rs, "last_used_at"),
                    User.ACTIVE.equals(rs.getString("user_status")),
                    Tenant.ACTIVE.equals(rs.getString("tenant_status"))))
        .optional()
        .orElseThrow(Credentials::invalid);
  }

  /** Records the key's use when the last one recorded is a minute old; true when it wrote. */
  private boolean touch(String tenantId, String keyId, Instant lastUsed, Instant now) {
    if (lastUsed != null && lastUsed.plus(LAST_USED_GRANULARITY).isAfter(now)) {
      return false;
    }
    tx.tenantLevel(
        TenantId.of(tenantId),
        () ->
            jdbc.sql(
                    "UPDATE api_keys SET last_used_at = :now WHERE tenant_id = :tenant AND key_id = :id")
                .param("now", Sql.ts(now))
                .param("tenant", tenantId)
                .param("id", keyId)
                .update());
    return true;
  }

  static EnginesException invalid() {
    return EnginesException.unauthorized("credential_invalid", "The credential is not valid.");
  }

  /** The row api_key_lookup answers for a key: the key, its user's and its tenant's state. */
  record KeyRow(
      String tenantId,
      String kind,
      String userId,
      String role,
      String userRole,
      Set<Env> envs,
      boolean actOnBehalf,
      byte[] secretHash,
      byte[] previousHash,
      Instant previousValidUntil,
      Instant expiresAt,
      Instant revokedAt,
      Instant lastUsedAt,
      boolean userActive,
      boolean tenantActive) {

    KeyRow usedAt(Instant when) {
      return new KeyRow(
          tenantId,
          kind,
          userId,
          role,
          userRole,
          envs,
          actOnBehalf,
          secretHash,
          previousHash,
          previousValidUntil,
          expiresAt,
          revokedAt,
          when,
          userActive,
          tenantActive);
    }
  }
}
