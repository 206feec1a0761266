package dev.engines.api.vector;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.vector.VectorActions;
import dev.engines.vector.VectorSpace;
import dev.engines.vector.VectorSpaces;
import dev.engines.vector.Vectors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Vector spaces and their vectors: create, list, read and delete spaces; upsert, read and delete
 * vectors; top-k search with metadata filters (raw distances, nearest first); embed a derivation's
 * atoms with the space's built-in model. Every route needs the env's {@code vector} slot. Upserts
 * and indexing share the action name {@code vector:ingest}, which the slot may gate behind a
 * strategy lock.
 */
@RestController
@Tag(name = "vectors", description = "Vector spaces, vectors and similarity search (pgvector)")
public class VectorController {

  private final VectorSpaces spaces;
  private final Vectors vectors;

  public VectorController(VectorSpaces spaces, Vectors vectors) {
    this.spaces = spaces;
    this.vectors = vectors;
  }

  /**
   * A new vector space.
   *
   * @param model {@code caller} (embeddings come with each request) or a built-in model id
   */
  public record VectorSpaceBody(String name, Integer dimension, String metric, String model) {}

  /** The vectors of an upsert, 1 to 1,000. */
  public record VectorUpsertBody(List<Vectors.VectorItem> items) {}

  /**
   * What to index.
   *
   * @param derivationId the asset's derivation; may be left out when the asset has exactly one
   */
  public record VectorIndexBody(String assetId, String derivationId) {}

  @PostMapping("/v1/vector-spaces")
  @Operation(
      operationId = "createVectorSpace",
      summary = "Create a vector space (201), or answer the same one again (200)",
      description =
          "name ^[a-z][a-z0-9_-]{0,63}$ unique in the env; dimension up to the env's vector slot; metric cosine, l2"
              + " or inner_product; model caller or a built-in model (all-minilm-l6-v2-q: 384). A different definition under an"
              + " existing name is 409 space_exists.")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "vector",
      action = "space.create",
      kind = Kind.WRITE,
      gate = VectorActions.SPACE_CREATE,
      creates = true)
  public ResponseEntity<VectorSpace> create(
      @Parameter(hidden = true) Caller caller,
      @RequestBody(required = false) VectorSpaceBody body) {
    VectorSpaces.Created created =
        body == null
            ? spaces.create(caller, null, null, null, null)
            : spaces.create(caller, body.name(), body.dimension(), body.metric(), body.model());
    return created.created()
        ? ResponseEntity.created(URI.create("/v1/vector-spaces/" + created.space().name()))
            .body(created.space())
        : ResponseEntity.ok(created.space());
  }

  @GetMapping("/v1/vector-spaces")
  @Operation(
      operationId = "listVectorSpaces",
      summary = "The env's vector spaces in name order, with their vector counts")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "vector",
      action = "space.list",
      kind = Kind.READ,
      gate = VectorActions.SPACE_LIST)
  public Page<VectorSpace> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return spaces.list(caller, cursor, Cursors.limit(limit, 100));
  }

  @GetMapping("/v1/vector-spaces/{space}")
  @Operation(operationId = "getVectorSpace", summary = "One vector space with its vector count")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "vector",
      action = "space.get",
      kind = Kind.READ,
      gate = VectorActions.SPACE_GET)
  public VectorSpace get(@Parameter(hidden = true) Caller caller, @PathVariable String space) {
    return spaces.get(caller, space);
  }

  @DeleteMapping("/v1/vector-spaces/{space}")
  @Operation(
      operationId = "deleteVectorSpace",
      summary = "Delete a vector space and every vector in it; answers the space as it was")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "vector",
      action = "space.delete",
      kind = Kind.WRITE,
      gate = VectorActions.SPACE_DELETE)
  public VectorSpace delete(@Parameter(hidden = true) Caller caller, @PathVariable String space) {
    return spaces.delete(caller, space);
  }

  @PutMapping("/v1/vector-spaces/{space}/vectors")
  @Operation(
      operationId = "upsertVectors",
      summary = "Add or replace vectors by id: all items or none",
      description =
          "Each item: id ^[A-Za-z0-9_.:-]{1,200}$; vector (the space's dimension, finite numbers) or text (spaces with"
              + " a built-in model; PII-redacted, embedded, never stored); metadata (flat: strings, numbers, booleans; strings"
              + " PII-redacted); ref {type: atom|asset|external, id}. Any invalid item is a 400 naming it (items[i]...) and nothing"
              + " is written. Items equal to the stored ones are unchanged.")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "vector",
      action = "vector.upsert",
      kind = Kind.WRITE,
      gate = VectorActions.INGEST)
  public Vectors.VectorUpsert upsert(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String space,
      @RequestBody(required = false) VectorUpsertBody body) {
    return vectors.upsert(caller, space, body == null ? null : body.items());
  }

  @GetMapping("/v1/vector-spaces/{space}/vectors/{vectorId}")
  @Operation(
      operationId = "getVector",
      summary = "One vector: its embedding, metadata, ref and PII flags")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "vector",
      action = "vector.get",
      kind = Kind.READ,
      gate = VectorActions.GET)
  public Vectors.StoredVector getVector(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String space,
      @PathVariable String vectorId) {
    return vectors.get(caller, space, vectorId);
  }

  @DeleteMapping("/v1/vector-spaces/{space}/vectors/{vectorId}")
  @Operation(
      operationId = "deleteVector",
      summary = "Delete one vector; answers it as it was, without its embedding")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "vector",
      action = "vector.delete",
      kind = Kind.WRITE,
      gate = VectorActions.DELETE)
  public Vectors.StoredVector deleteVector(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String space,
      @PathVariable String vectorId) {
    return vectors.delete(caller, space, vectorId);
  }

  @PostMapping("/v1/vector-spaces/{space}/search")
  @Operation(
      operationId = "searchVectors",
      summary =
          "The k nearest vectors: raw distances in the space's metric, nearest first, ties by id",
      description =
          "vector or text (spaces with a built-in model), k 1..max, filter {key: value | {in: [...]} | {gt|gte|lt|lte:"
              + " n}} combined with AND, include_vectors. Answers exactly min(k, matching vectors) items; never texts.")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "vector",
      action = "vector.search",
      kind = Kind.READ,
      gate = VectorActions.SEARCH,
      heavy = true)
  public Vectors.VectorSearchResult search(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String space,
      @RequestBody(required = false) Vectors.VectorQuery body) {
    return vectors.search(
        caller, space, body == null ? new Vectors.VectorQuery(null, null, null, null, null) : body);
  }

  @PostMapping("/v1/vector-spaces/{space}/index")
  @Operation(
      operationId = "indexAtoms",
      summary = "Embed a derivation's atoms (their redacted text) with the space's built-in model",
      description =
          "ref {type: atom, id}; atoms the space holds are skipped; at most 500 are embedded per call: call again"
              + " while complete is false.")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "vector",
      action = "vector.index",
      kind = Kind.WRITE,
      gate = VectorActions.INGEST,
      heavy = true,
      creates = true)
  public Vectors.VectorIndexRun index(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String space,
      @RequestBody(required = false) VectorIndexBody body) {
    return vectors.index(
        caller,
        space,
        body == null ? null : body.assetId(),
        body == null ? null : body.derivationId());
  }
}
