package dev.engines.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Scope;
import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeyTests {

  private static final Scope SCOPE = Scope.of("t_acme", "prod");
  private static final String ASSET = "ra_k3v9x2m4q7";

  @Test
  void rawAssetBuildsTenantEnvRawAssetFilenameKey() {
    ObjectKey key = ObjectKey.rawAsset(SCOPE, ASSET, "report.pdf");

    assertThat(key.value()).isEqualTo("tenants/t_acme/prod/raw/ra_k3v9x2m4q7/report.pdf");
    assertThat(key.scope()).isEqualTo(SCOPE);
    assertThat(key.filename()).isEqualTo("report.pdf");
    assertThat(key.segments())
        .containsExactly("tenants", "t_acme", "prod", "raw", ASSET, "report.pdf");
  }

  @Test
  void rawAssetWhenSameInputsThenSameKey() {
    assertThat(ObjectKey.rawAsset(SCOPE, ASSET, "report.pdf"))
        .isEqualTo(ObjectKey.rawAsset(SCOPE, ASSET, "report.pdf"));
    assertThat(ObjectKey.rawAsset(SCOPE, ASSET, "report.pdf").hashCode())
        .isEqualTo(ObjectKey.rawAsset(SCOPE, ASSET, "report.pdf").hashCode());
  }

  @Test
  void rawAssetWhenFilenameIsDecomposedUnicodeThenSameKeyAsComposed() {
    String composed = Normalizer.normalize("résumé.pdf", Normalizer.Form.NFC);
    String decomposed = Normalizer.normalize("résumé.pdf", Normalizer.Form.NFD);

    assertThat(ObjectKey.rawAsset(SCOPE, ASSET, decomposed))
        .isEqualTo(ObjectKey.rawAsset(SCOPE, ASSET, composed));
  }

  @Test
  void rawAssetWhenEnvGivenAsStageAliasThenKeyUsesStaging() {
    assertThat(ObjectKey.rawAsset(Scope.of("t_acme", "stage"), ASSET, "a.txt").value())
        .isEqualTo("tenants/t_acme/staging/raw/ra_k3v9x2m4q7/a.txt");
  }

  @Test
  void rawAssetWhenTenantsDifferThenKeysDiffer() {
    assertThat(ObjectKey.rawAsset(Scope.of("t_a", "dev"), ASSET, "x"))
        .isNotEqualTo(ObjectKey.rawAsset(Scope.of("t_b", "dev"), ASSET, "x"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        ".",
        "..",
        "../etc/passwd",
        "a/b",
        "/etc/passwd",
        "a\\b",
        "..\\windows",
        "\\\\server\\share",
        "C:",
        "c:evil.txt",
        "Z:\\x",
        "a\u0000b",
        "a\nb",
        "a\rb",
        "tab\there",
        "del\u007f",
        "c1\u0085",
        "bidi\u202Etxt.exe",
        "zero\u200Bwidth",
        "bom\uFEFF",
        "%2f",
        "a%2Fb",
        "%5c",
        "a%5Cb",
        "%00",
        "a%00.txt",
        "%2e%2e",
        "%2E",
        "%252f",
        "a%25252Fb",
        "%255c",
        "%25%32%66",
        "\uFF0E\uFF0E",
        "a\uFF0Fb",
        "a\uFF3Cb",
        "\u2025",
        "%EF%BC%8F",
        "\uD800lone"
      })
  void rawAssetWhenFilenameIsUnsafeThenRejected(String filename) {
    assertThatThrownBy(() -> ObjectKey.rawAsset(SCOPE, ASSET, filename))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo(StorageProblems.INVALID_FILENAME);
              if (filename != null && filename.length() > 2) {
                assertThat(e.getMessage()).doesNotContain(filename);
              }
            });
  }

  @Test
  void rawAssetWhenFilenameLongerThan255BytesThenRejected() {
    String twoByteChars = "é".repeat(128);

    assertThatThrownBy(() -> ObjectKey.rawAsset(SCOPE, ASSET, twoByteChars))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.INVALID_FILENAME));
    assertThat(ObjectKey.rawAsset(SCOPE, ASSET, "a".repeat(255)).filename()).hasSize(255);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "report.pdf",
        "a..b",
        "...",
        ".hidden",
        "50%.pdf",
        "%41.txt",
        "100%2.txt",
        "naïve résumé.txt",
        "日本語.txt",
        "emoji 📄.pdf",
        "space name.docx",
        "meeting 10:30.txt",
        "a;b",
        "~home"
      })
  void rawAssetWhenFilenameIsSafeThenKeptVerbatim(String filename) {
    assertThat(ObjectKey.rawAsset(SCOPE, ASSET, filename).filename()).isEqualTo(filename);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "ra_",
        "ra_short",
        "RA_k3v9x2m4q7",
        "ra_K3V9X2M4Q7",
        "xx_k3v9x2m4q7",
        "ra_k3v9x2m4q7/..",
        "ra_../../x",
        "ra_k3v9x2m4q7 ",
        "ra_k3v9-x2m4q7"
      })
  void rawAssetWhenAssetIdMalformedThenRejected(String assetId) {
    assertThatThrownBy(() -> ObjectKey.rawAsset(SCOPE, assetId, "a.txt"))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo(StorageProblems.INVALID_ASSET_ID);
            });
  }

  @Test
  void rawAssetWhenAssetIdHas64CharactersThenAccepted() {
    assertThat(ObjectKey.rawAsset(SCOPE, "ra_" + "a".repeat(64), "x").segments().get(4))
        .hasSize(67);
    assertThatThrownBy(() -> ObjectKey.rawAsset(SCOPE, "ra_" + "a".repeat(65), "x"))
        .isInstanceOf(EnginesException.class);
  }

  @Test
  void scopePrefixEndsWithSlashSoLongerTenantIdsDoNotMatch() {
    ObjectKeyPrefix prefix = ObjectKey.scopePrefix(Scope.of("t_a", "dev"));

    assertThat(prefix.value()).isEqualTo("tenants/t_a/dev/");
    assertThat(prefix.contains(ObjectKey.rawAsset(Scope.of("t_a", "dev"), ASSET, "x"))).isTrue();
    assertThat(prefix.contains(ObjectKey.rawAsset(Scope.of("t_ab", "dev"), ASSET, "x"))).isFalse();
    assertThat(prefix.contains(ObjectKey.rawAsset(Scope.of("t_a", "prod"), ASSET, "x"))).isFalse();
  }

  @Test
  void rawAssetPrefixCoversOnlyThatAsset() {
    ObjectKeyPrefix prefix = ObjectKey.rawAssetPrefix(SCOPE, ASSET);

    assertThat(prefix.value()).isEqualTo("tenants/t_acme/prod/raw/ra_k3v9x2m4q7/");
    assertThat(prefix.contains(ObjectKey.rawAsset(SCOPE, ASSET, "x"))).isTrue();
    assertThat(prefix.contains(ObjectKey.rawAsset(SCOPE, ASSET + "0", "x"))).isFalse();
  }

  @Test
  void resolveListedWhenNameIsAValidKeyUnderThePrefixThenSameAsBuiltKey() {
    ObjectKey built = ObjectKey.rawAsset(SCOPE, ASSET, "report.pdf");

    assertThat(ObjectKey.scopePrefix(SCOPE).resolveListed(built.value())).contains(built);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tenants/t_acme/dev/raw/ra_k3v9x2m4q7/a.txt",
        "tenants/t_acme2/prod/raw/ra_k3v9x2m4q7/a.txt",
        "tenants/t_acme/prod/",
        "tenants/t_acme/prod/raw/ra_k3v9x2m4q7/../../../../t_other/prod/raw/x",
        "tenants/t_acme/prod/raw/ra_k3v9x2m4q7/a%2f..",
        "tenants/t_acme/prod/raw//a.txt",
        "tenants/t_acme/prod/raw/ra_k3v9x2m4q7/",
        "tenants/t_acme/prod/raw/ra_k3v9x2m4q7/bad\u0000name",
        "other/t_acme/prod/raw/ra_k3v9x2m4q7/a.txt",
        "tenants/t_acme/prod/raw/ra_k3v9x2m4q7",
        "tenants/t_acme/prod/raw/ra_k3v9x2m4q7/sub/a.txt",
        "tenants/t_acme/prod/raw/ra_short/a.txt",
        "tenants/t_acme/prod/cooked/ra_k3v9x2m4q7/a.txt",
        "tenants/t_acme/prod/a.txt"
      })
  void resolveListedWhenNameIsOutsideThePrefixOrUnsafeThenEmpty(String name) {
    assertThat(ObjectKey.scopePrefix(SCOPE).resolveListed(name)).isEmpty();
  }

  /**
   * Guards against one tenant's reconcile deleting keys another tenant's slot prefix placed below
   * its scope.
   */
  @Test
  void resolveListedWhenNameIsAnotherTenantsKeyUnderAPrefixInsideThisScopeThenEmpty() {
    ObjectKey foreign = ObjectKey.rawAsset(Scope.of("t_other", "prod"), ASSET, "a.txt");
    String planted = new BucketPrefix("tenants/t_acme/prod/raw").apply(foreign);

    assertThat(planted).startsWith(ObjectKey.scopePrefix(SCOPE).value());
    assertThat(ObjectKey.scopePrefix(SCOPE).resolveListed(planted)).isEmpty();
    assertThat(
            ObjectKey.scopePrefix(SCOPE)
                .resolveListed(
                    new BucketPrefix("tenants/t_acme/prod/raw/ra_k3v9x2m4q7").apply(foreign)))
        .isEmpty();
  }

  @Test
  void resolveListedWhenNameIsNotNfcThenEmpty() {
    String decomposed =
        "tenants/t_acme/prod/raw/"
            + ASSET
            + "/"
            + Normalizer.normalize("é.txt", Normalizer.Form.NFD);

    assertThat(ObjectKey.scopePrefix(SCOPE).resolveListed(decomposed)).isEmpty();
  }
}
