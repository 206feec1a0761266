package dev.engines.nexus;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.ids.IdKeys;
import dev.engines.core.ids.Ids;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.quota.Quotas;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.nexus.atomize.AtomDraft;
import dev.engines.nexus.atomize.AtomIds;
import dev.engines.nexus.atomize.Atomizer;
import dev.engines.nexus.atomize.Atomizers;
import dev.engines.nexus.atomize.Derivation;
import dev.engines.pii.PiiFlags;
import dev.engines.pii.PiiPipeline;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import dev.engines.pii.Redaction;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.RawStore;
import dev.engines.storage.StorageProblems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Atoms: derivation (atomize → redact → store), retrieval by id and by metadata filters in one
 * documented order, and lineage. Nothing here ranks or interprets; the only order is {@value
 * #ORDER}.
 */
public final class Atoms {

  /** The one order every atom listing uses. */
  public static final String ORDER = "asset_id, op_type, op_version, params_hash, ordinal";

  private static final Pattern ATOM_ID = Pattern.compile("^at_[0-9a-f]{32}$");
  private static final Pattern ASSET_ID = Pattern.compile(ObjectKey.ASSET_ID_PATTERN);
  private static final Pattern OP_TYPE = Pattern.compile("^[a-z][a-z0-9]*(\\.[a-z][a-z0-9_]*)+$");
  private static final Pattern OP_VERSION = Pattern.compile("^[1-9][0-9]{0,8}$");
  private static final Pattern HASH = Pattern.compile("^[0-9a-f]{64}$");
  private static final Pattern DERIVATION_ID = Pattern.compile("^dv_[0-9a-f]{32}$");
  private static final int BATCH = 500;

  /**
   * One statement per batch: the per-atom columns travel as arrays and {@code unnest} turns them
   * into rows, so the server parses, plans and checks RLS once per batch instead of once per atom
   * (several times faster than a JDBC batch of single-row inserts), and the update count is exactly
   * the number of atoms added.
   */
  private static final String INSERT_ATOMS =
      "INSERT INTO atoms (tenant_id, env, atom_id, asset_id, op_type, op_version,"
          + " params_hash, ordinal, span, text, text_sha256, pii_flags, train_ok, created_at)"
          + " SELECT ?, ?, u.atom_id, ?, ?, ?, ?, u.ordinal, u.span::jsonb, u.text, u.text_sha256, u.pii_flags::jsonb, u.train_ok, ?"
          + " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])"
          + " AS u(atom_id, ordinal, span, text, text_sha256, pii_flags, train_ok)"
          + " ON CONFLICT (tenant_id, env, atom_id) DO NOTHING";

  private static final String SELECT_ATOM =
      "SELECT a.*, d.derivation_id FROM atoms a"
          + " JOIN raw_assets r ON r.tenant_id = a.tenant_id AND r.env = a.env AND r.asset_id = a.asset_id AND r.status = 'active'"
          + " JOIN derivations d ON d.tenant_id = a.tenant_id AND d.env = a.env AND d.asset_id = a.asset_id"
          + " AND d.op_type = a.op_type AND d.op_version = a.op_version AND d.params_hash = a.params_hash";

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final ScopedTransactions tx;
  private final RawAssets assets;
  private final NexusSlots slots;
  private final Atomizers atomizers;
  private final PiiPipeline pii;
  private final EventRecorder events;
  private final Clock clock;
  private final IdKeys idKeys;
  private final Quotas quotas;

  /**
   * @param slots the tenant/env nexus (limits, enabled atomizers) and storage slots; every call
   *     resolves the caller's and answers 409 {@code config_missing} when one it needs is not set
   * @param idKeys the keys atom ids are made with ({@link AtomIds})
   */
  public Atoms(
      JdbcClient jdbc,
      JdbcTemplate batch,
      ScopedTransactions tx,
      RawAssets assets,
      NexusSlots slots,
      Atomizers atomizers,
      PiiPipeline pii,
      EventRecorder events,
      Clock clock,
      IdKeys idKeys,
      Quotas quotas) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.batch = Objects.requireNonNull(batch, "batch");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.assets = Objects.requireNonNull(assets, "assets");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.atomizers = Objects.requireNonNull(atomizers, "atomizers");
    this.pii = Objects.requireNonNull(pii, "pii");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idKeys = Objects.requireNonNull(idKeys, "idKeys");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
  }

  /** The atomizers the caller's tenant/env may run (its nexus slot's list, or all of them). */
  public List<Atomizer> atomizers(Caller caller) {
    NexusSlot slot = slots.nexus(caller);
    return atomizers.available().stream().filter(a -> slot.allows(a.opType())).toList();
  }

  /**
   * The outcome of a derivation run.
   *
   * @param atoms atoms the run produced
   * @param added atoms stored for the first time
   * @param skipped atoms that were already stored (same ids)
   */
  public record DerivationRun(
      String derivationId,
      String assetId,
      Derivation derivation,
      long atoms,
      long added,
      long skipped) {}

  /**
   * A stored derivation of an asset, as lineage.
   *
   * @param params the canonical params
   */
  public record DerivationInfo(
      String derivationId,
      String assetId,
      String opType,
      String opVersion,
      String paramsHash,
      Map<String, Object> params,
      long atomCount,
      Instant createdAt,
      Instant lastRunAt) {}

  /**
   * Metadata filters for atom retrieval; null fields do not filter.
   *
   * @param derivationId only atoms of this derivation (its asset, op_type, op_version and params)
   * @param trainOk only atoms with this train_ok
   */
  public record Filter(
      String assetId,
      String derivationId,
      String opType,
      String opVersion,
      String paramsHash,
      Boolean trainOk) {

    /** Rejects malformed values with 400, so a typo never silently matches nothing. */
    public Filter {
      check(assetId, ASSET_ID, "asset_id");
      check(derivationId, DERIVATION_ID, "derivation_id");
      check(opType, OP_TYPE, "op_type");
      check(opVersion, OP_VERSION, "op_version");
      check(paramsHash, HASH, "params_hash");
    }

    private static void check(String value, Pattern pattern, String name) {
      if (value != null && !pattern.matcher(value).matches()) {
        throw EnginesException.validation(name + " is malformed.");
      }
    }

    /** The filters that are set, by their query parameter names. */
    public Map<String, Object> asMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      if (assetId != null) {
        map.put("asset_id", assetId);
      }
      if (derivationId != null) {
        map.put("derivation_id", derivationId);
      }
      if (opType != null) {
        map.put("op_type", opType);
      }
      if (opVersion != null) {
        map.put("op_version", opVersion);
      }
      if (paramsHash != null) {
        map.put("params_hash", paramsHash);
      }
      if (trainOk != null) {
        map.put("train_ok", trainOk);
      }
      return map;
    }

    /** For each set filter, whether {@code atom} satisfies it. */
    public Map<String, Boolean> check(Atom atom) {
      Map<String, Boolean> result = new LinkedHashMap<>();
      if (assetId != null) {
        result.put("asset_id", assetId.equals(atom.assetId()));
      }
      if (derivationId != null) {
        result.put("derivation_id", derivationId.equals(atom.derivationId()));
      }
      if (opType != null) {
        result.put("op_type", opType.equals(atom.opType()));
      }
      if (opVersion != null) {
        result.put("op_version", opVersion.equals(atom.opVersion()));
      }
      if (paramsHash != null) {
        result.put("params_hash", paramsHash.equals(atom.paramsHash()));
      }
      if (trainOk != null) {
        result.put("train_ok", trainOk == atom.trainOk());
      }
      return result;
    }
  }

  /** An atom's lineage: the atom, its parent asset and the derivation that produced it. */
  public record AtomLineage(Atom atom, RawAsset asset, DerivationInfo derivation) {}

  /**
   * An asset's lineage: the asset and every derivation run on it, in (op_type, op_version,
   * params_hash) order.
   */
  public record AssetLineage(RawAsset asset, List<DerivationInfo> derivations) {}

  /**
   * Runs atomizer {@code opType} with {@code params} over an active asset of the caller's scope and
   * stores the atoms, each text redacted by the PII pipeline first. Idempotent: atoms already
   * stored count as skipped. All or nothing: any failure (PII unavailable, storage outage, limits)
   * stores no atom.
   */
  public DerivationRun derive(Caller caller, String assetId, String opType, Map<String, ?> params) {
    Scope scope = caller.scope();
    return tx.write(
        caller,
        () -> {
          NexusSlot slot = slots.nexus(caller);
          NexusLimits limits = slot.limits();
          slots.storage(caller);
          RawAsset asset = assets.active(scope, assetId);
          if (opType == null) {
            throw EnginesException.validation("op_type is required.");
          }
          Atomizer atomizer = atomizers.get(opType);
          if (!slot.allows(atomizer.opType())) {
            throw EnginesException.badRequest(
                Atomizers.UNKNOWN_ATOMIZER,
                "The atomizer '"
                    + atomizer.opType()
                    + "' is not enabled in this env's nexus slot.");
          }
          Derivation derivation = atomizer.derivation(params);
          if (asset.sizeBytes() > limits.maxAtomizeBytes()) {
            throw new EnginesException(
                413,
                NexusProblems.ASSET_TOO_LARGE,
                "The asset exceeds the atomizer limit of " + limits.maxAtomizeBytes() + " bytes.");
          }
          String derivationId =
              Ids.contentAddressed(
                  "dv",
                  scope.tenantId(),
                  scope.env().wire(),
                  asset.assetId(),
                  derivation.opType(),
                  derivation.opVersion(),
                  derivation.paramsHash());
          Instant now = clock.instant();
          jdbc.sql(
                  "INSERT INTO derivations (tenant_id, env, asset_id, op_type, op_version, params_hash, derivation_id, params,"
                      + " params_canonical, atom_count, created_at, created_by, last_run_at)"
                      + " VALUES (:t, :e, :asset, :op, :ver, :hash, :id, CAST(:params AS jsonb), :canonical, 0, :now, :by, :now)"
                      + " ON CONFLICT (tenant_id, env, asset_id, op_type, op_version, params_hash) DO NOTHING")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("asset", asset.assetId())
              .param("op", derivation.opType())
              .param("ver", derivation.opVersion())
              .param("hash", derivation.paramsHash())
              .param("id", derivationId)
              .param("params", derivation.paramsCanonicalJson())
              .param("canonical", derivation.paramsCanonicalJson())
              .param("now", Sql.ts(now))
              .param("by", caller.actorId())
              .update();
          Writer writer = new Writer(caller, asset, derivation, now, limits);
          RawStore store = slots.store(asset.location());
          long produced;
          try (InputStream content =
              store.open(ObjectKey.rawAsset(scope, asset.assetId(), asset.filename()))) {
            produced = atomizer.atomize(content, derivation, writer::accept);
          } catch (IOException e) {
            throw StorageProblems.unavailable(store.backend(), e);
          } catch (UncheckedIOException e) {
            throw StorageProblems.unavailable(store.backend(), e.getCause());
          }
          writer.flush();
          // The raw bytes hold these people in clear even where the atoms do not: index the asset
          // under each, so their erasure removes its object too.
          assets.indexSubjects(scope, asset.assetId(), writer.subjects);
          jdbc.sql(
                  "UPDATE derivations SET atom_count = :n, last_run_at = :now WHERE tenant_id = :t AND env = :e"
                      + " AND asset_id = :asset AND op_type = :op AND op_version = :ver AND params_hash = :hash")
              .param("n", produced)
              .param("now", Sql.ts(now))
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("asset", asset.assetId())
              .param("op", derivation.opType())
              .param("ver", derivation.opVersion())
              .param("hash", derivation.paramsHash())
              .update();
          events.output(caller, RefType.DERIVATION, derivationId);
          return new DerivationRun(
              derivationId,
              asset.assetId(),
              derivation,
              produced,
              writer.added,
              produced - writer.added);
        });
  }

  /** One atom whose asset is active; 404 otherwise (also for other tenants' and envs' ids). */
  public Atom get(Caller caller, String atomId) {
    Scope scope = caller.scope();
    if (atomId != null
        && ATOM_ID.matcher(atomId).matches()
        && !TransactionSynchronizationManager.isActualTransactionActive()) {
      // One round trip: atom_get (V79) binds the scope for its own queries and reads the slot and
      // the atom. Only outside a transaction: it clears the binding it set before it returns.
      AtomRead read =
          jdbc.sql("SELECT * FROM atom_get(:t, :e, :id)")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("id", atomId)
              .query(
                  (rs, n) ->
                      new AtomRead(
                          rs.getString("nexus_settings") == null
                              ? null
                              : Json.read(rs.getString("nexus_settings")),
                          rs.getString("atom_id") == null ? null : map(rs, n)))
              .single();
      slots.nexus(caller, read.nexusSettings());
      if (read.atom() == null) {
        throw NexusProblems.atomNotFound();
      }
      returned(caller, read.atom());
      return read.atom();
    }
    Atom atom =
        tx.read(
                caller,
                () -> {
                  slots.nexus(caller);
                  return find(scope, atomId);
                })
            .orElseThrow(NexusProblems::atomNotFound);
    returned(caller, atom);
    return atom;
  }

  /** What atom_get answers: the env's nexus slot settings (null: unset) and the atom, or null. */
  private record AtomRead(Map<String, Object> nexusSettings, Atom atom) {}

  /** Atoms matching {@code filter}, in {@value #ORDER} order. */
  public Page<Atom> list(Caller caller, Filter filter, String cursor, int limit) {
    Scope scope = caller.scope();
    Page<Atom> page =
        tx.read(
            caller,
            () -> {
              slots.nexus(caller);
              return page(scope, filter, cursor, limit);
            });
    page.items().forEach(item -> returned(caller, item));
    return page;
  }

  /** Names an atom the request returns, with its flags, on the request's event. */
  private void returned(Caller caller, Atom atom) {
    events.output(caller, RefType.ATOM, atom.atomId());
    events.pii(caller, atom.piiFlags(), atom.trainOk());
  }

  private Page<Atom> page(Scope scope, Filter filter, String cursor, int limit) {
    String after = Cursors.decode(cursor);
    String[] key = after.isEmpty() ? null : after.split("\\|", -1);
    if (key != null && (key.length != 5 || !key[4].matches("[0-9]{1,19}"))) {
      throw Cursors.invalid();
    }
    StringBuilder sql =
        new StringBuilder(SELECT_ATOM).append(" WHERE a.tenant_id = :t AND a.env = :e");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("t", scope.tenantId());
    params.put("e", scope.env().wire());
    condition(sql, params, "a.asset_id", "asset", filter.assetId());
    condition(sql, params, "d.derivation_id", "derivation", filter.derivationId());
    condition(sql, params, "a.op_type", "op", filter.opType());
    condition(sql, params, "a.op_version", "ver", filter.opVersion());
    condition(sql, params, "a.params_hash", "hash", filter.paramsHash());
    condition(sql, params, "a.train_ok", "trainOk", filter.trainOk());
    if (key != null) {
      sql.append(
          " AND (a.asset_id, a.op_type, a.op_version, a.params_hash, a.ordinal) > (:k0, :k1, :k2, :k3, :k4)");
      for (int i = 0; i < 4; i++) {
        params.put("k" + i, key[i]);
      }
      params.put("k4", Long.parseLong(key[4]));
    }
    sql.append(
        " ORDER BY a.asset_id, a.op_type, a.op_version, a.params_hash, a.ordinal LIMIT :limit");
    params.put("limit", limit + 1);
    return Page.of(
        jdbc.sql(sql.toString()).params(params).query(Atoms::map).list(),
        limit,
        a ->
            String.join(
                "|",
                a.assetId(),
                a.opType(),
                a.opVersion(),
                a.paramsHash(),
                Long.toString(a.ordinal())));
  }

  /**
   * What an atom id names, for callers that keep atom ids as pointers.
   *
   * @param atomId the atom's current id (a legacy id resolves to it)
   * @param assetStatus the status of the atom's asset ({@link RawAsset#ACTIVE}, {@link
   *     RawAsset#DELETED}; never pending: pending assets have no atoms)
   * @param atom the atom while its asset is active, else null (an atom of a deleted asset is not
   *     readable)
   */
  public record Pointed(String atomId, String assetId, String assetStatus, Atom atom) {}

  /**
   * The atom {@code atomId} names in {@code scope}, whatever its asset's state, for callers that
   * keep atom ids as pointers (session memory) and answer a tombstone for an atom whose asset is
   * gone. Runs inside the caller's transaction bound to {@code scope}; needs no slot and records
   * nothing on the request's event. Another tenant's or env's id finds nothing.
   */
  public Optional<Pointed> locate(Scope scope, String atomId) {
    if (atomId == null || !ATOM_ID.matcher(atomId).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT a.atom_id, a.asset_id, r.status FROM atoms a JOIN raw_assets r ON r.tenant_id = a.tenant_id"
                + " AND r.env = a.env AND r.asset_id = a.asset_id WHERE a.tenant_id = :t AND a.env = :e AND a.atom_id = coalesce("
                + "(SELECT l.atom_id FROM atom_id_aliases l WHERE l.tenant_id = :t AND l.env = :e AND l.legacy_atom_id = :id), :id)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("id", atomId)
        .query(
            (rs, n) ->
                new Pointed(
                    rs.getString("atom_id"),
                    rs.getString("asset_id"),
                    rs.getString("status"),
                    null))
        .optional()
        .map(
            p ->
                RawAsset.ACTIVE.equals(p.assetStatus())
                    ? new Pointed(
                        p.atomId(),
                        p.assetId(),
                        p.assetStatus(),
                        find(scope, p.atomId()).orElseThrow())
                    : p);
  }

  /** The atom, its parent asset and its derivation. */
  public AtomLineage lineage(Caller caller, String atomId) {
    Scope scope = caller.scope();
    return tx.read(
        caller,
        () -> {
          slots.nexus(caller);
          Atom atom = find(scope, atomId).orElseThrow(NexusProblems::atomNotFound);
          RawAsset asset = assets.active(scope, atom.assetId());
          DerivationInfo derivation =
              derivations(scope, asset.assetId()).stream()
                  .filter(d -> d.derivationId().equals(atom.derivationId()))
                  .findFirst()
                  .orElseThrow(NexusProblems::atomNotFound);
          // The atom's flags already hold its asset's.
          returned(caller, atom);
          events.output(caller, RefType.ASSET, asset.assetId());
          events.output(caller, RefType.DERIVATION, derivation.derivationId());
          return new AtomLineage(atom, asset, derivation);
        });
  }

  /** The asset and every derivation run on it. */
  public AssetLineage assetLineage(Caller caller, String assetId) {
    Scope scope = caller.scope();
    return tx.read(
        caller,
        () -> {
          slots.nexus(caller);
          RawAsset asset = assets.active(scope, assetId);
          List<DerivationInfo> derivations = derivations(scope, asset.assetId());
          events.output(caller, RefType.ASSET, asset.assetId());
          events.pii(caller, asset.piiFlags(), asset.trainOk());
          derivations.forEach(d -> events.output(caller, RefType.DERIVATION, d.derivationId()));
          return new AssetLineage(asset, derivations);
        });
  }

  private List<DerivationInfo> derivations(Scope scope, String assetId) {
    return jdbc.sql(
            "SELECT * FROM derivations WHERE tenant_id = :t AND env = :e AND asset_id = :asset"
                + " ORDER BY op_type, op_version, params_hash")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("asset", assetId)
        .query(
            (rs, n) ->
                new DerivationInfo(
                    rs.getString("derivation_id"),
                    rs.getString("asset_id"),
                    rs.getString("op_type"),
                    rs.getString("op_version"),
                    rs.getString("params_hash"),
                    Json.read(rs.getString("params")),
                    rs.getLong("atom_count"),
                    Sql.instant(rs, "created_at"),
                    Sql.instant(rs, "last_run_at")))
        .list();
  }

  /**
   * The parent asset of each of {@code atomIds} that names an atom of an active asset of the scope,
   * inside an open transaction bound to it (for records that point at atoms, checked when they are
   * written). Ids are matched as given.
   */
  public Map<String, String> activeParents(Scope scope, Collection<String> atomIds) {
    String[] ids =
        atomIds.stream()
            .filter(id -> id != null && ATOM_ID.matcher(id).matches())
            .toArray(String[]::new);
    if (ids.length == 0) {
      return Map.of();
    }
    Map<String, String> parents = new LinkedHashMap<>();
    jdbc.sql(
            "SELECT a.atom_id, a.asset_id FROM atoms a JOIN raw_assets r ON r.tenant_id = a.tenant_id AND r.env = a.env"
                + " AND r.asset_id = a.asset_id AND r.status = 'active'"
                + " WHERE a.tenant_id = :t AND a.env = :e AND a.atom_id = ANY (:ids)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("ids", ids)
        .query((rs, n) -> Map.entry(rs.getString("atom_id"), rs.getString("asset_id")))
        .list()
        .forEach(e -> parents.put(e.getKey(), e.getValue()));
    return parents;
  }

  /**
   * The atom with {@code atomId}, or with the id a legacy (unkeyed, pre-V29) id was re-keyed to:
   * ledger events and caller records written before keep naming atoms by their legacy ids.
   */
  private Optional<Atom> find(Scope scope, String atomId) {
    if (atomId == null || !ATOM_ID.matcher(atomId).matches()) {
      return Optional.empty();
    }
    // The id first (a legacy id's alias, else the id itself), as a value: compared with a
    // subquery's result, the atom is no index lookup under RLS and the planner walks the env's
    // atoms instead (docs/benchmarks.md, section 2); atom_get (V79) does the same.
    String id =
        jdbc.sql(
                "SELECT coalesce((SELECT l.atom_id FROM atom_id_aliases l WHERE l.tenant_id = :t"
                    + " AND l.env = :e AND l.legacy_atom_id = :id), :id)")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("id", atomId)
            .query(String.class)
            .single();
    return jdbc.sql(SELECT_ATOM + " WHERE a.tenant_id = :t AND a.env = :e AND a.atom_id = :id")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("id", id)
        .query(Atoms::map)
        .optional();
  }

  private static void condition(
      StringBuilder sql, Map<String, Object> params, String column, String name, Object value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = :").append(name);
      params.put(name, value);
    }
  }

  static Atom map(ResultSet rs, int row) throws SQLException {
    return new Atom(
        rs.getString("atom_id"),
        rs.getString("asset_id"),
        rs.getString("derivation_id"),
        rs.getString("op_type"),
        rs.getString("op_version"),
        rs.getString("params_hash"),
        rs.getLong("ordinal"),
        Json.read(rs.getString("span")),
        rs.getString("text"),
        rs.getString("text_sha256"),
        Json.read(rs.getString("pii_flags")),
        rs.getBoolean("train_ok"),
        Sql.instant(rs, "created_at"));
  }

  /** One atom waiting for its batch's insert: the per-atom columns of {@link #INSERT_ATOMS}. */
  private record Row(
      String atomId,
      long ordinal,
      String span,
      String text,
      String textSha256,
      String flags,
      boolean trainOk) {}

  /** Redacts and stores drafts in batches, within the derivation's transaction. */
  private final class Writer {
    private final Caller caller;
    private final Scope scope;
    private final RawAsset asset;
    private final OffsetDateTime now;
    private final NexusLimits limits;
    private final PiiPipeline.Redactor redactor;
    private final AtomIds.Generator ids;
    private final List<AtomDraft> drafts = new ArrayList<>(BATCH);
    private final List<Row> pending = new ArrayList<>(BATCH);

    /**
     * The redaction flags of the last atom (null for an empty text) and what they made of the
     * asset's.
     */
    private PiiFlags lastRedactionFlags;

    private Map<String, Object> lastFlags;
    private String lastFlagsJson;
    private boolean lastTrainOk;
    private long count;
    long added;

    /** The data subjects (e-mail addresses, phone numbers) the redaction found in the asset. */
    final Set<SubjectIdentifiers> subjects = new LinkedHashSet<>();

    Writer(Caller caller, RawAsset asset, Derivation derivation, Instant now, NexusLimits limits) {
      this.limits = limits;
      this.caller = caller;
      this.scope = caller.scope();
      this.asset = asset;
      this.now = Sql.ts(now);
      this.redactor = pii.redactor(caller);
      this.ids = AtomIds.generator(idKeys, scope, asset.assetId(), asset.sha256(), derivation);
    }

    void accept(AtomDraft draft) {
      if (++count > limits.maxAtomsPerDerivation()) {
        throw new EnginesException(
            422,
            NexusProblems.DERIVATION_TOO_LARGE,
            "The derivation produces more than " + limits.maxAtomsPerDerivation() + " atoms.");
      }
      if (draft.text().length() > limits.maxAtomTextChars()) {
        throw new EnginesException(
            422,
            NexusProblems.DERIVATION_TOO_LARGE,
            "An atom is longer than "
                + limits.maxAtomTextChars()
                + " chars; use a smaller window.");
      }
      drafts.add(draft);
      if (drafts.size() == BATCH) {
        flush();
      }
    }

    /**
     * Redacts the drafts taken since the last flush together (their PII analysis on up to {@code
     * engines.pii.analysis-threads} threads), then turns them into rows in order, so ids, flags and
     * rows come out as one atom at a time would make them.
     */
    private void redactDrafts() {
      List<String> texts = new ArrayList<>(drafts.size());
      for (AtomDraft draft : drafts) {
        if (!draft.text().isEmpty()) {
          texts.add(draft.text());
        }
      }
      Iterator<Redaction> redactions = redactor.redactAll(texts).iterator();
      for (AtomDraft draft : drafts) {
        row(draft, draft.text().isEmpty() ? null : redactions.next());
      }
      drafts.clear();
    }

    private void row(AtomDraft draft, Redaction redaction) {
      String draftSha256 = draft.textSha256();
      String atomId = ids.id(draft, draftSha256);
      String text = redaction == null ? "" : redaction.text();
      PiiFlags redactionFlags = redaction == null ? null : redaction.flags();
      if (redaction != null) {
        collectSubjects(draft.text(), redaction);
      }
      // Most atoms hold no PII: their flags are those of the last atom, merged and written once.
      if (lastFlags == null || !Objects.equals(redactionFlags, lastRedactionFlags)) {
        Map<String, Object> flags = new TreeMap<>(asset.piiFlags());
        boolean trainOk = asset.trainOk();
        if (redactionFlags != null) {
          PiiPipeline.flags(redactionFlags)
              .forEach(
                  (type, value) ->
                      flags.merge(
                          type,
                          value,
                          (a, b) ->
                              a instanceof Number x
                                      && b instanceof Number y
                                      && !"policy_version".equals(type)
                                  ? x.longValue() + y.longValue()
                                  : b));
          trainOk &= redactionFlags.trainOk();
        }
        lastRedactionFlags = redactionFlags;
        lastFlags = flags;
        lastFlagsJson = Json.write(flags);
        lastTrainOk = trainOk;
      }
      // The event describes the atoms written: their flags and train_ok, the asset's included.
      events.pii(caller, lastFlags, lastTrainOk);
      pending.add(
          new Row(
              atomId,
              draft.ordinal(),
              Json.write(draft.span().toMap()),
              text,
              text.equals(draft.text()) ? draftSha256 : Ids.sha256Hex(text),
              lastFlagsJson,
              lastTrainOk));
    }

    private void collectSubjects(String text, Redaction redaction) {
      for (PiiSpan span : redaction.spans()) {
        String kind =
            switch (span.type()) {
              case PiiTypes.EMAIL_ADDRESS -> "email";
              case PiiTypes.PHONE_NUMBER -> "phone";
              default -> null;
            };
        if (kind != null) {
          try {
            subjects.add(
                SubjectIdentifiers.of(Map.of(kind, text.substring(span.start(), span.end()))));
          } catch (IllegalArgumentException e) {
            // A value no GDPR request could name (over 320 chars, a phone without digits).
          }
        }
      }
    }

    void flush() {
      redactDrafts();
      if (pending.isEmpty()) {
        return;
      }
      // Atoms a rerun finds already stored are counted here too: the check errs on the side of
      // refusing.
      quotas.reserve(caller, Quotas.Resource.ATOMS, pending.size());
      added +=
          batch.update(
              INSERT_ATOMS,
              scope.tenantId(),
              scope.env().wire(),
              asset.assetId(),
              ids.opType(),
              ids.opVersion(),
              ids.paramsHash(),
              now,
              pending.stream().map(Row::atomId).toArray(String[]::new),
              pending.stream().map(Row::ordinal).toArray(Long[]::new),
              pending.stream().map(Row::span).toArray(String[]::new),
              pending.stream().map(Row::text).toArray(String[]::new),
              pending.stream().map(Row::textSha256).toArray(String[]::new),
              pending.stream().map(Row::flags).toArray(String[]::new),
              pending.stream().map(Row::trainOk).toArray(Boolean[]::new));
      pending.clear();
    }
  }
}
