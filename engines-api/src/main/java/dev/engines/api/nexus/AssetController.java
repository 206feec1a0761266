package dev.engines.api.nexus;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.NexusActions;
import dev.engines.nexus.NexusProblems;
import dev.engines.nexus.RawAsset;
import dev.engines.nexus.RawAssets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Raw assets: streaming upload, presign + register, metadata reads, content reads, soft delete,
 * derivations and lineage. viewer reads; member writes; admin reconciles storage.
 */
@RestController
@Tag(name = "assets", description = "Raw assets (Nexus) and their storage")
public class AssetController {

  private final RawAssets assets;
  private final Atoms atoms;

  public AssetController(RawAssets assets, Atoms atoms) {
    this.assets = assets;
    this.atoms = atoms;
  }

  /**
   * Body of a presign request.
   *
   * @param sizeBytes the exact size the client will upload
   * @param sha256 the content's sha256, checked at registration
   * @param ttlSeconds how long the URL stays valid (default 900, at most 43200)
   */
  public record PresignBody(
      @NotBlank String filename,
      String contentType,
      @NotNull Long sizeBytes,
      @NotBlank String sha256,
      Instant capturedAt,
      Boolean trainOk,
      Long ttlSeconds) {}

  /**
   * A presigned upload: the pending asset and where to PUT its bytes (the URL is a credential until
   * it expires).
   */
  public record PresignView(RawAsset asset, UploadView upload) {}

  /** The method, URL and headers a client must use. */
  public record UploadView(
      String method, String url, Map<String, String> headers, Instant expiresAt) {}

  /**
   * Body of a derivation.
   *
   * @param opType the atomizer, see {@code GET /v1/atomizers}
   * @param params its params; defaults are filled in and reported back
   */
  public record DeriveBody(String opType, Map<String, Object> params) {}

  /** A derivation run: counts of atoms produced, newly stored and already present. */
  public record DerivationView(
      String derivationId,
      String assetId,
      String opType,
      String opVersion,
      Map<String, Object> params,
      String paramsHash,
      long atoms,
      long added,
      long skipped) {}

  /** Body of a reconcile run. @param graceSeconds leave objects younger than this (default 900) */
  public record ReconcileBody(Long graceSeconds) {}

  /** What a reconcile run removed. */
  public record ReconcileView(int removedObjects) {}

