package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.TenantId;
import dev.engines.pii.internal.Crypto;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The KEK ring without a database: sealing, unsealing across rotation, configuration. */
class KekRingTests {

  private static final String MASTER = "kek-ring-tests-master-key-0123456789abcdef";
  private static final DerivedPiiKeys DERIVED = DerivedPiiKeys.fromSecret(MASTER);
  private static final TenantId TENANT = TenantId.of("t_ring");
  private static final byte[] AD = "ad".getBytes(StandardCharsets.UTF_8);

  @Test
  void sealWhenNoKeysetThenTheSeedSealsTheWayRowsWereSealedBeforeKeysets() throws Exception {
    KekRing ring = KekRing.of(DERIVED, null, false);
    byte[] key = Crypto.randomBytes(64);
    KekRing.Sealed sealed = ring.seal(TENANT, key, AD);
    assertThat(sealed.kekId()).isEqualTo(KekRing.MASTER_KEK_ID);
    assertThat(sealed.wrapping()).isEqualTo("aes256gcm-hkdf/v1");
    assertThat(sealed.bytes()).hasSize(92);

    // The pre-keyset scheme, written out: HKDF-SHA256(salt "engines-pii/v1", info
    // "engines-pii/kek/<tenant>") and AES-256-GCM, nonce || ciphertext || tag.
    byte[] prk = hmac("engines-pii/v1".getBytes(StandardCharsets.UTF_8), bytes(MASTER));
    byte[] kek = java.util.Arrays.copyOf(hmac(prk, bytes("engines-pii/kek/t_ring\u0001")), 32);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(kek, "AES"),
        new GCMParameterSpec(128, sealed.bytes(), 0, 12));
    gcm.updateAAD(AD);
    assertThat(gcm.doFinal(sealed.bytes(), 12, 80)).isEqualTo(key);
  }

  @Test
  void unsealWhenSealedUnderTheOldPrimaryThenANewPrimaryStillUnsealsItAndSealsUnderItself()
      throws Exception {
    String first = KekRing.withNewPrimary("");
    String second = KekRing.withNewPrimary(first);
    KekRing seedOnly = KekRing.of(DERIVED, "", false);
    KekRing one = KekRing.of(DERIVED, first, false);
    KekRing two = KekRing.of(DERIVED, second, false);
    assertThat(two.keyIds()).hasSize(3).startsWith(KekRing.MASTER_KEK_ID).contains(one.primaryId());
    assertThat(two.primaryId()).isNotEqualTo(one.primaryId()).startsWith("tink/");

    byte[] key = Crypto.randomBytes(64);
    KekRing.Sealed bySeed = seedOnly.seal(TENANT, key, AD);
    KekRing.Sealed byFirst = one.seal(TENANT, key, AD);
    KekRing.Sealed bySecond = two.seal(TENANT, key, AD);
    assertThat(byFirst.wrapping()).isEqualTo("tink-aead/v1");
    assertThat(bySecond.kekId()).isEqualTo(two.primaryId());
    for (KekRing.Sealed sealed : List.of(bySeed, byFirst, bySecond)) {
      assertThat(two.unseal(TENANT, sealed.kekId(), sealed.bytes(), AD)).isEqualTo(key);
    }
    assertThatThrownBy(() -> two.unseal(TenantId.of("t_other"), bySeed.kekId(), bySeed.bytes(), AD))
        .as("the seed is per tenant")
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(
            () -> two.unseal(TENANT, bySecond.kekId(), bySecond.bytes(), bytes("other row")))
        .as("bound to its row")
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void unsealWhenTheRowNamesAKekOutsideTheRingThen503WithoutKeyMaterial() {
    String keyset = KekRing.withNewPrimary("");
    KekRing ring = KekRing.of(DERIVED, keyset, true);
    KekRing.Sealed sealed = KekRing.of(DERIVED, "", false).seal(TENANT, new byte[64], AD);
    assertThat(ring.keyIds()).doesNotContain(KekRing.MASTER_KEK_ID);
    assertThatThrownBy(() -> ring.unseal(TENANT, sealed.kekId(), sealed.bytes(), AD))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("pii_kek_unknown");
              assertThat(e.getMessage()).doesNotContain(keyset).doesNotContain(MASTER);
            });
    assertThatThrownBy(() -> ring.unseal(TENANT, "tink/42", sealed.bytes(), AD))
        .isInstanceOf(EnginesException.class);
  }

  @Test
  void propertiesWhenKeysetInvalidOrSeedRetiredWithoutKeysetThenStartupFailsNamingNoSecret() {
    String secretLooking = "{\"primaryKeyId\": 1, \"key\": [{\"keyData\": \"c2VjcmV0LWJ5dGVz\"}]}";
    assertThatThrownBy(() -> properties(secretLooking, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("c2VjcmV0")
        .hasMessageContaining("Tink JSON keyset");
    assertThatThrownBy(() -> properties("not json", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> properties("", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("master-kek-retired");
    PiiProperties ok = properties(KekRing.withNewPrimary(""), false);
    assertThat(ok.toString()).doesNotContain(ok.kekKeyset()).contains("kekKeyset=<redacted>");
    assertThat(ok.kekRing(DERIVED).primaryId()).startsWith("tink/");
    assertThat(properties(null, false).kekRing(DERIVED).primaryId())
        .isEqualTo(KekRing.MASTER_KEK_ID);
  }

  @Test
  void withoutWhenThePrimaryThenRefusedAndOtherwiseTheKeyLeavesTheKeyset() {
    String first = KekRing.withNewPrimary("");
    String second = KekRing.withNewPrimary(first);
    KekRing one = KekRing.of(DERIVED, first, false);
    KekRing two = KekRing.of(DERIVED, second, false);
    assertThatThrownBy(() -> KekRing.without(second, two.primaryId()))
        .isInstanceOf(IllegalArgumentException.class);
    KekRing retired = KekRing.of(DERIVED, KekRing.without(second, one.primaryId()), false);
    assertThat(retired.keyIds()).containsExactly(KekRing.MASTER_KEK_ID, two.primaryId());
  }

  private static PiiProperties properties(String keyset, boolean masterRetired) {
    return new PiiProperties(
        List.of("US"), 1000, Duration.ofSeconds(1), 1, MASTER, keyset, masterRetired);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
