package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the core promise of every text atomizer: same bytes + same derivation ⇒ same drafts and
 * ids.
 */
class DeterminismTests {

  private static final String TEXT =
      "Title\r\n\r\nBody ünïcödé 😀 line\nmore,\"quoted\"\n\n<p>x</p>\n";

  static List<Arguments> cases() {
    return List.of(
        Arguments.of("text.lines", Map.of(), TEXT),
        Arguments.of("text.paragraphs", Map.of(), TEXT),
        Arguments.of("text.window", Map.of("size", 7, "overlap", 3), TEXT),
        Arguments.of("json.records", Map.of("format", "jsonl"), "{\"a\":1}\n[2.50]\n"),
        Arguments.of("csv.rows", Map.of("header", false), "a,\"b\nc\"\r\nd,e\n"),
        Arguments.of("html.text", Map.of(), "<div>a<p>b</p>c</div>"),
        Arguments.of(
            "media.slices", Map.of("duration_ms", 95, "slice_ms", 10, "overlap_ms", 5), ""));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void atomizeWhenRunTwiceThenIdenticalDraftsAndIds(
      String opType, Map<String, ?> params, String content) {
    Scope scope = Scope.of("t_acme", "staging");
    String sha = Ids.sha256Hex(content);
    Derivation derivation = Atomize.ATOMIZERS.get(opType).derivation(params);

    List<AtomDraft> first = Atomize.text(opType, params, content);
    List<AtomDraft> second = Atomize.text(opType, params, content);

    assertThat(first).isNotEmpty().isEqualTo(second);
    List<String> ids =
        first.stream()
            .map(d -> AtomIds.atomId(AtomIdsTests.KEYS, scope, "ra_1", sha, derivation, d))
            .toList();
    assertThat(ids)
        .doesNotHaveDuplicates()
        .isEqualTo(
            second.stream()
                .map(d -> AtomIds.atomId(AtomIdsTests.KEYS, scope, "ra_1", sha, derivation, d))
                .toList());
  }
}
