package dev.engines.api.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.pii.DerivedPiiKeys;
import dev.engines.pii.KekRing;
import dev.engines.pii.gdpr.DataSubjects;
import dev.engines.pii.gdpr.KekRotation;
import dev.engines.pii.gdpr.SubjectKeys;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rotation of the key-encryption keys that seal per-subject token keys, against the real service
 * and database (docs/adr/0017-kek-ring-rotation.md). The service runs with a keyset of two keys, A
 * (primary) and B, beside the master key's seed {@code master/v1}; the rotations here run with B as
 * primary, as {@code bin/engines keys rotate} does once an operator made B the primary.
 */
@ExtendWith(OutputCaptureExtension.class)
class KekRotationIntegrationTests extends IntegrationTest {

  private static final Pattern SUBJECT_TOKEN =
      Pattern.compile("<EMAIL_ADDRESS:tok:(sk_[a-z2-7]{26}):([A-Za-z0-9_-]+)>");
  private static final String CARD = "4111 1111 1111 1111";
  private static final String IBAN = "DE89 3704 0044 0532 0130 00";

  /** The service's keyset: A primary, B enabled. */
  private static final String SERVICE_KEYSET;

  /** The same keys with B primary: what the rotation runs with. */
  private static final String ROTATED_KEYSET;

  /** The service's keys plus a primary the service does not hold. */
  private static final String FOREIGN_KEYSET;

