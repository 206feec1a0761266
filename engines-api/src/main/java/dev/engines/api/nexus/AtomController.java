package dev.engines.api.nexus;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.Trace;
import dev.engines.nexus.Atom;
import dev.engines.nexus.Atoms;
import dev.engines.nexus.NexusActions;
import dev.engines.nexus.RawAsset;
import dev.engines.nexus.UsageLog;
import dev.engines.nexus.atomize.ParamSpec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Atom retrieval (by id, by metadata filters), lineage with "why was this returned", the atomizer
 * catalogue and the usage log. Retrieval order is fixed and documented; nothing ranks.
 */
@RestController
@Tag(name = "atoms", description = "Atoms, lineage and the usage log (Nexus)")
public class AtomController {

  private final Atoms atoms;
  private final UsageLog usage;

  public AtomController(Atoms atoms, UsageLog usage) {
    this.atoms = atoms;
    this.usage = usage;
  }

  /**
   * A page of atoms with the filter that selected them and the order they come in.
   *
   * @param filter the metadata filters applied (every item matched all of them)
   * @param order the documented order
   */
  public record AtomPage(
      List<Atom> items, String nextCursor, Map<String, Object> filter, String order) {}

  /**
   * Why an atom would be returned: its lineage, and for each filter given, whether the atom
   * matches.
   *
   * @param matched whether every given filter matches
   * @param checks per filter, whether the atom satisfies it
   */
  public record Why(Map<String, Object> filter, boolean matched, Map<String, Boolean> checks) {}

  /** An atom's lineage. */
  public record LineageView(
      String atomId,
      long ordinal,
      Map<String, Object> span,
      RawAsset asset,
      Atoms.DerivationInfo derivation,
      Why why) {}

  /** One atomizer of the catalogue. */
  public record AtomizerView(
      String opType,
      String opVersion,
      String description,
      boolean readsWholeContent,
      List<ParamSpec> params) {}

  /** Body of a usage record. */
  public record UsageBody(List<UsageLog.Item> items) {}

  @GetMapping("/v1/atoms")
  @Operation(
      operationId = "listAtoms",
      summary =
          "Atoms by metadata filters (asset_id, derivation_id, op_type, op_version, params_hash, train_ok), in the order asset_id, op_type, op_version, params_hash, ordinal")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "nexus",
      action = "atom.list",
      kind = Kind.READ,
      gate = NexusActions.ATOM_LIST)
  public AtomPage list(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(name = "asset_id", required = false) String assetId,
      @RequestParam(name = "derivation_id", required = false) String derivationId,
      @RequestParam(name = "op_type", required = false) String opType,
      @RequestParam(name = "op_version", required = false) String opVersion,
      @RequestParam(name = "params_hash", required = false) String paramsHash,
      @RequestParam(name = "train_ok", required = false) Boolean trainOk,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    Atoms.Filter filter =
        new Atoms.Filter(assetId, derivationId, opType, opVersion, paramsHash, trainOk);
    Page<Atom> page = atoms.list(caller, filter, cursor, Cursors.limit(limit, 100));
    return new AtomPage(page.items(), page.nextCursor(), filter.asMap(), Atoms.ORDER);
  }

  @GetMapping("/v1/atoms/{atomId}")
  @Operation(
      operationId = "getAtom",
      summary = "One atom: redacted text, span, PII flags and train_ok")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "nexus",
      action = "atom.get",
      kind = Kind.READ,
      gate = NexusActions.ATOM_GET)
  public Atom get(@Parameter(hidden = true) Caller caller, @PathVariable String atomId) {
    return atoms.get(caller, atomId);
  }

  @GetMapping("/v1/atoms/{atomId}/lineage")
  @Operation(
      operationId = "getAtomLineage",
      summary =
          "An atom's parent asset, derivation and span; with filters, which of them the atom matches")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "nexus",
      action = "lineage.atom",
      kind = Kind.READ,
      gate = NexusActions.LINEAGE_ATOM)
  public LineageView lineage(
      @Parameter(hidden = true) Caller caller,
      @PathVariable String atomId,
      @RequestParam(name = "asset_id", required = false) String assetId,
      @RequestParam(name = "derivation_id", required = false) String derivationId,
      @RequestParam(name = "op_type", required = false) String opType,
      @RequestParam(name = "op_version", required = false) String opVersion,
      @RequestParam(name = "params_hash", required = false) String paramsHash,
      @RequestParam(name = "train_ok", required = false) Boolean trainOk) {
    Atoms.Filter filter =
        new Atoms.Filter(assetId, derivationId, opType, opVersion, paramsHash, trainOk);
    Atoms.AtomLineage lineage = atoms.lineage(caller, atomId);
    Map<String, Boolean> checks = filter.check(lineage.atom());
    return new LineageView(
        lineage.atom().atomId(),
        lineage.atom().ordinal(),
        lineage.atom().span(),
        lineage.asset(),
        lineage.derivation(),
        new Why(filter.asMap(), !checks.containsValue(false), checks));
  }

  @GetMapping("/v1/atomizers")
  @Operation(
      operationId = "listAtomizers",
      summary =
          "The atomizers this env may run (its nexus slot): op_type, op_version, params with defaults and bounds")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "nexus",
      action = "atomizer.list",
      kind = Kind.READ,
      gate = NexusActions.ATOMIZER_LIST)
  public List<AtomizerView> atomizers(@Parameter(hidden = true) Caller caller) {
    return atoms.atomizers(caller).stream()
        .map(
            a ->
                new AtomizerView(
                    a.opType(), a.opVersion(), a.description(), a.readsWholeContent(), a.params()))
        .toList();
  }

  @PostMapping("/v1/usage")
  @Operation(
      operationId = "recordUsage",
      summary =
          "Record which cards, atoms or assets were used (ids and timestamps only);"
              + " 200: a batch of usage records is no resource of its own to point a Location at")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "nexus",
      action = "usage.record",
      kind = Kind.WRITE,
      gate = NexusActions.USAGE_RECORD,
      creates = true)
  public UsageLog.Recorded usage(
      @Parameter(hidden = true) Caller caller,
      @Parameter(hidden = true) Trace trace,
      @RequestBody(required = false) UsageBody body) {
    return usage.record(caller, trace.requestId(), body == null ? null : body.items());
  }
}
