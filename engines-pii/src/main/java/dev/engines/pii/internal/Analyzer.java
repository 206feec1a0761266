package dev.engines.pii.internal;

import dev.engines.pii.PiiLists;
import dev.engines.pii.PiiSettings;
import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiUnavailableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs every detector over a text, applies the tenant's lists and resolves overlaps. Immutable and
 * thread-safe.
 */
public final class Analyzer {

  /**
   * The overlap rule: of two overlapping spans the one with the higher score wins, then the longer,
   * then the one that starts earlier, then the type name in alphabetical order so the result never
   * depends on detector order.
   */
  static final Comparator<PiiSpan> PRECEDENCE =
      Comparator.comparingDouble(PiiSpan::score)
          .reversed()
          .thenComparing(Comparator.comparingInt(PiiSpan::length).reversed())
          .thenComparingInt(PiiSpan::start)
          .thenComparing(PiiSpan::type);

  private final List<Detector> detectors;
  private final int maxInputChars;
  private final long budgetNanos;

  public Analyzer(PiiSettings settings) {
    this.detectors =
        List.of(
            new PrivateKeyDetector(),
            new JwtDetector(),
            new AwsKeyDetector(),
            new EnginesCredentialDetector(),
            new BearerTokenDetector(),
            new UrlCredentialsDetector(),
            new EmailDetector(),
            new IbanDetector(),
            new CreditCardDetector(),
            new SsnDetector(),
            new IpDetector(),
            new PhoneDetector(settings.phoneRegions()));
    this.maxInputChars = settings.maxInputChars();
    this.budgetNanos = settings.timeBudget().toNanos();
  }

  /** Spans sorted by start; throws {@link PiiUnavailableException} past the size cap or budget. */
  public List<PiiSpan> analyze(String text, PiiLists lists) {
    if (text.length() > maxInputChars) {
      throw PiiUnavailableException.tooLarge(text.length(), maxInputChars);
    }
    Deadline deadline = Deadline.in(budgetNanos);
    char[] chars = text.toCharArray();
    List<PiiSpan> found = new ArrayList<>();
    for (Detector detector : detectors) {
      detector.detect(text, chars, deadline, found);
      deadline.check();
    }
    if (!lists.allow().isEmpty()) {
      found.removeIf(span -> lists.allow().contains(text.substring(span.start(), span.end())));
    }
    DenyList.find(text, chars, lists, found);
    deadline.check();
    return resolve(found);
  }

  /** Keeps a non-overlapping subset by {@link #PRECEDENCE}, sorted by start. */
  static List<PiiSpan> resolve(List<PiiSpan> spans) {
    if (spans.size() < 2) {
      return List.copyOf(spans);
    }
    List<PiiSpan> ranked = new ArrayList<>(spans);
    ranked.sort(PRECEDENCE);
    TreeMap<Integer, PiiSpan> kept = new TreeMap<>();
    for (PiiSpan span : ranked) {
      Map.Entry<Integer, PiiSpan> before = kept.lowerEntry(span.end());
      if (before == null || !before.getValue().overlaps(span)) {
        kept.put(span.start(), span);
      }
    }
    return List.copyOf(kept.values());
  }
}