  @PostMapping("/v1/assets")
  @Operation(
      operationId = "uploadAsset",
      summary = "Upload a raw asset: the request body is streamed into storage as is",
      description =
          "The body is the asset's bytes, sent with their own Content-Type (stored as the asset's content_type;"
              + " forms are refused with 415). dedupe answers an existing active asset with the same sha256: 200 instead of 201.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              description = "The raw bytes",
              content =
                  @Content(
                      mediaType = "application/octet-stream",
                      schema = @Schema(type = "string", format = "binary"))),
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "Stored as a new asset",
            content =
                @Content(
                    mediaType = "application/json",
                    schema = @Schema(implementation = RawAsset.class))),
        @ApiResponse(
            responseCode = "200",
            description = "dedupe: the existing active asset with the same sha256",
            content =
                @Content(
                    mediaType = "application/json",
                    schema = @Schema(implementation = RawAsset.class)))
      })
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "storage",
      action = "asset.upload",
      kind = Kind.WRITE,
      gate = NexusActions.STORAGE_UPLOAD,
      heavy = true,
      creates = true)
  public ResponseEntity<RawAsset> upload(
      @Parameter(hidden = true) Caller caller,
      HttpServletRequest request,
      @Parameter(
              required = true,
              description = "The file name, kept as metadata and used in the object key")
          @RequestParam(required = false)
          String filename,
      @Parameter(description = "When the content was captured, ISO-8601")
          @RequestParam(name = "captured_at", required = false)
          String capturedAt,
      @Parameter(description = "The content's sha256 (hex), checked once the body is read")
          @RequestParam(required = false)
          String sha256,
      @Parameter(description = "Whether the content may be used for training (default false)")
          @RequestParam(name = "train_ok", required = false)
          Boolean trainOk,
      @Parameter(
              description =
                  "Answer an existing active asset with the same sha256 instead of storing a copy")
          @RequestParam(required = false)
          Boolean dedupe)
      throws IOException {
    String contentType = request.getContentType();
    String mediaType = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (mediaType.startsWith("application/x-www-form-urlencoded")
        || mediaType.startsWith("multipart/")) {
      throw new EnginesException(
          415,
          NexusProblems.UNSUPPORTED_MEDIA_TYPE,
          "Send the raw bytes with their own content type, not a form.");
    }
    if (filename == null || filename.isBlank()) {
      throw EnginesException.validation("filename is required.");
    }
    long length = request.getContentLengthLong();
    RawAssets.Upload upload =
        new RawAssets.Upload(
            filename,
            contentType,
            instant(capturedAt, "captured_at"),
            length >= 0 ? OptionalLong.of(length) : OptionalLong.empty(),
            sha256,
            Boolean.TRUE.equals(trainOk),
            Boolean.TRUE.equals(dedupe));
    try (InputStream body = request.getInputStream()) {
      RawAssets.Uploaded uploaded = assets.upload(caller, body, upload);
      return uploaded.created()
          ? ResponseEntity.created(URI.create("/v1/assets/" + uploaded.asset().assetId()))
              .body(uploaded.asset())
          : ResponseEntity.ok(uploaded.asset());
    }
  }

  @PostMapping("/v1/assets/presign")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      operationId = "presignAssetUpload",
      summary =
          "Create a pending asset and a presigned upload URL (S3/GCS; the filesystem answers 501 presign_unsupported)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "storage",
      action = "asset.presign",
      kind = Kind.WRITE,
      gate = NexusActions.STORAGE_PRESIGN,
      creates = true)
  public ResponseEntity<PresignView> presign(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody PresignBody body) {
    long ttl = body.ttlSeconds() == null ? 900 : body.ttlSeconds();
    if (ttl < 1) {
      throw EnginesException.validation("ttl_seconds must be positive.");
    }
    RawAssets.Presigned presigned =
        assets.presign(
            caller,
            new RawAssets.Presign(
                body.filename(),
                body.contentType(),
                body.sizeBytes(),
                body.sha256(),
                body.capturedAt(),
                Boolean.TRUE.equals(body.trainOk()),
                Duration.ofSeconds(ttl)));
    var upload = presigned.upload();
    // The pending asset's address: it reads as an asset once the upload is registered.
    return ResponseEntity.created(URI.create("/v1/assets/" + presigned.asset().assetId()))
        .body(
            new PresignView(
                presigned.asset(),
                new UploadView(
                    upload.method(),
                    upload.url().toString(),
                    upload.requiredHeaders(),
                    upload.expiresAt())));
  }

  @PostMapping("/v1/assets/{assetId}/register")
  @Operation(
      operationId = "registerAsset",
      summary =
          "Register a presigned upload: checks the object's size and sha256, then activates the asset")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "storage",
      action = "asset.register",
      kind = Kind.WRITE,
      gate = NexusActions.STORAGE_REGISTER)
  public RawAsset register(@Parameter(hidden = true) Caller caller, @PathVariable String assetId) {
    return assets.register(caller, assetId);
  }

  @GetMapping("/v1/assets")
  @Operation(operationId = "listAssets", summary = "List active assets in asset_id order")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "storage",
      action = "asset.list",
      kind = Kind.READ,
      gate = NexusActions.STORAGE_ASSET_LIST)
  public Page<RawAsset> list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    return assets.list(caller, cursor, Cursors.limit(limit, 100));
  }

  @GetMapping("/v1/assets/{assetId}")
  @Operation(operationId = "getAsset", summary = "Read an asset's metadata (never its content)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "storage",
      action = "asset.get",
      kind = Kind.READ,
      gate = NexusActions.STORAGE_ASSET_GET)
  public RawAsset get(@Parameter(hidden = true) Caller caller, @PathVariable String assetId) {
    return assets.get(caller, assetId);
  }

  @GetMapping("/v1/assets/{assetId}/content")
  @Operation(
      operationId = "getAssetContent",
      summary = "Stream an asset's content; the read is recorded in the ledger",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The bytes, with the asset's content type",
              content =
                  @Content(
                      mediaType = "application/octet-stream",
                      schema = @Schema(type = "string", format = "binary"))))
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "storage",
      action = "asset.read_content",
      kind = Kind.READ,
      gate = NexusActions.STORAGE_READ_CONTENT)
  public void content(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String assetId,
      HttpServletResponse response)
      throws IOException {
    RawAssets.Content content = assets.open(caller, assetId);
    try (InputStream in = content.stream()) {
      RawAsset asset = content.asset();
      response.setStatus(200);
      response.setContentType(asset.contentType());
      response.setContentLengthLong(asset.sizeBytes());
      response.setHeader(
          "Content-Disposition",
          "attachment; filename*=UTF-8''"
              + URLEncoder.encode(asset.filename(), StandardCharsets.UTF_8).replace("+", "%20"));
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader("X-Content-Sha256", asset.sha256());
      OutputStream out = response.getOutputStream();
      in.transferTo(out);
      out.flush();
    }
  }

  @DeleteMapping("/v1/assets/{assetId}")
  @Operation(
      operationId = "deleteAsset",
      summary =
          "Soft-delete an asset: hidden from reads and retrieval at once, purged under retention")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "storage",
      action = "asset.delete",
      kind = Kind.WRITE,
      gate = NexusActions.STORAGE_ASSET_DELETE)
  public RawAsset delete(@Parameter(hidden = true) Caller caller, @PathVariable String assetId) {
    return assets.delete(caller, assetId);
  }

  @PostMapping("/v1/assets/{assetId}/derivations")
  @Operation(
      operationId = "deriveAtoms",
      summary =
          "Atomize an asset: deterministic atoms, PII-redacted before storage; idempotent (added/skipped)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "nexus",
      action = "derivation.run",
      kind = Kind.WRITE,
      gate = NexusActions.DERIVE,
      heavy = true,
      creates = true)
  public DerivationView derive(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String assetId,
      @RequestBody(required = false) DeriveBody body) {
    Atoms.DerivationRun run =
        atoms.derive(
            caller,
            assetId,
            body == null ? null : body.opType(),
            body == null ? null : body.params());
    return new DerivationView(
        run.derivationId(),
        run.assetId(),
        run.derivation().opType(),
        run.derivation().opVersion(),
        run.derivation().params(),
        run.derivation().paramsHash(),
        run.atoms(),
        run.added(),
        run.skipped());
  }

  @GetMapping("/v1/assets/{assetId}/lineage")
  @Operation(operationId = "getAssetLineage", summary = "An asset and every derivation run on it")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "nexus",
      action = "lineage.asset",
      kind = Kind.READ,
      gate = NexusActions.LINEAGE_ASSET)
  public Atoms.AssetLineage lineage(
      @Parameter(hidden = true) Caller caller, @PathVariable String assetId) {
    return atoms.assetLineage(caller, assetId);
  }

  @PostMapping("/v1/storage/reconcile")
  @Operation(
      operationId = "reconcileStorage",
      summary = "Remove objects under this tenant/env that no asset row knows (left by crashes)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "storage",
      action = "storage.reconcile",
      kind = Kind.WRITE,
      gate = NexusActions.STORAGE_RECONCILE)
  public ReconcileView reconcile(
      @Parameter(hidden = true) Caller caller, @RequestBody(required = false) ReconcileBody body) {
    long grace = body == null || body.graceSeconds() == null ? 900 : body.graceSeconds();
    if (grace < 0) {
      throw EnginesException.validation("grace_seconds must not be negative.");
    }
    return new ReconcileView(assets.reconcile(caller, Duration.ofSeconds(grace)));
  }

  static Instant instant(String value, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw EnginesException.validation(
          name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z.");
    }
  }
}
