package dev.engines.pii;

import com.google.crypto.tink.DeterministicAead;
import dev.engines.core.pii.TextRedactor;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.EventRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single entry point every write path uses before it persists or logs text: applies the
 * tenant/env's redaction policy and lists with the tenant's keys, and adds the resulting PII flags
 * to the request's DatasetEvent. Fails closed: past the size cap or the time budget it throws
 * {@link PiiUnavailableException} and returns no text, so the caller cannot store it.
 */
public final class PiiPipeline implements TextRedactor, AutoCloseable {

  private final PiiEngine engine;
  private final PiiPolicySource policies;
  private final PiiKeys keys;
  private final EventRecorder events;
  private final ParallelAnalysis analysis;

  /**
   * @param analysisThreads the threads one {@link Redactor#redactAll} analyses on, the caller's
   *     included ({@code engines.pii.analysis-threads}; 1: the caller's only)
   */
  public PiiPipeline(
      PiiEngine engine,
      PiiPolicySource policies,
      PiiKeys keys,
      EventRecorder events,
      int analysisThreads) {
    this.engine = engine;
    this.policies = policies;
    this.keys = keys;
    this.events = events;
    this.analysis = new ParallelAnalysis(analysisThreads);
  }

  /**
   * Redacts {@code text} under the scope's active policy; records the flags on the request's event.
   */
  public Redaction redact(Caller caller, String text) {
    Redaction redaction = redactor(caller).redact(text);
    events.pii(caller, flags(redaction.flags()), redaction.flags().trainOk());
    return redaction;
  }

  /**
   * A redactor for many texts of one scope under the policy and lists active now, looked up once:
   * all atoms of a derivation are redacted under the same policy version, and a derivation of
   * thousands of atoms does not query the policy thousands of times. Subject keys are looked up
   * once per value for the redactor's life too (one request), so an address in every atom costs one
   * key read, not one per atom; the next request reads them afresh.
   *
   * <p>A redactor records nothing on the request's event: its caller records the flags of the
   * records it stores, which may carry more than the text's findings (an atom also carries its
   * asset's {@code train_ok}).
   */
  public Redactor redactor(Caller caller) {
    Scope scope = caller.scope();
    PiiPolicySource.Active active = policies.active(caller);
    PiiKeys redactorKeys = new SubjectKeysOnce(keys);
    return new Redactor() {
      @Override
      public Redaction redact(String text) {
        return engine.redact(text, active.policy(), active.lists(), redactorKeys, scope);
      }

      @Override
      public List<Redaction> redactAll(List<String> texts) {
        List<List<PiiSpan>> spans =
            analysis.analyzeAll(texts, text -> engine.analyze(text, active.lists()));
        List<Redaction> redactions = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
          redactions.add(
              engine.redact(texts.get(i), spans.get(i), active.policy(), redactorKeys, scope));
        }
        return redactions;
      }
    };
  }

  /** Redacts texts under one resolved policy; see {@link #redactor}. */
  public interface Redactor {
    /** Redacts {@code text}; fails closed as {@link #redact} does. */
    Redaction redact(String text);

    /**
     * Redacts each of {@code texts}, in order, exactly as {@link #redact(String)} one at a time
     * would, analysing them on up to {@code engines.pii.analysis-threads} threads: for the many
     * texts of one write (a derivation's atoms). Fails closed as a whole: the first text in order
     * that cannot be analysed fails the call, and no redaction is returned.
     */
    List<Redaction> redactAll(List<String> texts);
  }

  /** Stops the analysis threads. */
  @Override
  public void close() {
    analysis.close();
  }

  @Override
  public String redactForStorage(Caller caller, String text) {
    return redact(caller, text).text();
  }

  /** The spans of an analysed text and their flags under the policy version in force. */
  public record Analysis(List<PiiSpan> spans, PiiFlags flags) {}

  /**
   * The spans in {@code text} under the scope's lists, without redacting; records the flags (counts
   * and policy version, never text) on the request's event.
   */
  public Analysis analyze(Caller caller, String text) {
    PiiPolicySource.Active active = policies.active(caller);
    List<PiiSpan> spans = engine.analyze(text, active.lists());
    PiiFlags flags = PiiEngine.flags(spans, active.policy().version());
    events.pii(caller, flags(flags), flags.trainOk());
    return new Analysis(spans, flags);
  }

  /**
   * The original value behind a {@link Operator#TOKEN} token of this scope. Callers must restrict
   * it to owners and admins and audit it; the value must go nowhere but the response.
   *
   * @throws dev.engines.core.error.EnginesException 410 {@code subject_erased} when the token's
   *     subject key was destroyed by an erasure; 400 {@code pii_token_invalid} when the token is
   *     malformed, altered or not of this tenant/env
   */
  public String reidentify(Scope scope, String token) {
    return engine.reidentify(token, keys, scope);
  }

  /** {@link PiiKeys} that remember each subject key asked for; lives as long as one redactor. */
  private static final class SubjectKeysOnce implements PiiKeys {
    private final PiiKeys keys;
    private final Map<String, Optional<SubjectKey>> subjectKeys = new ConcurrentHashMap<>();

    SubjectKeysOnce(PiiKeys keys) {
      this.keys = keys;
    }

    @Override
    public byte[] hmacKey(Scope scope) {
      return keys.hmacKey(scope);
    }

    @Override
    public DeterministicAead tokenAead(Scope scope) {
      return keys.tokenAead(scope);
    }

    @Override
    public Optional<SubjectKey> subjectKey(Scope scope, String type, String value) {
      // One redactor serves one scope; the type and value name the subject within it.
      return subjectKeys.computeIfAbsent(
          type + '\u0000' + value, k -> keys.subjectKey(scope, type, value));
    }

    @Override
    public SubjectKey subjectKeyById(Scope scope, String keyId) {
      return keys.subjectKeyById(scope, keyId);
    }
  }

  /** PII flags as stored with records and events: counts per type plus {@code policy_version}. */
  public static Map<String, Object> flags(PiiFlags flags) {
    Map<String, Object> map = new TreeMap<>(flags.counts());
    map.put("policy_version", flags.policyVersion());
    return map;
  }
}
