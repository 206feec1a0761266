package dev.engines.pii;

import dev.engines.core.scope.Scope;
import dev.engines.pii.internal.Analyzer;
import dev.engines.pii.internal.Redactor;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The PII pipeline's one entry point: deterministic detectors (no models) for e-mail addresses,
 * phone numbers, payment cards, IBANs, IP addresses, US SSNs and secrets ({@link PiiTypes}), the
 * tenant's deny and allow lists ({@link PiiLists}), and the operators of a {@link RedactionPolicy}.
 *
 * <p><b>Overlaps.</b> When spans overlap, one survives: the higher score wins, then the longer
 * span, then the earlier start (then the type name, alphabetically, so the result never depends on
 * the order detectors run in). Returned spans are disjoint and sorted by start.
 *
 * <p><b>Failing closed.</b> Every scanner runs in time linear in the input (hand-written scanners,
 * no backtracking regexes on the text). An input longer than {@link PiiSettings#maxInputChars()} is
 * refused, and an analysis that overruns {@link PiiSettings#timeBudget()} is aborted, both with
 * {@link PiiUnavailableException}: the caller must then not store or log the text. Only {@link
 * #redactForLog} never throws; it returns {@link #UNAVAILABLE_MARKER} instead.
 *
 * <p><b>Determinism.</b> The same input, settings, lists, policy and keys always give the same
 * spans and the same output bytes.
 *
 * <p>Instances are immutable and thread-safe; build one per configuration and share it.
 */
public final class PiiEngine {

  /** What {@link #redactForLog} returns when it cannot vouch for a text. */
  public static final String UNAVAILABLE_MARKER = "<REDACTED:pii_unavailable>";

  private final PiiSettings settings;
  private final Analyzer analyzer;

  /** An engine with these settings. */
  public PiiEngine(PiiSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.analyzer = new Analyzer(settings);
  }

  /** The settings this engine was built with. */
  public PiiSettings settings() {
    return settings;
  }

  /**
   * The PII spans in {@code text}, disjoint and sorted by start.
   *
   * @throws PiiUnavailableException past the size cap (413) or the time budget (503)
   */
  public List<PiiSpan> analyze(String text, PiiLists lists) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(lists, "lists");
    return analyzer.analyze(text, lists);
  }

  /**
   * Analyses {@code text} and applies {@code policy} to every span. {@code keys} and {@code scope}
   * supply the tenant keys for {@link Operator#HMAC} and {@link Operator#TOKEN}.
   *
   * @throws PiiUnavailableException past the size cap (413) or the time budget (503); no text is
   *     returned then
   */
  public Redaction redact(
      String text, RedactionPolicy policy, PiiLists lists, PiiKeys keys, Scope scope) {
    Objects.requireNonNull(policy, "policy");
    return redact(text, analyze(text, lists), policy, keys, scope);
  }

  /**
   * Applies {@code policy} to the {@code spans} {@link #analyze} found in {@code text}: the second
   * half of {@link #redact(String, RedactionPolicy, PiiLists, PiiKeys, Scope)}, for callers that
   * analysed elsewhere (on other threads, say).
   */
  Redaction redact(
      String text, List<PiiSpan> spans, RedactionPolicy policy, PiiKeys keys, Scope scope) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(scope, "scope");
    String redacted = Redactor.apply(text, spans, policy, keys, scope);
    return new Redaction(redacted, spans, flags(spans, policy.version()));
  }

  /**
   * The last line of defence for log messages: {@code text} with every span replaced by {@code
   * <TYPE>}, no lists. Never throws: past the size cap or time budget, or on any failure, it
   * returns {@link #UNAVAILABLE_MARKER} instead of the text. {@code null} stays {@code null}.
   */
  public String redactForLog(String text) {
    if (text == null) {
      return null;
    }
    try {
      List<PiiSpan> spans = analyzer.analyze(text, PiiLists.none());
      return spans.isEmpty()
          ? text
          : Redactor.apply(text, spans, RedactionPolicy.defaults(), null, null);
    } catch (RuntimeException | StackOverflowError e) {
      return UNAVAILABLE_MARKER;
    }
  }

  /**
   * The original value behind a token made by {@link Operator#TOKEN} with the same keys and scope.
   *
   * @throws dev.engines.core.error.EnginesException 400 {@code pii_token_invalid} when the token is
   *     malformed, altered, or was made for another tenant, environment or type
   */
  public String reidentify(String token, PiiKeys keys, Scope scope) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(scope, "scope");
    return Redactor.reidentify(token, keys, scope);
  }

  /** Counts per type of {@code spans}, under policy version {@code policyVersion}. */
  static PiiFlags flags(List<PiiSpan> spans, int policyVersion) {
    SortedMap<String, Integer> counts = new TreeMap<>();
    for (PiiSpan span : spans) {
      counts.merge(span.type(), 1, Integer::sum);
    }
    return new PiiFlags(counts, policyVersion);
  }
}
