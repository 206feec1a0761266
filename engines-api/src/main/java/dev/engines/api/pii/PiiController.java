package dev.engines.api.pii;

import dev.engines.api.web.RoutePolicy;
import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.error.EnginesException;
import dev.engines.core.page.Cursors;
import dev.engines.core.page.Page;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.version.Preconditions;
import dev.engines.pii.MaskSettings;
import dev.engines.pii.PiiActions;
import dev.engines.pii.PiiPipeline;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.Redaction;
import dev.engines.pii.Reidentifier;
import dev.engines.pii.policy.PiiPolicies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * PII analysis and redaction through the tenant/env's policy, policy and list management, and
 * audited re-identification. Texts sent here are never stored, logged or put in events: only counts
 * per type and the policy version reach the request's DatasetEvent. The policy and the lists are
 * versioned: the version in force is the {@code ETag}, and a write under {@code If-Match} with
 * another version answers 412 {@code precondition_failed}.
 */
@RestController
@Tag(name = "pii", description = "PII analysis, redaction, policies and lists")
public class PiiController {

  private final PiiPipeline pipeline;
  private final PiiPolicies policies;
  private final Reidentifier reidentifier;

  public PiiController(PiiPipeline pipeline, PiiPolicies policies, Reidentifier reidentifier) {
    this.pipeline = pipeline;
    this.policies = policies;
    this.reidentifier = reidentifier;
  }

  /** A text to analyse or redact. */
  public record TextBody(@NotNull String text) {}

  /** A detected span: offsets in chars into the text sent, never the text itself. */
  public record SpanView(String type, int start, int end, double score) {
    static SpanView of(PiiSpan s) {
      return new SpanView(s.type(), s.start(), s.end(), s.score());
    }
  }

  /** What analysis found. */
  public record AnalyzeView(List<SpanView> spans, Map<String, Object> piiFlags, boolean trainOk) {}

  /** A redacted text with what was found. */
  public record RedactView(
      String text, List<SpanView> spans, Map<String, Object> piiFlags, boolean trainOk) {}

  /** Mask settings on the wire. */
  public record MaskView(
      @NotNull String maskChar, @NotNull Integer charsToMask, @NotNull Boolean fromEnd) {}

  /** A policy version on the wire. */
  public record PolicyView(
      int version,
      String source,
      String defaultOperator,
      Map<String, String> operators,
      MaskView mask,
      Instant createdAt,
      String createdBy) {

    static PolicyView of(PiiPolicies.PolicyVersion v) {
      Map<String, String> operators = new TreeMap<>();
      v.policy().operators().forEach((type, op) -> operators.put(type, PiiPolicies.wire(op)));
      MaskSettings m = v.policy().mask();
      return new PolicyView(
          v.policy().version(),
          v.source(),
          PiiPolicies.wire(v.policy().defaultOperator()),
          operators,
          new MaskView(String.valueOf(m.maskChar()), m.charsToMask(), m.fromEnd()),
          v.createdAt(),
          v.createdBy());
    }
  }

  /** Body of a policy change. */
  public record PolicyBody(
      @NotBlank String defaultOperator, Map<String, String> operators, @Valid MaskView mask) {}

  /** Lists on the wire. */
  public record ListsView(
      int version,
      List<String> allow,
      List<String> deny,
      String denyType,
      Instant createdAt,
      String createdBy) {}

  /** Body of a list change. */
  public record ListsBody(
      @NotNull List<String> allow, @NotNull List<String> deny, String denyType) {}

  /** Body of a re-identification. */
  public record ReidentifyBody(@NotBlank String token) {}

  /** The value behind a token. */
  public record ReidentifyView(String type, String value, String auditEntryId) {}

