package dev.engines.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.scope.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketPrefixTests {

  private static final ObjectKey KEY =
      ObjectKey.rawAsset(Scope.of("t_acme", "dev"), "ra_k3v9x2m4q7", "a.txt");

  @Test
  void applyWhenPrefixConfiguredThenPrependsItWithOneSlash() {
    BucketPrefix prefix = new BucketPrefix("engines/eu");

    assertThat(prefix.apply(KEY))
        .isEqualTo("engines/eu/tenants/t_acme/dev/raw/ra_k3v9x2m4q7/a.txt");
    assertThat(prefix.apply(ObjectKey.scopePrefix(KEY.scope())))
        .isEqualTo("engines/eu/tenants/t_acme/dev/");
    assertThat(prefix.strip(prefix.apply(KEY))).contains(KEY.value());
    assertThat(prefix.strip("engines/euX/tenants/t_acme/dev/raw/ra_k3v9x2m4q7/a.txt")).isEmpty();
  }

  @Test
  void applyWhenNoPrefixThenKeyUnchanged() {
    assertThat(BucketPrefix.NONE.apply(KEY)).isEqualTo(KEY.value());
    assertThat(BucketPrefix.NONE.strip(KEY.value())).contains(KEY.value());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/engines",
        "engines/",
        "engines//eu",
        "..",
        "engines/../other",
        "./x",
        "a\\b",
        "C:",
        "%2e%2e",
        "x%2fy",
        "a\u0000",
        "a\nb"
      })
  void newWhenPrefixIsUnsafeThenRejectedAtStartup(String value) {
    assertThatThrownBy(() -> new BucketPrefix(value)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Guards against a slot prefix reaching into the keys of another tenant
   * (tenants/<other>/<env>/raw).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "tenants",
        "tenants/t_other/dev/raw",
        "a/tenants",
        "a/tenants/t_other",
        "Tenants",
        "TENANTS/x",
        "%74enants",
        "%2574enants",
        "tenant%73",
        "\uFF54\uFF45\uFF4E\uFF41\uFF4E\uFF54\uFF53",
        "tenant\u017F",
        "tenants.",
        "tenants ",
        "x/teNants. ."
      })
  void overlapsKeyLayoutWhenASegmentIsTheReservedRootInAnyFormThenTrue(String value) {
    assertThat(new BucketPrefix(value).overlapsKeyLayout()).as(value).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a",
        "engines/eu",
        "tenant",
        "tenantsx",
        "my-tenants",
        "xtenants/raw",
        "t_other/dev/raw"
      })
  void overlapsKeyLayoutWhenNoSegmentIsTheReservedRootThenFalse(String value) {
    assertThat(new BucketPrefix(value).overlapsKeyLayout()).as(value).isFalse();
  }

  @Test
  void newWhenPrefixIsNullOrTooLongThenRejected() {
    assertThatThrownBy(() -> new BucketPrefix(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BucketPrefix("a/".repeat(200) + "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
