package dev.engines.vector;

import com.pgvector.PGvector;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.error.ProblemCodes;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.page.Page;
import dev.engines.core.quota.Quotas;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.gates.GateChain;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import dev.engines.nexus.Atom;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.RawAssets;
import dev.engines.pii.PiiFlags;
import dev.engines.pii.PiiPipeline;
import dev.engines.pii.Redaction;
import dev.engines.vector.embed.Embedder;
import dev.engines.vector.embed.Embedders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The vectors of a space: upsert in batches (all or nothing, unchanged items left alone), read and
 * delete by id, top-k search, and embedding a Nexus derivation's atoms with the space's built-in
 * model. Search returns raw distances in the space's metric, nearest first, ties by id; nothing
 * re-ranks. Every write and search runs in a transaction bound to the caller's tenant/env and names
 * them in its SQL too.
 *
 * <p>How a search runs (docs/adr/vector-search.md): when the space, or the vectors of it that match
 * the filter, number at most {@code engines.vector.search.exact-below}, or no HNSW index exists for
 * the space's dimension, every candidate's distance is computed (exact). Otherwise the shared HNSW
 * index of the dimension and metric is walked with pgvector's iterative scan ({@code
 * relaxed_order}, tenant, env, space and filter applied during the walk); should it still return
 * fewer than {@code k}, the search is repeated exactly. So a search answers {@code min(k, matching
 * vectors)} items.
 *
 * <p>The request's DatasetEvent gets the space and vector a route names in its path as input refs
 * from the API; this service adds the vectors it wrote or deleted and the ids a search returned.
 */
public final class Vectors {

  /** The most items one upsert takes. */
  public static final int MAX_ITEMS = 1000;

  /** The longest text an item or a search may give to a built-in model. */
  public static final int MAX_TEXT_CHARS = 20_000;