  @PostMapping("/v1/pii/analyze")
  @Operation(
      operationId = "analyzeText",
      summary =
          "Find PII spans (type, char offsets, score) under this tenant/env's lists; nothing is stored")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.VIEWER,
      surface = "pii",
      action = "text.analyze",
      kind = Kind.READ,
      gate = PiiActions.ANALYZE)
  public AnalyzeView analyze(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody TextBody body) {
    // The flags are those recorded on the request's event, under the policy version the analysis
    // used.
    PiiPipeline.Analysis analysis = pipeline.analyze(caller, body.text());
    return new AnalyzeView(
        analysis.spans().stream().map(SpanView::of).toList(),
        PiiPipeline.flags(analysis.flags()),
        analysis.flags().trainOk());
  }

  @PostMapping("/v1/pii/redact")
  @Operation(
      operationId = "redactText",
      summary =
          "Redact a text under this tenant/env's policy; nothing is stored (413 pii_input_too_large, 503 pii_unavailable)")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.MEMBER,
      surface = "pii",
      action = "text.redact",
      kind = Kind.READ,
      gate = PiiActions.REDACT)
  public RedactView redact(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody TextBody body) {
    Redaction r = pipeline.redact(caller, body.text());
    return new RedactView(
        r.text(),
        r.spans().stream().map(SpanView::of).toList(),
        PiiPipeline.flags(r.flags()),
        r.flags().trainOk());
  }

  @GetMapping("/v1/pii/policy")
  @Operation(
      operationId = "getPiiPolicy",
      summary =
          "The redaction policy in force (version 1 is the system default); ETag is its version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "pii",
      action = "policy.get",
      kind = Kind.READ,
      gate = PiiActions.POLICY_GET)
  public ResponseEntity<PolicyView> policy(@Parameter(hidden = true) Caller caller) {
    return versioned(PolicyView.of(policies.current(caller)));
  }

  @PutMapping("/v1/pii/policy")
  @Operation(
      operationId = "updatePiiPolicy",
      summary =
          "Write a new policy version: operator per entity type, default operator, mask settings; audited;"
              + " If-Match: the version you read → 412 precondition_failed when another was written since")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "pii",
      action = "policy.update",
      kind = Kind.WRITE,
      gate = PiiActions.POLICY_UPDATE)
  public ResponseEntity<PolicyView> putPolicy(
      @Parameter(hidden = true) Caller caller,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody PolicyBody body) {
    Preconditions preconditions = Preconditions.of(ifMatch, null);
    MaskSettings mask = null;
    if (body.mask() != null) {
      if (body.mask().maskChar().length() != 1 || body.mask().charsToMask() < 1) {
        throw EnginesException.validation(
            "mask.mask_char is one char and mask.chars_to_mask at least 1.");
      }
      mask =
          new MaskSettings(
              body.mask().maskChar().charAt(0), body.mask().charsToMask(), body.mask().fromEnd());
    }
    return versioned(
        PolicyView.of(
            policies.put(
                caller,
                new PiiPolicies.PolicyChange(body.defaultOperator(), body.operators(), mask),
                preconditions)));
  }

  @GetMapping("/v1/pii/policy/versions")
  @Operation(operationId = "listPiiPolicyVersions", summary = "Every policy version, newest first")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "pii",
      action = "policy.versions",
      kind = Kind.READ,
      gate = PiiActions.POLICY_VERSIONS)
  public Page<PolicyView> versions(
      @Parameter(hidden = true) Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    Page<PiiPolicies.PolicyVersion> page =
        policies.versions(caller, cursor, Cursors.limit(limit, 100));
    return new Page<>(page.items().stream().map(PolicyView::of).toList(), page.nextCursor());
  }

  @GetMapping("/v1/pii/lists")
  @Operation(
      operationId = "getPiiLists",
      summary =
          "The allow and deny lists in force (version 0: none written yet); ETag is their version")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "pii",
      action = "lists.get",
      kind = Kind.READ,
      gate = PiiActions.LISTS_GET)
  public ResponseEntity<ListsView> lists(@Parameter(hidden = true) Caller caller) {
    return versioned(view(policies.lists(caller)));
  }

  @PutMapping("/v1/pii/lists")
  @Operation(
      operationId = "updatePiiLists",
      summary =
          "Write a new version of the allow and deny lists; audited with counts only;"
              + " If-Match: the version you read (\"0\": none yet) → 412 precondition_failed when another was written since")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "pii",
      action = "lists.update",
      kind = Kind.WRITE,
      gate = PiiActions.LISTS_UPDATE)
  public ResponseEntity<ListsView> putLists(
      @Parameter(hidden = true) Caller caller,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody ListsBody body) {
    Preconditions preconditions = Preconditions.of(ifMatch, null);
    return versioned(
        view(
            policies.putLists(
                caller,
                new PiiPolicies.ListsChange(body.allow(), body.deny(), body.denyType()),
                preconditions)));
  }

  @PostMapping("/v1/pii/reidentify")
  @Operation(
      operationId = "reidentifyToken",
      summary =
          "The original value behind a token of this tenant/env (owner/admin); audited without the value;"
              + " 410 subject_erased once the token's data subject was erased (its key destroyed), 400 pii_token_invalid otherwise")
  @RoutePolicy(
      audience = Audience.TENANT,
      role = Role.ADMIN,
      surface = "pii",
      action = "token.reidentify",
      kind = Kind.WRITE,
      gate = PiiActions.REIDENTIFY)
  public ReidentifyView reidentify(
      @Parameter(hidden = true) Caller caller, @Valid @RequestBody ReidentifyBody body) {
    Reidentifier.Reidentified reidentified = reidentifier.reidentify(caller, body.token());
    return new ReidentifyView(
        reidentified.type(), reidentified.value(), reidentified.auditEntryId());
  }

  private static ResponseEntity<PolicyView> versioned(PolicyView policy) {
    return ResponseEntity.ok().eTag(Preconditions.etag(policy.version())).body(policy);
  }

  private static ResponseEntity<ListsView> versioned(ListsView lists) {
    return ResponseEntity.ok().eTag(Preconditions.etag(lists.version())).body(lists);
  }

  private static ListsView view(PiiPolicies.ListsVersion v) {
    return new ListsView(
        v.version(),
        List.copyOf(v.lists().allow()),
        List.copyOf(v.lists().deny()),
        v.lists().denyType(),
        v.createdAt(),
        v.createdBy());
  }
}
