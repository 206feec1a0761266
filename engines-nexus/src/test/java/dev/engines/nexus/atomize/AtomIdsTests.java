package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.ids.IdKeys;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AtomIdsTests {

  private static final Scope ACME_DEV = Scope.of("t_acme", "dev");
  private static final String ASSET = "ra_123";
  private static final String SHA = Ids.sha256Hex("the artifact");
  private static final String SOURCE = "one\n\ntwo\nthree\n";
  static final IdKeys KEYS = IdKeys.fromSecret("atom-ids-test-secret-of-at-least-32-bytes");

  private static List<String> ids(Scope scope, String asset, String sha, Map<String, ?> params) {
    return ids(KEYS, scope, asset, sha, params);
  }

  private static List<String> ids(
      IdKeys keys, Scope scope, String asset, String sha, Map<String, ?> params) {
    Atomizer lines = Atomize.ATOMIZERS.get("text.lines");
    Derivation derivation = lines.derivation(params);
    return Atomize.text("text.lines", params, SOURCE).stream()
        .map(draft -> AtomIds.atomId(keys, scope, asset, sha, derivation, draft))
        .toList();
  }

  @Test
  void atomIdWhenSameArtifactAndDerivationThenSameIds() {
    List<String> first = ids(ACME_DEV, ASSET, SHA, Map.of());

    assertThat(first)
        .hasSize(3)
        .doesNotHaveDuplicates()
        .allMatch(id -> id.matches("^at_[0-9a-f]{32}$"));
    assertThat(ids(ACME_DEV, ASSET, SHA, Map.of("skip_blank", true))).isEqualTo(first);
  }

  @Test
  void atomIdWhenDerivationParamsDifferThenDifferentIds() {
    List<String> skipping = ids(ACME_DEV, ASSET, SHA, Map.of("skip_blank", true));
    List<String> keeping = ids(ACME_DEV, ASSET, SHA, Map.of("skip_blank", false));

    assertThat(keeping).doesNotContainAnyElementsOf(skipping);
  }

  @Test
  void atomIdWhenTenantEnvAssetOrContentHashDiffersThenDifferentIds() {
    List<String> base = ids(ACME_DEV, ASSET, SHA, Map.of());

    assertThat(ids(Scope.of("t_other", "dev"), ASSET, SHA, Map.of()))
        .doesNotContainAnyElementsOf(base);
    assertThat(ids(Scope.of("t_acme", "prod"), ASSET, SHA, Map.of()))
        .doesNotContainAnyElementsOf(base);
    assertThat(ids(ACME_DEV, "ra_456", SHA, Map.of())).doesNotContainAnyElementsOf(base);
    assertThat(ids(ACME_DEV, ASSET, Ids.sha256Hex("other bytes"), Map.of()))
        .doesNotContainAnyElementsOf(base);
  }

  @Test
  void atomIdWhenComputedThenFollowsTheDocumentedRecipe() {
    Derivation derivation = Atomize.ATOMIZERS.get("text.lines").derivation(Map.of());
    AtomDraft draft = new AtomDraft(0, "one", Span.line(1, 0, 3));
    String contentAddress =
        Ids.contentAddressed(
            "at",
            "t_acme",
            "dev",
            ASSET,
            SHA,
            "text.lines",
            "1",
            derivation.paramsHash(),
            "0",
            "{\"end_char\":3,\"line\":1,\"start_char\":0}",
            Ids.sha256Hex("one"));
    byte[] root =
        Ids.hmacSha256(
            "atom-ids-test-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8),
            "engines-ids/v1".getBytes(StandardCharsets.UTF_8));
    byte[] key = Ids.hmacSha256(root, "t_acme/dev".getBytes(StandardCharsets.UTF_8));

    assertThat(AtomIds.atomId(KEYS, ACME_DEV, ASSET, SHA, derivation, draft))
        .isEqualTo(Ids.keyed("at", key, contentAddress));
  }

  /**
   * Guards against atom ids revealing redacted text: a guess of the text cannot be tested against
   * the id without the key.
   */
  @Test
  void atomIdWhenRecomputedFromPublicFieldsAndTheOriginalTextWithoutTheKeyThenDoesNotMatch() {
    Derivation derivation = Atomize.ATOMIZERS.get("text.lines").derivation(Map.of());
    AtomDraft draft = new AtomDraft(0, "call +1 312 626 4400", Span.line(1, 0, 20));
    String unkeyed =
        Ids.contentAddressed(
            "at",
            "t_acme",
            "dev",
            ASSET,
            SHA,
            "text.lines",
            "1",
            derivation.paramsHash(),
            "0",
            draft.span().key(),
            Ids.sha256Hex(draft.text()));

    String id = AtomIds.atomId(KEYS, ACME_DEV, ASSET, SHA, derivation, draft);
    assertThat(id).matches("^at_[0-9a-f]{32}$").isNotEqualTo(unkeyed);
    assertThat(
            AtomIds.atomId(
                IdKeys.fromSecret("another-deployment-secret-of-32-bytes!!"),
                ACME_DEV,
                ASSET,
                SHA,
                derivation,
                draft))
        .as("another key")
        .isNotEqualTo(id);
    assertThat(AtomIds.fromContentAddress(KEYS, ACME_DEV, unkeyed))
        .as("what re-keying makes of the legacy id")
        .isEqualTo(id);
  }

  @Test
  void atomIdWhenSameContentInAnotherTenantOrEnvThenUnrelatedIds() {
    List<String> base = ids(ACME_DEV, ASSET, SHA, Map.of());

    assertThat(ids(KEYS, ACME_DEV, ASSET, SHA, Map.of()))
        .as("same input, same key")
        .isEqualTo(base);
    assertThat(ids(Scope.of("t_other", "dev"), ASSET, SHA, Map.of()))
        .doesNotContainAnyElementsOf(base);
  }

  @Test
  void atomIdWhenAssetShaMalformedOrAssetIdBlankThenValidationFailed() {
    Derivation derivation = Atomize.ATOMIZERS.get("text.lines").derivation(Map.of());
    AtomDraft draft = new AtomDraft(0, "one", Span.line(1, 0, 3));

    Atomize.problem(
        () -> AtomIds.atomId(KEYS, ACME_DEV, ASSET, SHA.toUpperCase(), derivation, draft),
        400,
        "validation_failed");
    Atomize.problem(
        () -> AtomIds.atomId(KEYS, ACME_DEV, " ", SHA, derivation, draft),
        400,
        "validation_failed");
    Atomize.problem(
        () -> AtomIds.atomId(KEYS, ACME_DEV, "a\0b", SHA, derivation, draft),
        400,
        "validation_failed");
  }
}