  /** The most atoms one index call embeds; the next call carries on. */
  public static final int INDEX_BATCH = 500;

  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,200}$");
  private static final Set<String> REF_TYPES = Set.of("atom", "asset", "external");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<TreeMap<String, Object>> MAP = new TypeReference<>() {};
  private static final String UPSERT =
      "INSERT INTO vectors (tenant_id, env, space_id, vector_id, dimension, metric, embedding,"
          + " metadata, ref_type, ref_id, ref_asset_id, content_sha256, pii_flags, train_ok, created_at, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)"
          + " ON CONFLICT (tenant_id, env, space_id, vector_id) DO UPDATE SET embedding = excluded.embedding,"
          + " metadata = excluded.metadata, ref_type = excluded.ref_type, ref_id = excluded.ref_id,"
          + " ref_asset_id = excluded.ref_asset_id, content_sha256 = excluded.content_sha256, pii_flags = excluded.pii_flags,"
          + " train_ok = excluded.train_ok, updated_at = excluded.updated_at";

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final ScopedTransactions tx;
  private final VectorSpaces spaces;
  private final VectorSlots slots;
  private final VectorSettings settings;
  private final Embedders embedders;
  private final PiiPipeline pii;
  private final Atoms atoms;
  private final RawAssets assets;
  private final EventRecorder events;
  private final Clock clock;
  private final PurgeFence fence;
  private final GateChain gates;
  private final VectorTombstones tombstones;
  private final Quotas quotas;

  Vectors(
      JdbcClient jdbc,
      JdbcTemplate batch,
      ScopedTransactions tx,
      VectorSpaces spaces,
      VectorSlots slots,
      VectorSettings settings,
      Embedders embedders,
      PiiPipeline pii,
      Atoms atoms,
      RawAssets assets,
      EventRecorder events,
      Clock clock,
      PurgeFence fence,
      GateChain gates,
      VectorTombstones tombstones,
      Quotas quotas) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.batch = Objects.requireNonNull(batch, "batch");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.spaces = Objects.requireNonNull(spaces, "spaces");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.embedders = Objects.requireNonNull(embedders, "embedders");
    this.pii = Objects.requireNonNull(pii, "pii");
    this.atoms = Objects.requireNonNull(atoms, "atoms");
    this.assets = Objects.requireNonNull(assets, "assets");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.gates = Objects.requireNonNull(gates, "gates");
    this.tombstones = Objects.requireNonNull(tombstones, "tombstones");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
  }

  /**
   * What a vector points at.
   *
   * @param type {@code atom} or {@code asset} (of this env, active when written; the vector goes
   *     when it is deleted) or {@code external} (recorded as given)
   */
  public record VectorRef(String type, String id) {}

  /**
   * One item of an upsert.
   *
   * @param vector the embedding ({@code dimension} finite numbers); or
   * @param text a text the space's built-in model embeds, after PII redaction (never stored)
   * @param metadata a flat object of strings (PII-redacted before they are stored), numbers and
   *     booleans
   */
  public record VectorItem(
      String id, float[] vector, String text, Map<String, Object> metadata, VectorRef ref) {}

  /**
   * What happened to one item.
   *
   * @param status {@code added}, {@code updated} or {@code unchanged}
   * @param piiFlags what redaction found in its text and metadata (counts per type, policy version)
   */
  public record WrittenVector(
      String id, String status, Map<String, Object> piiFlags, boolean trainOk) {}

  /** What an upsert did, item by item in request order. */
  public record VectorUpsert(
      String space, List<WrittenVector> items, int added, int updated, int unchanged) {}

  /** One stored vector. */
  public record StoredVector(
      String id,
      float[] vector,
      Map<String, Object> metadata,
      VectorRef ref,
      Map<String, Object> piiFlags,
      boolean trainOk,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * A search.
   *
   * @param vector the query vector; or
   * @param text a query text for the space's built-in model (PII-redacted first, never stored)
   * @param k how many nearest vectors, 1 to {@code engines.vector.max-top-k}
   * @param filter metadata conditions ({@link SearchFilter})
   * @param includeVectors whether hits carry their vectors
   */
  public record VectorQuery(
      float[] vector, String text, Integer k, Map<String, Object> filter, Boolean includeVectors) {}

  /**
   * One search hit.
   *
   * @param distance the raw distance in the space's metric
   * @param vector the stored vector, when asked for
   */
  public record VectorHit(
      String id, double distance, Map<String, Object> metadata, VectorRef ref, float[] vector) {}

  /**
   * A search's answer.
   *
   * @param method {@code exact} or {@code hnsw}: how the items were found
   * @param items nearest first, ties by id; {@code min(k, matching vectors)} of them
   */
  public record VectorSearchResult(
      String space, String metric, String method, List<VectorHit> items) {}

  /**
   * What an index call did.
   *
   * @param atoms the derivation's atoms
   * @param embedded atoms embedded and stored by this call
   * @param skipped atoms the space already had (by id)
   * @param complete false when atoms remain: call again to carry on
   */
  public record VectorIndexRun(
      String space,
      String assetId,
      String derivationId,
      long atoms,
      int embedded,
      long skipped,
      boolean complete) {}

  /** An item ready to store: validated, redacted, embedded. */
  private record Prepared(
      String id,
      float[] vector,
      String metadataJson,
      VectorRef ref,
      String sha256,
      Map<String, Object> piiFlags,
      boolean trainOk) {}

  /**
   * Upserts {@code items} into space {@code spaceName}: all of them or, when any is invalid (a 400
   * naming each by its index) or anything fails, none. An item whose vector, metadata and ref are
   * those already stored is left alone ({@code unchanged}).
   */
  public VectorUpsert upsert(Caller caller, String spaceName, List<VectorItem> items) {
    Scope scope = caller.scope();
    VectorSlot slot = slots.vector(caller);
    VectorSpaces.Space space =
        tx.read(caller, () -> spaces.find(scope, spaceName))
            .orElseThrow(VectorProblems::spaceNotFound);
    if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
      throw new InvalidFieldsException(
          "An upsert takes 1 to " + MAX_ITEMS + " items.",
          List.of(new FieldError("items", "must hold 1 to " + MAX_ITEMS + " items")));
    }
    Embedder model = model(space);
    List<FieldError> errors = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      check(items.get(i), "items[" + i + "]", space, model, ids, errors);
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("Some items are invalid; nothing was written.", errors);
    }
    PiiPipeline.Redactor redactor = pii.redactor(caller);
    List<Prepared> prepared = new ArrayList<>(items.size());
    for (VectorItem item : items) {
      prepared.add(prepare(item, model, redactor));
    }
    return ingest(caller, slot, space, prepared);
  }

  /** Vector {@code id} of space {@code spaceName}; 404 for either. */
  public StoredVector get(Caller caller, String spaceName, String id) {
    Scope scope = caller.scope();
    slots.vector(caller);
    return tx.read(
        caller,
        () -> {
          VectorSpaces.Space space =
              spaces.find(scope, spaceName).orElseThrow(VectorProblems::spaceNotFound);
          StoredVector vector = find(scope, space, id).orElseThrow(VectorProblems::vectorNotFound);
          return vector;
        });
  }

  /**
   * Deletes vector {@code id} of space {@code spaceName}, leaving its tombstone; answers it as it
   * was (without its vector).
   */
  public StoredVector delete(Caller caller, String spaceName, String id) {
    Scope scope = caller.scope();
    slots.vector(caller);
    return tx.write(
        caller,
        () -> {
          VectorSpaces.Space space = spaces.lock(scope, spaceName);
          StoredVector vector = find(scope, space, id).orElseThrow(VectorProblems::vectorNotFound);
          jdbc.sql(
                  "DELETE FROM vectors WHERE tenant_id = :t AND env = :e AND space_id = :s AND vector_id = :id")
              .param("t", scope.tenantId())
              .param("e", scope.env().wire())
              .param("s", space.spaceId())
              .param("id", id)
              .update();
          tombstones.vector(scope, space, id);
          events.output(caller, RefType.VECTOR, id);
          return new StoredVector(
              vector.id(),
              null,
              vector.metadata(),
              vector.ref(),
              vector.piiFlags(),
              vector.trainOk(),
              vector.createdAt(),
              vector.updatedAt());
        });
  }

  /**
   * What a pointer to vector {@code vectorId} of space {@code spaceName} finds.
   *
   * @param vector the vector, without its embedding, while it exists; else null, and the vector is
   *     gone: deleted on its own, with its space, or with its Nexus asset
   * @param removedWithAsset the asset a gone vector went with (its reader tells an erased asset
   *     from a deleted one), or null
   */
  public record Located(StoredVector vector, String removedWithAsset) {}

  /**
   * Vector {@code vectorId} of space {@code spaceName} in {@code scope}, or the tombstone of a
   * vector removed within {@code engines.vector.tombstone-retention} (a vector of a space deleted
   * then reads as removed, whatever its id): for callers that keep vectors as pointers (session
   * memory). Runs inside the caller's transaction bound to {@code scope}; needs no slot and records
   * nothing on the request's event. Another tenant's or env's vector finds nothing.
   */
  public Optional<Located> locate(Scope scope, String spaceName, String vectorId) {
    if (vectorId == null || !ID.matcher(vectorId).matches()) {
      return Optional.empty();
    }
    Optional<StoredVector> live =
        spaces.find(scope, spaceName).flatMap(space -> find(scope, space, vectorId));
    if (live.isPresent()) {
      StoredVector v = live.get();
      return Optional.of(
          new Located(
              new StoredVector(
                  v.id(),
                  null,
                  v.metadata(),
                  v.ref(),
                  v.piiFlags(),
                  v.trainOk(),
                  v.createdAt(),
                  v.updatedAt()),
              null));
    }
    return tombstones.find(scope, spaceName, vectorId).map(t -> new Located(null, t.refAssetId()));
  }

  /**
   * The {@code min(k, matching)} nearest vectors of space {@code spaceName}; see the class comment
   * for how. The search runs in one write transaction that does not wait for the WAL flush: the
   * request's DatasetEvent, appended before it commits, is its only write, so a search costs one
   * transaction, not a read and a separate one for its event.
   */
  public VectorSearchResult search(Caller caller, String spaceName, VectorQuery query) {
    Scope scope = caller.scope();
    boolean vectors = Boolean.TRUE.equals(query.includeVectors());
    if (query.text() == null) {
      // A query vector needs no model: slot, space and search share one transaction.
      return tx.writeUnflushed(
          caller,
          () -> {
            slots.vector(caller);
            VectorSpaces.Space space =
                searchSpace(scope, spaceName, query.k()).orElseThrow(VectorProblems::spaceNotFound);
            SearchFilter filter = validate(query, space, null);
            return nearest(caller, space, query.vector(), query.k(), filter, vectors);
          });
    }
    VectorSpaces.Space space =
        tx.read(
                caller,
                () -> {
                  slots.vector(caller);
                  return spaces.find(scope, spaceName);
                })
            .orElseThrow(VectorProblems::spaceNotFound);
    Embedder model = model(space);
    SearchFilter filter = validate(query, space, model);
    // Embedding takes a while: outside any transaction, so it holds no connection.
    float[] q = model.embed(pii.redact(caller, query.text()).text());
    return tx.writeUnflushed(
        caller,
        () -> {
          VectorSpaces.Space now =
              searchSpace(scope, spaceName, query.k()).orElseThrow(VectorProblems::spaceNotFound);
          if (!now.spaceId().equals(space.spaceId())) {
            throw EnginesException.conflict(
                ProblemCodes.CONFLICT,
                "The space "
                    + space.name()
                    + " was deleted and created again"
                    + " while this request ran; send it again.");
          }
          return nearest(caller, now, q, query.k(), filter, vectors);
        });
  }

  /**
   * Space {@code name}, read by the statement that also sets the search's settings for the rest of
   * the transaction (one round trip): custom plans (made for the actual tenant, space and filter
   * values, so the planner weighs a selective filter's few rows), and pgvector's iterative HNSW
   * scan with its bounds; {@code ef_search} is at least {@code k}.
   */
  private Optional<VectorSpaces.Space> searchSpace(Scope scope, String name, Integer k) {
    VectorSettings.Search search = settings.search();
    int ef = Math.max(search.efSearch(), k == null ? 0 : Math.min(k, settings.maxTopK()));
    SequencedMap<String, String> values = new LinkedHashMap<>();
    values.put("plan_cache_mode", "force_custom_plan");
    values.put("hnsw.iterative_scan", "relaxed_order");
    values.put("hnsw.ef_search", Integer.toString(ef));
    values.put("hnsw.max_scan_tuples", Integer.toString(search.maxScanTuples()));
    return spaces.find(scope, name, values);
  }

  /** The space's built-in model, or null for a {@value VectorSlot#CALLER} space. */
  private Embedder model(VectorSpaces.Space space) {
    if (VectorSlot.CALLER.equals(space.model())) {
      return null;
    }
    return embedders
        .get(space.model())
        .orElseThrow(
            () ->
                EnginesException.conflict(
                    VectorProblems.MODEL_MISMATCH,
                    "The model "
                        + space.model()
                        + " of space "
                        + space.name()
                        + " is not offered by this deployment any more."));
  }

  /** The query's filter; 400 naming every invalid field of the query. */
  private SearchFilter validate(VectorQuery query, VectorSpaces.Space space, Embedder model) {
    List<FieldError> errors = new ArrayList<>();
    if (query.k() == null || query.k() < 1 || query.k() > settings.maxTopK()) {
      errors.add(new FieldError("k", "is required: 1 to " + settings.maxTopK()));
    }
    if ((query.vector() == null) == (query.text() == null)) {
      errors.add(new FieldError("vector", "give either vector or text"));
    } else if (query.vector() != null) {
      checkVector(query.vector(), "vector", space, errors);
    } else {
      checkText(query.text(), "text", model, errors);
    }
    SearchFilter filter = SearchFilter.NONE;
    try {
      filter = SearchFilter.parse(query.filter());
    } catch (InvalidFieldsException e) {
      errors.addAll(e.errors());
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The search is invalid.", errors);
    }
    return filter;
  }

  /**
   * Inside the search's transaction, its settings made ({@link #searchSpace}): exact or HNSW, as
   * the class comment says.
   */
  private VectorSearchResult nearest(
      Caller caller,
      VectorSpaces.Space space,
      float[] q,
      int k,
      SearchFilter filter,
      boolean vectors) {
    Scope scope = caller.scope();
    String method = "exact";
    List<VectorHit> hits;
    if (!VectorSpaces.INDEXED_DIMENSIONS.contains(space.dimension())) {
      hits = exact(scope, space, q, k, filter, vectors);
    } else {
      hits = exactIfSmall(scope, space, q, k, filter, vectors);
      if (hits == null) {
        method = "hnsw";
        hits = approximate(scope, space, q, k, filter, vectors);
        if (hits.size() < k) {
          method = "exact";
          hits = exact(scope, space, q, k, filter, vectors);
        }
      }
    }
    hits.forEach(h -> events.output(caller, RefType.VECTOR, h.id()));
    return new VectorSearchResult(space.name(), space.metric(), method, hits);
  }

  /**
   * Embeds the atoms of a derivation of asset {@code assetId} into space {@code spaceName} (whose
   * model must be a built-in one) with {@code ref: {type: atom, id}}; atoms the space already holds
   * (by id) are skipped, and at most {@value #INDEX_BATCH} are embedded per call.
   *
   * @param derivationId null when the asset has exactly one derivation
   */
  public VectorIndexRun index(
      Caller caller, String spaceName, String assetId, String derivationId) {
    Scope scope = caller.scope();
    VectorSlot slot = slots.vector(caller);
    VectorSpaces.Space space =
        tx.read(caller, () -> spaces.find(scope, spaceName))
            .orElseThrow(VectorProblems::spaceNotFound);
    if (VectorSlot.CALLER.equals(space.model())) {
      throw EnginesException.conflict(
          VectorProblems.MODEL_MISMATCH,
          "The space "
              + space.name()
              + " takes its embeddings from the caller; indexing needs a space with a built-in model.");
    }
    if (assetId == null) {
      throw new InvalidFieldsException(
          "asset_id is required.", List.of(new FieldError("asset_id", "is required")));
    }
    Embedder model = model(space);
    Atoms.AssetLineage lineage = atoms.assetLineage(caller, assetId);
    Atoms.DerivationInfo derivation = derivation(lineage, derivationId);
    Atoms.Filter filter =
        new Atoms.Filter(assetId, derivation.derivationId(), null, null, null, null);
    List<Prepared> prepared = new ArrayList<>();
    long skipped = 0;
    boolean complete = true;
    String cursor = null;
    do {
      Page<Atom> page = atoms.list(caller, filter, cursor, INDEX_BATCH);
      Set<String> present =
          existing(caller, space, page.items().stream().map(Atom::atomId).toList());
      for (Atom atom : page.items()) {
        if (present.contains(atom.atomId())) {
          skipped++;
        } else if (prepared.size() < INDEX_BATCH) {
          prepared.add(prepareAtom(atom, derivation, model));
        } else {
          complete = false;
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null && complete);
    if (prepared.isEmpty()) {
      return new VectorIndexRun(
          space.name(),
          assetId,
          derivation.derivationId(),
          derivation.atomCount(),
          0,
          skipped,
          complete);
    }
    VectorUpsert written = ingest(caller, slot, space, prepared);
    return new VectorIndexRun(
        space.name(),
        assetId,
        derivation.derivationId(),
        derivation.atomCount(),
        written.added() + written.updated(),
        skipped + written.unchanged(),
        complete);
  }

  private static Atoms.DerivationInfo derivation(Atoms.AssetLineage lineage, String derivationId) {
    if (derivationId != null) {
      return lineage.derivations().stream()
          .filter(d -> d.derivationId().equals(derivationId))
          .findFirst()
          .orElseThrow(() -> EnginesException.notFound("Derivation"));
    }
    if (lineage.derivations().size() != 1) {
      throw new InvalidFieldsException(
          "The asset has " + lineage.derivations().size() + " derivations; name one.",
          List.of(
              new FieldError(
                  "derivation_id", "is required when the asset has no or several derivations")));
    }
    return lineage.derivations().getFirst();
  }

  private void check(
      VectorItem item,
      String path,
      VectorSpaces.Space space,
      Embedder model,
      Set<String> ids,
      List<FieldError> errors) {
    if (item == null) {
      errors.add(new FieldError(path, "must be an object"));
      return;
    }
    if (item.id() == null || !ID.matcher(item.id()).matches()) {
      errors.add(
          new FieldError(path + ".id", "is required: 1 to 200 letters, digits or _.:- characters"));
    } else if (!ids.add(item.id())) {
      errors.add(new FieldError(path + ".id", "is given twice in this batch"));
    }
    if ((item.vector() == null) == (item.text() == null)) {
      errors.add(new FieldError(path + ".vector", "give either vector or text"));
    } else if (item.vector() != null) {
      checkVector(item.vector(), path + ".vector", space, errors);
    } else {
      checkText(item.text(), path + ".text", model, errors);
    }
    if (item.metadata() != null) {
      Metadata.check(item.metadata(), path + ".metadata", errors);
    }
    if (item.ref() != null) {
      if (item.ref().type() == null || !REF_TYPES.contains(item.ref().type())) {
        errors.add(new FieldError(path + ".ref.type", "must be atom, asset or external"));
      }
      if (item.ref().id() == null || !ID.matcher(item.ref().id()).matches()) {
        errors.add(
            new FieldError(
                path + ".ref.id", "is required: 1 to 200 letters, digits or _.:- characters"));
      }
    }
  }

  private static void checkVector(
      float[] vector, String path, VectorSpaces.Space space, List<FieldError> errors) {
    if (vector.length != space.dimension()) {
      errors.add(
          new FieldError(
              path,
              "must hold "
                  + space.dimension()
                  + " numbers (the space's dimension), not "
                  + vector.length));
      return;
    }
    boolean zero = true;
    for (int j = 0; j < vector.length; j++) {
      if (!Float.isFinite(vector[j])) {
        errors.add(
            new FieldError(
                path + "[" + j + "]", "must be a finite number within the 32-bit float range"));
        return;
      }
      zero &= vector[j] == 0f;
    }
    if (zero && Metric.COSINE.wire().equals(space.metric())) {
      errors.add(
          new FieldError(path, "must not be all zeros: a cosine distance to it is undefined"));
    }
  }

  private static void checkText(String text, String path, Embedder model, List<FieldError> errors) {
    if (model == null) {
      errors.add(
          new FieldError(
              path,
              "is refused: this space's embeddings come from the caller (model caller); send vector"));
    } else if (text.isBlank() || text.length() > MAX_TEXT_CHARS) {
      errors.add(new FieldError(path, "must be 1 to " + MAX_TEXT_CHARS + " chars, not blank"));
    }
  }

  private Prepared prepare(VectorItem item, Embedder model, PiiPipeline.Redactor redactor) {
    Flags flags = new Flags();
    TreeMap<String, Object> metadata = new TreeMap<>();
    if (item.metadata() != null) {
      item.metadata()
          .forEach(
              (key, value) ->
                  metadata.put(
                      key, value instanceof String s ? flags.add(redactor.redact(s)) : value));
    }
    float[] vector =
        item.vector() != null
            ? item.vector()
            : model.embed(flags.add(redactor.redact(item.text())));
    return prepared(item.id(), vector, metadata, item.ref(), flags.map(), flags.trainOk);
  }

  private Prepared prepareAtom(Atom atom, Atoms.DerivationInfo derivation, Embedder model) {
    // Lineage ids and the position, for filters; no free text (the atom's text is already
    // redacted).
    TreeMap<String, Object> metadata =
        new TreeMap<>(
            Map.of(
                "asset_id",
                atom.assetId(),
                "derivation_id",
                derivation.derivationId(),
                "ordinal",
                atom.ordinal()));
    return prepared(
        atom.atomId(),
        model.embed(atom.text()),
        metadata,
        new VectorRef("atom", atom.atomId()),
        atom.piiFlags(),
        atom.trainOk());
  }

  private static Prepared prepared(
      String id,
      float[] vector,
      TreeMap<String, Object> metadata,
      VectorRef ref,
      Map<String, Object> piiFlags,
      boolean trainOk) {
    String metadataJson = JSON.writeValueAsString(metadata);
    MessageDigest digest = sha256();
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4);
    for (float x : vector) {
      bytes.putInt(Float.floatToIntBits(x));
    }
    digest.update(bytes.array());
    for (String part :
        new String[] {metadataJson, ref == null ? "" : ref.type(), ref == null ? "" : ref.id()}) {
      digest.update((byte) 0);
      digest.update(part.getBytes(StandardCharsets.UTF_8));
    }
    return new Prepared(
        id,
        vector,
        metadataJson,
        ref,
        HexFormat.of().formatHex(digest.digest()),
        new TreeMap<>(piiFlags),
        trainOk);
  }

  /**
   * Writes {@code prepared} in one transaction: through the gate chain when the env's slot gates
   * {@value VectorActions#INGEST} (kill switch, an approved strategy lock listing it, then an audit
   * entry naming the lock), else directly.
   */
  private VectorUpsert ingest(
      Caller caller, VectorSlot slot, VectorSpaces.Space space, List<Prepared> prepared) {
    if (!slot.ingestGated()) {
      return tx.write(caller, () -> write(caller, space, prepared));
    }
    return gates.run(
        caller,
        VectorActions.INGEST,
        null,
        () -> {
          VectorUpsert written = write(caller, space, prepared);
          return new GateChain.Audited<>(
              written,
              "vector.ingest",
              "vector_space",
              space.spaceId(),
              Map.of(
                  "space", space.name(), "added", written.added(), "updated", written.updated()));
        });
  }

  /**
   * Inside the ingest's write transaction: refs resolved, items classified, changed ones written.
   */
  private VectorUpsert write(Caller caller, VectorSpaces.Space expected, List<Prepared> prepared) {
    Scope scope = caller.scope();
    fence.requireOpen(scope);
    VectorSpaces.Space space = spaces.lock(scope, expected.name());
    if (!space.spaceId().equals(expected.spaceId())) {
      throw EnginesException.conflict(
          ProblemCodes.CONFLICT,
          "The space "
              + space.name()
              + " was deleted and created again"
              + " while this request ran; send it again.");
    }
    Map<String, String> refAssets = refAssets(scope, prepared);
    Map<String, String> stored = new HashMap<>();
    for (int from = 0; from < prepared.size(); from += MAX_ITEMS) {
      String[] ids =
          prepared.subList(from, Math.min(prepared.size(), from + MAX_ITEMS)).stream()
              .map(Prepared::id)
              .toArray(String[]::new);
      jdbc.sql(
              "SELECT vector_id, content_sha256 FROM vectors WHERE tenant_id = :t AND env = :e AND space_id = :s"
                  + " AND vector_id = ANY (:ids)")
          .param("t", scope.tenantId())
          .param("e", scope.env().wire())
          .param("s", space.spaceId())
          .param("ids", ids)
          .query((rs, n) -> Map.entry(rs.getString("vector_id"), rs.getString("content_sha256")))
          .list()
          .forEach(e -> stored.put(e.getKey(), e.getValue()));
    }
    OffsetDateTime now = Sql.ts(clock.instant());
    List<WrittenVector> written = new ArrayList<>(prepared.size());
    List<Object[]> rows = new ArrayList<>();
    int added = 0;
    int updated = 0;
    for (Prepared p : prepared) {
      String before = stored.get(p.id());
      String status =
          before == null ? "added" : before.equals(p.sha256()) ? "unchanged" : "updated";
      switch (status) {
        case "added" -> added++;
        case "updated" -> updated++;
        default -> {}
      }
      if (!status.equals("unchanged")) {
        rows.add(
            new Object[] {
              scope.tenantId(),
              scope.env().wire(),
              space.spaceId(),
              p.id(),
              space.dimension(),
              space.metric(),
              new PGvector(p.vector()),
              p.metadataJson(),
              p.ref() == null ? null : p.ref().type(),
              p.ref() == null ? null : p.ref().id(),
              refAssets.get(p.id()),
              p.sha256(),
              JSON.writeValueAsString(p.piiFlags()),
              p.trainOk(),
              now,
              now
            });
        events.output(caller, RefType.VECTOR, p.id());
      }
      written.add(new WrittenVector(p.id(), status, p.piiFlags(), p.trainOk()));
    }
    if (!rows.isEmpty()) {
      quotas.reserve(caller, Quotas.Resource.VECTORS, added);
      batch.batchUpdate(UPSERT, rows);
      syncMetadata(scope, space, rows.stream().map(row -> (String) row[3]).toArray(String[]::new));
    }
    if (added > 0) {
      tombstones.revived(
          scope,
          space.name(),
          written.stream()
              .filter(w -> w.status().equals("added"))
              .map(WrittenVector::id)
              .toArray(String[]::new));
    }
    return new VectorUpsert(
        space.name(), written, added, updated, prepared.size() - added - updated);
  }

  /**
   * Replaces the filterable metadata rows ({@code vector_metadata}, V63) of the vectors {@code ids}
   * with those their stored metadata gives, in the writing transaction; a deleted vector's rows go
   * with it (the foreign key cascades).
   */
  private void syncMetadata(Scope scope, VectorSpaces.Space space, String[] ids) {
    jdbc.sql(
            "DELETE FROM vector_metadata WHERE tenant_id = :t AND env = :e AND space_id = :s AND vector_id = ANY (:ids)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("s", space.spaceId())
        .param("ids", ids)
        .update();
    jdbc.sql(
            "INSERT INTO vector_metadata (tenant_id, env, space_id, vector_id, key, value_sha256, value_number, value_key,"
                + " value_bool) SELECT tenant_id, env, space_id, vector_id, key, value_sha256, value_number, value_key, value_bool"
                + " FROM vector_metadata_source WHERE tenant_id = :t AND env = :e AND space_id = :s AND vector_id = ANY (:ids)")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("s", space.spaceId())
        .param("ids", ids)
        .update();
  }

  /**
   * The asset each atom or asset ref belongs to; 400 naming every item whose ref names nothing
   * active here.
   */
  private Map<String, String> refAssets(Scope scope, List<Prepared> prepared) {
    Set<String> atomIds = new HashSet<>();
    Set<String> assetIds = new HashSet<>();
    for (Prepared p : prepared) {
      if (p.ref() != null && p.ref().type().equals("atom")) {
        atomIds.add(p.ref().id());
      } else if (p.ref() != null && p.ref().type().equals("asset")) {
        assetIds.add(p.ref().id());
      }
    }
    Map<String, String> parents =
        atomIds.isEmpty() ? Map.of() : atoms.activeParents(scope, atomIds);
    Set<String> active = assetIds.isEmpty() ? Set.of() : assets.activeIds(scope, assetIds);
    Map<String, String> byItem = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < prepared.size(); i++) {
      Prepared p = prepared.get(i);
      if (p.ref() == null || p.ref().type().equals("external")) {
        continue;
      }
      String asset =
          p.ref().type().equals("atom")
              ? parents.get(p.ref().id())
              : active.contains(p.ref().id()) ? p.ref().id() : null;
      if (asset == null) {
        errors.add(
            new FieldError(
                "items[" + i + "].ref.id",
                "names no " + p.ref().type() + " of an active asset in this env"));
      } else {
        byItem.put(p.id(), asset);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException(
          "Some items' refs name nothing in this env; nothing was written.", errors);
    }
    return byItem;
  }

  private Set<String> existing(Caller caller, VectorSpaces.Space space, List<String> ids) {
    Scope scope = caller.scope();
    if (ids.isEmpty()) {
      return Set.of();
    }
    return tx.read(
        caller,
        () ->
            Set.copyOf(
                jdbc.sql(
                        "SELECT vector_id FROM vectors WHERE tenant_id = :t AND env = :e"
                            + " AND space_id = :s AND vector_id = ANY (:ids)")
                    .param("t", scope.tenantId())
                    .param("e", scope.env().wire())
                    .param("s", space.spaceId())
                    .param("ids", ids.toArray(String[]::new))
                    .query(String.class)
                    .list()));
  }

  /**
   * The exact search when the space's vectors that match {@code filter} number at most {@code
   * engines.vector.search.exact-below}, else null: one statement counts them (up to one past the
   * bound) and, only when the count is within it, measures them all.
   */
  private List<VectorHit> exactIfSmall(
      Scope scope,
      VectorSpaces.Space space,
      float[] q,
      int k,
      SearchFilter filter,
      boolean vectors) {
    String operator = Metric.parse(space.metric()).orElseThrow().operator();
    String where =
        " FROM vectors WHERE tenant_id = :t AND env = :e AND space_id = :s" + filter.sql();
    int bound = settings.search().exactBelow();
    long[] candidates = new long[1];
    // The count is one row; the search joins it only when the count is within the bound (a one-time
    // filter, so a large space is not read twice).
    List<VectorHit> hits =
        jdbc.sql(
                "SELECT c.n, h.* FROM (SELECT count(*) AS n FROM (SELECT 1"
                    + where
                    + " LIMIT :over) x) c"
                    + " LEFT JOIN LATERAL (SELECT vector_id, metadata, ref_type, ref_id, embedding "
                    + operator
                    + " :q AS distance"
                    + (vectors ? ", embedding" : "")
                    + where
                    + " AND c.n <= :bound ORDER BY distance, vector_id LIMIT :k) h ON true"
                    + " ORDER BY h.distance, h.vector_id")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("s", space.spaceId())
            .param("q", new PGvector(q))
            .params(filter.params())
            .param("over", bound + 1)
            .param("bound", bound)
            .param("k", k)
            .query(
                (rs, n) -> {
                  candidates[0] = rs.getLong("n");
                  return rs.getString("vector_id") == null ? null : hit(rs, vectors);
                })
            .list();
    if (candidates[0] > bound) {
      return null;
    }
    return hits.stream().filter(Objects::nonNull).toList();
  }

  private List<VectorHit> exact(
      Scope scope,
      VectorSpaces.Space space,
      float[] q,
      int k,
      SearchFilter filter,
      boolean vectors) {
    String operator = Metric.parse(space.metric()).orElseThrow().operator();
    // Ordering by (distance, id) keeps the planner off the HNSW index: every candidate is measured.
    return jdbc.sql(
            "SELECT vector_id, metadata, ref_type, ref_id, embedding "
                + operator
                + " :q AS distance"
                + (vectors ? ", embedding" : "")
                + " FROM vectors WHERE tenant_id = :t AND env = :e AND space_id = :s"
                + filter.sql()
                + " ORDER BY distance, vector_id LIMIT :k")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("s", space.spaceId())
        .param("q", new PGvector(q))
        .params(filter.params())
        .param("k", k)
        .query((rs, n) -> hit(rs, vectors))
        .list();
  }

  private List<VectorHit> approximate(
      Scope scope,
      VectorSpaces.Space space,
      float[] q,
      int k,
      SearchFilter filter,
      boolean vectors) {
    // The dimension and metric are literals (from the space row, an int and an enum name), so the
    // planner can prove the partial index's predicate; every value a caller sent is a parameter.
    Metric metric = Metric.parse(space.metric()).orElseThrow();
    String indexed = "(embedding::vector(" + space.dimension() + "))";
    String distance = indexed + " " + metric.operator() + " :q";
    return jdbc.sql(
            "WITH ann AS MATERIALIZED (SELECT vector_id, metadata, ref_type, ref_id, "
                + distance
                + " AS distance"
                + (vectors ? ", embedding" : "")
                + " FROM vectors WHERE tenant_id = :t AND env = :e AND space_id = :s"
                + " AND dimension = "
                + space.dimension()
                + " AND metric = '"
                + metric.wire()
                + "'"
                + filter.sql()
                + " ORDER BY "
                + distance
                + " LIMIT :k)"
                // relaxed_order may hand rows back slightly out of order: sort what it found.
                + " SELECT * FROM ann ORDER BY distance, vector_id")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("s", space.spaceId())
        .param("q", new PGvector(q))
        .params(filter.params())
        .param("k", k)
        .query((rs, n) -> hit(rs, vectors))
        .list();
  }

  private Optional<StoredVector> find(Scope scope, VectorSpaces.Space space, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT * FROM vectors WHERE tenant_id = :t AND env = :e AND space_id = :s AND vector_id = :id")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("s", space.spaceId())
        .param("id", id)
        .query(
            (rs, n) ->
                new StoredVector(
                    rs.getString("vector_id"),
                    floats(rs, "embedding"),
                    json(rs, "metadata"),
                    ref(rs),
                    json(rs, "pii_flags"),
                    rs.getBoolean("train_ok"),
                    Sql.instant(rs, "created_at"),
                    Sql.instant(rs, "updated_at")))
        .optional();
  }

  private static VectorHit hit(ResultSet rs, boolean vectors) throws SQLException {
    return new VectorHit(
        rs.getString("vector_id"),
        rs.getDouble("distance"),
        json(rs, "metadata"),
        ref(rs),
        vectors ? floats(rs, "embedding") : null);
  }

  private static VectorRef ref(ResultSet rs) throws SQLException {
    String type = rs.getString("ref_type");
    return type == null ? null : new VectorRef(type, rs.getString("ref_id"));
  }

  private static Map<String, Object> json(ResultSet rs, String column) throws SQLException {
    return JSON.readValue(rs.getString(column), MAP);
  }

  private static float[] floats(ResultSet rs, String column) throws SQLException {
    return new PGvector(rs.getString(column)).toArray();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The PII flags of one item: counts summed over its texts, the policy version, train_ok of them
   * all.
   */
  private static final class Flags {
    private final TreeMap<String, Object> counts = new TreeMap<>();
    private boolean trainOk = true;

    String add(Redaction redaction) {
      PiiFlags flags = redaction.flags();
      flags
          .counts()
          .forEach(
              (type, n) ->
                  counts.merge(
                      type,
                      n.longValue(),
                      (a, b) -> ((Number) a).longValue() + ((Number) b).longValue()));
      counts.put("policy_version", flags.policyVersion());
      trainOk &= flags.trainOk();
      return redaction.text();
    }

    Map<String, Object> map() {
      return counts;
    }
  }
}
