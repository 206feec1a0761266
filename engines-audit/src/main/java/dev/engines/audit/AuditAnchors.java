package dev.engines.audit;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.SignatureConfig;
import dev.engines.core.audit.AuditVerification;
import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.RouteAction;
import dev.engines.core.scope.TenantId;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.PutOptions;
import dev.engines.storage.RawStore;
import dev.engines.tenant.Tenant;
import dev.engines.tenant.TenantDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anchors each tenant's audit chain outside the database, like cloud audit digest files: a
 * scheduled job (once per cluster) signs the chain head (tenant, sequence number, head hash, time,
 * the previous digest's SHA-256, key id) with an Ed25519 Tink keyset and writes it to the
 * deployment's object store, under {@code tenants/<tenant>/audit/digests/<seq>.json} and {@code
 * …/audit/latest.json} ({@link ObjectKey#auditDigest}). {@link #check} makes verification compare
 * the chain with the newest digest: a chain rewritten consistently inside the database (every hash
 * recomputed) no longer matches the signed head (docs/adr/audit-hash-chain.md, "Anchoring").
 *
 * <p>Disabled (no job runs, verify checks no digest) when no signing keyset is configured.
 */
public final class AuditAnchors {

  /** The job's name in the cluster lock. */
  public static final String CLUSTER_JOB = "audit.anchor";

  /** The anchor at the newest digest was never found in storage (deleted, or never written). */
  public static final String ANCHOR_MISSING = "anchor_missing";

  /** The newest digest's signature does not verify under the configured public key. */
  public static final String ANCHOR_SIGNATURE_INVALID = "anchor_signature_invalid";

  /** The chain's entry at the digest's sequence number is not the one that was signed. */
  public static final String ANCHOR_MISMATCH = "anchor_mismatch";

  /**
   * What an anchoring records in the ledger, as the {@link Caller#system} job of the env of the
   * chain's newest entry.
   */
  static final RouteAction ANCHOR_ACTION =
      new RouteAction("audit", "audit.anchor", RouteAction.Kind.WRITE);

  private static final Logger log = LoggerFactory.getLogger(AuditAnchors.class);
  private static final long MAX_DIGEST_BYTES = 64 * 1024;

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final RawStore store;
  private final TenantDirectory tenants;
  private final ClusterJobs cluster;
  private final EventRecorder events;
  private final Clock clock;
  private final PublicKeySign signer;
  private final PublicKeyVerify verifier;
  private final String keyId;
  private final String publicKeyset;
  private final ObjectMapper json = JsonMapper.builder().build();

  /**
   * @param signingKeyset a Tink JSON keyset of Ed25519 private keys, or blank to disable anchoring
   * @throws IllegalArgumentException when the keyset does not parse or cannot sign (startup fails);
   *     the message names no key material
   */
  public AuditAnchors(
      JdbcClient jdbc,
      ScopedTransactions tx,
      RawStore store,
      TenantDirectory tenants,
      ClusterJobs cluster,
      EventRecorder events,
      Clock clock,
      String signingKeyset) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.store = store;
    this.tenants = tenants;
    this.cluster = cluster;
    this.events = events;
    this.clock = clock;
    if (signingKeyset == null || signingKeyset.isBlank()) {
      this.signer = null;
      this.verifier = null;
      this.keyId = null;
      this.publicKeyset = null;
      return;
    }
    try {
      SignatureConfig.register();
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseKeyset(
              signingKeyset, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
      KeysetHandle publicHandle = handle.getPublicKeysetHandle();
      this.signer = handle.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
      this.verifier = publicHandle.getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
      this.keyId = "tink/" + Integer.toUnsignedString(handle.getPrimary().getId());
      this.publicKeyset =
          TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(
              publicHandle, RegistryConfiguration.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // Tink's message may quote the input: never pass it on.
      throw new IllegalArgumentException(
          "engines.audit.anchor.signing-keyset is not a Tink JSON keyset of signing keys.");
    }
  }

  /** Whether a signing keyset is configured. */
  public boolean enabled() {
    return signer != null;
  }

  /** The public keyset (Tink JSON, no secret) that verifies the digests; null when disabled. */
  public String publicKeyset() {
    return publicKeyset;
  }

  /** The scheduled tick: one instance of the cluster anchors every tenant. */
  @Scheduled(cron = "${engines.audit.anchor-cron:-}")
  public boolean tick() {
    return enabled() && cluster.tick(CLUSTER_JOB, this::run);
  }

  /** Anchors every tenant whose chain moved since its last digest. */
  public void run() {
    String cursor = null;
    do {
      Page<Tenant> page = tenants.list(cursor, 100);
      for (Tenant tenant : page.items()) {
        try {
          anchor(TenantId.of(tenant.tenantId()));
        } catch (RuntimeException e) {
          log.error("audit anchor: {} failed", tenant.tenantId(), e);
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
  }

  /**
   * Signs and exports the tenant's chain head unless it is empty or already anchored; answers the
   * anchored sequence number.
   */
  public Optional<Long> anchor(TenantId tenant) {
    if (!enabled()) {
      return Optional.empty();
    }
    // The anchoring is tenant-level, but a DatasetEvent needs an env: it is recorded in the env of
    // the chain's newest entry, in that scope's transaction (none when that entry is an operator's,
    // which has no env, as operator audit entries have no event either).
    Optional<Map<String, Object>> newest =
        tx.tenantLevel(
            tenant,
            () ->
                jdbc
                    .sql(
                        "SELECT e.entry_id, e.env FROM audit_chain_heads h JOIN audit_entries e"
                            + " ON e.tenant_id = h.tenant_id AND e.seq = h.last_seq"
                            + " WHERE h.tenant_id = :t")
                    .param("t", tenant.value())
                    .query()
                    .listOfRows()
                    .stream()
                    .findFirst());
    String env = newest.map(row -> (String) row.get("env")).orElse(null);
    if (env == null) {
      return tx.tenantLevel(tenant, () -> anchorInTransaction(tenant, null));
    }
    Caller job = Caller.system(tenant, Env.parse(env), CLUSTER_JOB);
    return tx.write(job, () -> anchorInTransaction(tenant, job));
  }

  private Optional<Long> anchorInTransaction(TenantId tenant, Caller job) {
    Optional<Map<String, Object>> head =
        jdbc
            .sql(
                "SELECT last_seq, last_hash FROM audit_chain_heads WHERE tenant_id = :t"
                    + " FOR UPDATE")
            .param("t", tenant.value())
            .query()
            .listOfRows()
            .stream()
            .findFirst();
    if (head.isEmpty() || ((Number) head.get().get("last_seq")).longValue() == 0) {
      return Optional.<Long>empty();
    }
    long seq = ((Number) head.get().get("last_seq")).longValue();
    String hash = (String) head.get().get("last_hash");
    Optional<Map<String, Object>> previous =
        jdbc
            .sql("SELECT seq, digest_sha256 FROM audit_anchors WHERE tenant_id = :t")
            .param("t", tenant.value())
            .query()
            .listOfRows()
            .stream()
            .findFirst();
    if (previous.isPresent() && ((Number) previous.get().get("seq")).longValue() == seq) {
      return Optional.<Long>empty();
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("version", 1);
    payload.put("tenant_id", tenant.value());
    payload.put("seq", seq);
    payload.put("head_hash", hash);
    payload.put("anchored_at", clock.instant().truncatedTo(ChronoUnit.MICROS).toString());
    payload.put("previous_seq", previous.map(p -> p.get("seq")).orElse(null));
    payload.put("previous_digest_sha256", previous.map(p -> p.get("digest_sha256")).orElse(null));
    payload.put("key_id", keyId);
    byte[] digest = sign(json.writeValueAsString(payload));
    String sha = sha256(digest);
    put(ObjectKey.auditDigest(tenant, seq), digest);
    put(ObjectKey.auditLatest(tenant), digest);
    jdbc.sql(
            "INSERT INTO audit_anchors (tenant_id, seq, head_hash, digest_sha256, key_id,"
                + " anchored_at) VALUES (:t, :seq, :hash, :sha, :key, :now)"
                + " ON CONFLICT (tenant_id) DO UPDATE SET seq = EXCLUDED.seq,"
                + " head_hash = EXCLUDED.head_hash, digest_sha256 = EXCLUDED.digest_sha256,"
                + " key_id = EXCLUDED.key_id, anchored_at = EXCLUDED.anchored_at")
        .param("t", tenant.value())
        .param("seq", seq)
        .param("hash", hash)
        .param("sha", sha)
        .param("key", keyId)
        .param("now", Sql.ts(clock.instant()))
        .update();
    if (job != null) {
      events.job(
          job,
          ANCHOR_ACTION,
          List.of(new DatasetEvent.Ref(RefType.AUDIT, headEntryId(tenant, seq))),
          List.of(
              new DatasetEvent.Ref(RefType.OBJECT, ObjectKey.auditDigest(tenant, seq).value())));
    }
    return Optional.of(seq);
  }

  private String headEntryId(TenantId tenant, long seq) {
    return jdbc.sql("SELECT entry_id FROM audit_entries WHERE tenant_id = :t AND seq = :seq")
        .param("t", tenant.value())
        .param("seq", seq)
        .query(String.class)
        .single();
  }

  /**
   * {@code chain} (a valid chain's verification) checked against the tenant's newest digest, in the
   * current tenant-bound transaction: the result is {@code chain} when anchoring is off, nothing
   * was anchored yet, or the digest matches; otherwise invalid with {@value #ANCHOR_MISSING},
   * {@value #ANCHOR_SIGNATURE_INVALID} or {@value #ANCHOR_MISMATCH}.
   */
  public AuditVerification check(TenantId tenant, AuditVerification chain) {
    if (!enabled() || !chain.valid()) {
      return chain;
    }
    Long recorded =
        jdbc.sql("SELECT seq FROM audit_anchors WHERE tenant_id = :t")
            .param("t", tenant.value())
            .query(Long.class)
            .optional()
            .orElse(null);
    byte[] latest = read(ObjectKey.auditLatest(tenant));
    if (latest == null) {
      return recorded == null ? chain : failed(chain, recorded, ANCHOR_MISSING);
    }
    JsonNode payload;
    try {
      payload = verified(latest);
    } catch (GeneralSecurityException | RuntimeException e) {
      return failed(chain, recorded, ANCHOR_SIGNATURE_INVALID);
    }
    long seq = payload.path("seq").asLong(0);
    if (!tenant.value().equals(payload.path("tenant_id").asString(""))) {
      return failed(chain, seq, ANCHOR_MISMATCH);
    }
    if (recorded != null
        && (recorded > seq || read(ObjectKey.auditDigest(tenant, recorded)) == null)) {
      return failed(chain, recorded, ANCHOR_MISSING);
    }
    String hash =
        jdbc.sql("SELECT hash FROM audit_entries WHERE tenant_id = :t AND seq = :seq")
            .param("t", tenant.value())
            .param("seq", seq)
            .query(String.class)
            .optional()
            .orElse(null);
    if (!payload.path("head_hash").asString("").equals(hash)) {
      return failed(chain, seq, ANCHOR_MISMATCH);
    }
    return chain;
  }

  private static AuditVerification failed(AuditVerification chain, Long seq, String problem) {
    return new AuditVerification(false, chain.checked(), chain.headSeq(), seq, problem);
  }

  private byte[] sign(String payload) {
    try {
      byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("payload", payload);
      object.put("key_id", keyId);
      object.put(
          "signature", Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign(bytes)));
      return json.writeValueAsBytes(object);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("An audit digest could not be signed.", e);
    }
  }

  /** The signed payload of a digest object; throws when the signature does not verify. */
  private JsonNode verified(byte[] object) throws GeneralSecurityException {
    JsonNode node = json.readTree(object);
    String payload = node.path("payload").asString(null);
    String signature = node.path("signature").asString(null);
    if (payload == null || signature == null) {
      throw new GeneralSecurityException("not a digest");
    }
    verifier.verify(
        Base64.getUrlDecoder().decode(signature), payload.getBytes(StandardCharsets.UTF_8));
    return json.readTree(payload);
  }

  private void put(ObjectKey key, byte[] content) {
    store.put(
        key,
        new ByteArrayInputStream(content),
        PutOptions.of("application/json", MAX_DIGEST_BYTES).withExpectedSize(content.length));
  }

  private byte[] read(ObjectKey key) {
    if (store.head(key).isEmpty()) {
      return null;
    }
    try (InputStream in = store.open(key)) {
      return in.readNBytes((int) MAX_DIGEST_BYTES);
    } catch (EnginesException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