  static {
    try {
      AeadConfig.register();
      KeysetHandle service =
          KeysetHandle.newBuilder()
              .addEntry(
                  KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                      .withRandomId()
                      .makePrimary())
              .addEntry(
                  KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                      .withRandomId())
              .build();
      KeysetHandle.Builder rotated = KeysetHandle.newBuilder(service);
      rotated.getAt(1).makePrimary();
      SERVICE_KEYSET = json(service);
      ROTATED_KEYSET = json(rotated.build());
      FOREIGN_KEYSET = KekRing.withNewPrimary(SERVICE_KEYSET);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void keyset(DynamicPropertyRegistry registry) {
    registry.add("engines.pii.kek-keyset", () -> SERVICE_KEYSET);
  }

  @Value("${engines.pii.master-key}")
  private String masterKey;

  @Autowired private KekRotation serviceRotation;

  private static String json(KeysetHandle handle) throws GeneralSecurityException {
    return TinkJsonProtoKeysetFormat.serializeKeyset(
        handle, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
  }

  /** Subject keys sealed with {@code ring}, as another process (the CLI) would hold them. */
  private SubjectKeys keysWith(KekRing ring) {
    return new SubjectKeys(
        DerivedPiiKeys.fromSecret(masterKey),
        ring,
        DataSubjects.fromMasterKey(masterKey),
        jdbc,
        tx,
        Clock.systemUTC());
  }

  private KekRotation rotationWith(String keyset) {
    return new KekRotation(
        keysWith(KekRing.of(DerivedPiiKeys.fromSecret(masterKey), keyset, false)), jdbc, tx);
  }

  private Member tokenisingTenant(String prefix) {
    Member owner = tenants.tenant(prefix);
    TestApi.Response put =
        api.call("PUT", "/v1/pii/policy")
            .as(owner, "dev")
            .json(
                Map.of(
                    "default_operator",
                    "replace",
                    "operators",
                    Map.of("EMAIL_ADDRESS", "token", "CREDIT_CARD", "token", "IBAN_CODE", "hmac")))
            .send();
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    return owner;
  }

  private String redact(Member m, String value) {
    TestApi.Response r = api.post("/v1/pii/redact").as(m, "dev").json(Map.of("text", value)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.text("text");
  }

  private TestApi.Response reidentify(Member m, String token) {
    return api.post("/v1/pii/reidentify").as(m, "dev").json(Map.of("token", token)).send();
  }

  private String subjectId(Member m, String email) {
    return api.post("/v1/gdpr/subjects/lookup")
        .as(m, "dev")
        .json(Map.of("identifiers", Map.of("email", email)))
        .send()
        .json()
        .get("subject_ids")
        .get(0)
        .asString();
  }

  private Map<String, Long> kekCounts(Member m) {
    return tx.tenantLevel(
        TenantId.of(m.tenantId()),
        () -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          jdbc.sql("SELECT kek_id, count(*) AS n FROM pii_subject_keys GROUP BY kek_id ORDER BY 1")
              .query(
                  (org.springframework.jdbc.core.RowCallbackHandler)
                      rs -> counts.put(rs.getString("kek_id"), rs.getLong("n")));
          return counts;
        });
  }

  private static String keyId(String token) {
    Matcher m = SUBJECT_TOKEN.matcher(token);
    assertThat(m.matches()).as("a subject token: %s", token).isTrue();
    return m.group(1);
  }

  private static String email(String name) {
    return name + "." + Ids.randomToken(8) + "@rotation.example";
  }

  @Test
  void rotateWhenInterruptedAndResumedThenEveryKeyIsUnderTheNewPrimaryAndNothingElseChanged() {
    Member owner = tokenisingTenant("kekr");
    TenantId tenant = TenantId.of(owner.tenantId());
    KekRing service = serviceRotation.ring();
    KekRing rotated = KekRing.of(DerivedPiiKeys.fromSecret(masterKey), ROTATED_KEYSET, false);
    assertThat(service.primaryId()).isNotEqualTo(rotated.primaryId());

    // Two keys sealed the way a release before keysets sealed them (the seed, master/v1) ...
    List<String> emails = new ArrayList<>();
    SubjectKeys seedOnly = keysWith(KekRing.of(DerivedPiiKeys.fromSecret(masterKey), "", false));
    for (int i = 0; i < 2; i++) {
      String email = email("seed" + i);
      emails.add(email);
      seedOnly.subjectKey(Scope.of(owner.tenantId(), "dev"), "EMAIL_ADDRESS", email);
    }
    // ... and three by the service under its primary A.
    for (int i = 0; i < 3; i++) {
      emails.add(email("a" + i));
    }
    Map<String, String> tokens = new LinkedHashMap<>();
    Map<String, String> subjects = new LinkedHashMap<>();
    for (String email : emails) {
      tokens.put(email, redact(owner, email));
      subjects.put(email, subjectId(owner, email));
    }
    String card = redact(owner, CARD);
    String pseudonym = redact(owner, IBAN);
    assertThat(pseudonym).startsWith("<IBAN_CODE:hmac:");
    assertThat(kekCounts(owner))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(KekRing.MASTER_KEK_ID, 2L, service.primaryId(), 3L));

    // The first run dies after its first committed batch of two.
    KekRotation rotation = rotationWith(ROTATED_KEYSET);
    assertThat(rotation.referencesBeforeRetiring(KekRing.MASTER_KEK_ID))
        .as("the seed cannot be retired while keys are under it")
        .isGreaterThanOrEqualTo(2L);
    assertThatThrownBy(
            () ->
                rotation.rotate(
                    List.of(tenant),
                    2,
                    (t, n) -> {
                      throw new IllegalStateException("killed");
                    }))
        .hasMessage("killed");
    assertThat(kekCounts(owner).get(rotated.primaryId()))
        .as("the first batch committed")
        .isEqualTo(2L);
    assertThat(rotation.status(List.of(tenant)).values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(5L);
    for (String email : emails) {
      assertThat(reidentify(owner, tokens.get(email)).text("value"))
          .as("mid-rotation the service unseals whichever KEK the row names")
          .isEqualTo(email);
    }

    // The second run finishes the rest; a third finds nothing to do.
    List<Integer> batches = new ArrayList<>();
    assertThat(rotation.rotate(List.of(tenant), 2, (t, n) -> batches.add(n))).isEqualTo(3L);
    assertThat(batches).containsExactly(2, 1);
    assertThat(rotation.rotate(List.of(tenant), 2, (t, n) -> batches.add(n))).isZero();
    assertThat(kekCounts(owner)).containsExactlyEntriesOf(Map.of(rotated.primaryId(), 5L));
    assertThatThrownBy(() -> rotation.referencesBeforeRetiring(rotated.primaryId()))
        .isInstanceOf(IllegalArgumentException.class);

    for (String email : emails) {
      assertThat(redact(owner, email))
          .as("same key, same token after rotation")
          .isEqualTo(tokens.get(email));
      assertThat(reidentify(owner, tokens.get(email)).text("value")).isEqualTo(email);
      assertThat(subjectId(owner, email))
          .as("subject pseudonyms do not change")
          .isEqualTo(subjects.get(email));
    }
    assertThat(redact(owner, IBAN)).as("HMAC pseudonyms do not change").isEqualTo(pseudonym);
    assertThat(redact(owner, CARD)).isEqualTo(card);
    assertThat(reidentify(owner, card).text("value")).isEqualTo(CARD);
  }

  @Test
  void erasureWhenAfterRotationThenTheSubjectsTokensAreShreddedAndOthersStillReidentify() {
    Member owner = tokenisingTenant("keke");
    String erased = email("erased");
    String kept = email("kept");
    String erasedToken = redact(owner, erased);
    String keptToken = redact(owner, kept);
    rotationWith(ROTATED_KEYSET).rotate(List.of(TenantId.of(owner.tenantId())), 10, (t, n) -> {});
    assertThat(kekCounts(owner).keySet())
        .containsExactly(
            KekRing.of(DerivedPiiKeys.fromSecret(masterKey), ROTATED_KEYSET, false).primaryId());

    TestApi.Response erasure =
        api.post("/v1/gdpr/erasure")
            .as(owner, "dev")
            .json(Map.of("identifiers", Map.of("email", erased)))
            .send();
    assertThat(erasure.status()).as("%s", erasure).isEqualTo(200);
    assertThat(erasure.json().get("erased").toString()).contains(keyId(erasedToken));
    TestApi.Response gone = reidentify(owner, erasedToken);
    assertThat(gone.status()).as("%s", gone).isEqualTo(410);
    assertThat(gone.code()).isEqualTo("subject_erased");
    assertThat(reidentify(owner, keptToken).text("value")).isEqualTo(kept);
  }

  @Test
  void reidentifyWhenTheRowNamesAKekTheServiceDoesNotHoldThen503ProblemWithoutKeyMaterial(
      CapturedOutput output) {
    Member owner = tokenisingTenant("keku");
    String email = email("unknown");
    String token = redact(owner, email);
    // Sealed by a process configured with a key this service never received.
    rotationWith(FOREIGN_KEYSET).rotate(List.of(TenantId.of(owner.tenantId())), 10, (t, n) -> {});

    TestApi.Response r = reidentify(owner, token);
    assertThat(r.status()).as("%s", r).isEqualTo(503);
    assertThat(r.code()).isEqualTo("pii_kek_unknown");
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.body())
        .doesNotContain(email)
        .doesNotContain(FOREIGN_KEYSET)
        .doesNotContain(masterKey);
    TestApi.Response again =
        api.post("/v1/pii/redact").as(owner, "dev").json(Map.of("text", email)).send();
    assertThat(again.code()).as("%s", again).isEqualTo("pii_kek_unknown");
    assertThat(output.getAll()).doesNotContain(FOREIGN_KEYSET).doesNotContain(SERVICE_KEYSET);
  }
}
