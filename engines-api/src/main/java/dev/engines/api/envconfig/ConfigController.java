package dev.engines.api.envconfig;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.config.ConfigActions;
import dev.engines.config.EnvConfigs;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.version.Preconditions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant/env configuration slots ({@code storage}, {@code nexus}, {@code gates}, {@code
 * session}, {@code vector}): admins write new versions and read the current one and the history.
 * Settings hold bucket names, prefixes and limits, never credentials (those stay in the
 * deployment's configuration), but they describe the tenant's infrastructure, so reading is
 * admin-only like writing. The current version is the response's {@code ETag}; sending it back as
 * {@code If-Match} makes a write fail with 412 {@code precondition_failed} when someone else wrote
 * in between.
 */
@RestController
@Tag(
    name = "config",
    description = "Per tenant/env configuration slots (storage, nexus, gates, session, vector)")
public class ConfigController {

  private final EnvConfigs configs;

  public ConfigController(EnvConfigs configs) {
    this.configs = configs;
  }

  /** One slot version on the wire. */
  public record SlotView(
      String slot, int version, Map<String, Object> settings, Instant createdAt, String createdBy) {
    static SlotView of(EnvConfigs.Version v) {
      return new SlotView(v.slot(), v.version(), v.settings(), v.createdAt(), v.createdBy());
    }
  }

  @GetMapping("/v1/config/{slot}")
  @Operation(
      operationId = "getConfigSlot",
      summary =
          "The slot's version in force in this env (409 config_missing when never set); ETag is the version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "config",
      action = "slot.get",
      kind = Kind.READ,
      gate = ConfigActions.SLOT_GET)
  public ResponseEntity<SlotView> get(
      @Parameter(hidden = true) Caller caller, @PathVariable String slot) {
    EnvConfigs.Version current = configs.current(caller, slot);
    return ResponseEntity.ok()
        .eTag(Preconditions.etag(current.version()))
        .body(SlotView.of(current));
  }

  @PutMapping("/v1/config/{slot}")
  @Operation(
      operationId = "updateConfigSlot",
      summary =
          "Write the slot's next version for this env; validated against the deployment's bounds and audited",
      description =
          "storage: {backend, bucket, prefix, max_object_bytes}; nexus: {max_atoms_per_derivation,"
              + " max_atom_text_chars, max_atomize_bytes, atomizers}; gates: {four_eyes}; session: {default_ttl_seconds,"
              + " max_ttl_seconds, max_turns, max_turn_chars, blackboard_max_bytes, blackboard_max_keys}; vector: {max_dimension,"
              + " metrics, models, ingest_gated}. If-Match: the version you read (\"0\": none yet);"
              + " a different current version answers 412 precondition_failed.")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "config",
      action = "slot.update",
      kind = Kind.WRITE,
      gate = ConfigActions.SLOT_UPDATE)
  public ResponseEntity<SlotView> put(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String slot,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) Map<String, Object> body) {
    if (body == null) {
      throw EnginesException.validation(
          "The request body must be a JSON object of the slot's settings.");
    }
    EnvConfigs.Version written = configs.put(caller, slot, body, Preconditions.of(ifMatch, null));
    return ResponseEntity.ok()
        .eTag(Preconditions.etag(written.version()))
        .body(SlotView.of(written));
  }

  @GetMapping("/v1/config/{slot}/versions")
  @Operation(
      operationId = "listConfigSlotVersions",
      summary = "Every version of the slot in this env, newest first")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "config",
      action = "slot.versions",
      kind = Kind.READ,
      gate = ConfigActions.SLOT_VERSIONS)
  public Page<SlotView> versions(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String slot,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    Page<EnvConfigs.Version> page =
        configs.versions(caller, slot, cursor, Cursors.limit(limit, 100));
    return new Page<>(page.items().stream().map(SlotView::of).toList(), page.nextCursor());
  }
}
