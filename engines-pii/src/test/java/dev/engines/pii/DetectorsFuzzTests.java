package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The detectors read every text a tenant stores, and its own allow/deny lists. Whatever the text:
 * no exception but the documented 413/503, spans inside the text, disjoint and sorted, the same
 * answer twice; the log redactor never throws. Committed inputs under {@code
 * DetectorsFuzzTestsInputs/} replay in every build; {@code bin/engines fuzz} explores further.
 */
class DetectorsFuzzTests {

  private static final PiiEngine ENGINE = Engines.ENGINE;

  @FuzzTest(maxDuration = "10s")
  void analyzeWhenAnyTextAndListsThenSpansAreInsideDisjointSortedAndStable(
      FuzzedDataProvider data) {
    Set<String> allow = terms(data);
    Set<String> deny = terms(data);
    String text = data.consumeRemainingAsString();
    PiiLists lists = PiiLists.of(allow, deny);
    List<PiiSpan> spans;
    try {
      spans = ENGINE.analyze(text, lists);
    } catch (PiiUnavailableException e) {
      assertThat(e.status()).isIn(413, 503);
      return;
    }
    int end = 0;
    for (PiiSpan span : spans) {
      assertThat(span.start())
          .as("span %s of a text of %s chars", span, text.length())
          .isGreaterThanOrEqualTo(end);
      assertThat(span.end())
          .as("span %s", span)
          .isGreaterThan(span.start())
          .isLessThanOrEqualTo(text.length());
      assertThat(span.type()).matches("[A-Z][A-Z0-9_]*");
      end = span.end();
    }
    assertThat(ENGINE.analyze(text, lists)).isEqualTo(spans);
    assertThat(ENGINE.redactForLog(text)).isNotNull();
  }

  private static Set<String> terms(FuzzedDataProvider data) {
    Set<String> terms = new TreeSet<>();
    int count = data.consumeInt(0, 3);
    for (int i = 0; i < count; i++) {
      String term = data.consumeString(24);
      if (!term.isEmpty()) {
        terms.add(term);
      }
    }
    return terms;
  }
}
