package dev.engines.api.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.daead.AesSivKey;
import com.google.crypto.tink.daead.AesSivParameters;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.util.SecretBytes;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Crypto-shredding through the real API and database: tokens of a data subject's values are made
 * with that subject's own key, which erasure destroys (docs/adr/0005-per-subject-token-keys.md).
 */
@ExtendWith(OutputCaptureExtension.class)
class SubjectKeysIntegrationTests extends IntegrationTest {

  private static final Pattern SUBJECT_TOKEN =
      Pattern.compile("<EMAIL_ADDRESS:tok:(sk_[a-z2-7]{26}):([A-Za-z0-9_-]+)>");
  private static final String CARD = "4111 1111 1111 1111";

  @Value("${engines.pii.master-key}")
  private String masterKey;

  /** A tenant whose dev and prod policies tokenise e-mail addresses and card numbers. */
  private Member tokenisingTenant(String prefix) {
    Member owner = tenants.tenant(prefix);
    for (String env : List.of("dev", "prod")) {
      TestApi.Response put =
          api.call("PUT", "/v1/pii/policy")
              .as(owner, env)
              .json(
                  Map.of(
                      "default_operator",
                      "replace",
                      "operators",
                      Map.of("EMAIL_ADDRESS", "token", "CREDIT_CARD", "token")))
              .send();
      assertThat(put.status()).as("%s", put).isEqualTo(200);
    }
    return owner;
  }

  private String token(Member m, String env, String value) {
    TestApi.Response r = api.post("/v1/pii/redact").as(m, env).json(Map.of("text", value)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.text("text");
  }

  private TestApi.Response reidentify(Member m, String env, String token) {
    return api.post("/v1/pii/reidentify").as(m, env).json(Map.of("token", token)).send();
  }

  private TestApi.Response erase(Member m, String email) {
    return api.post("/v1/gdpr/erasure")
        .as(m, "dev")
        .json(Map.of("identifiers", Map.of("email", email)))
        .send();
  }

  private static String keyId(String token) {
    Matcher m = SUBJECT_TOKEN.matcher(token);
    assertThat(m.matches()).as("a subject token: %s", token).isTrue();
    return m.group(1);
  }

  private long keyRows(String tenantId, String keyId) {
    return tx.tenantLevel(
        TenantId.of(tenantId),
        () ->
            jdbc.sql("SELECT count(*) FROM pii_subject_keys WHERE key_id = :id")
                .param("id", keyId)
                .query(Long.class)
                .single());
  }

  private static String email(String name) {
    return name + "." + Ids.randomToken(8) + "@subject.example";
  }

  @Test
  void tokenWhenSameValueThenStableCarriesTheSubjectKeyAndReidentifies() {
    Member owner = tokenisingTenant("skst");
    String email = email("stable");
    String first = token(owner, "dev", email);
    assertThat(token(owner, "dev", email))
        .as("same value, same token while the key exists")
        .isEqualTo(first);
    assertThat(token(owner, "dev", email.toUpperCase(java.util.Locale.ROOT)))
        .as("another spelling of the same address: the same subject key, another token")
        .isNotEqualTo(first)
        .startsWith("<EMAIL_ADDRESS:tok:" + keyId(first) + ":");
    String inProd = token(owner, "prod", email);
    assertThat(keyId(inProd)).as("one subject across envs").isEqualTo(keyId(first));
    assertThat(inProd).as("the env is bound into the token").isNotEqualTo(first);

    TestApi.Response r = reidentify(owner, "dev", first);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.text("value")).isEqualTo(email);
    assertThat(reidentify(owner, "prod", first).code())
        .as("a dev token is not a prod token")
        .isEqualTo("pii_token_invalid");

    String card = token(owner, "dev", CARD);
    assertThat(card)
        .as("a card number identifies no subject: tenant/env key, no key id")
        .matches("<CREDIT_CARD:tok:[A-Za-z0-9_-]+>");
    assertThat(reidentify(owner, "dev", card).text("value")).isEqualTo(CARD);
  }

  @Test
  void erasureWhenSubjectErasedThenItsTokensAreGoneForGoodAndOthersStillReidentify(
      CapturedOutput output) {
    Member owner = tokenisingTenant("sker");
    String erased = email("erased");
    String kept = email("kept");
    String erasedToken = token(owner, "dev", erased);
    String erasedProdToken = token(owner, "prod", erased);
    String keptToken = token(owner, "dev", kept);
    String cardToken = token(owner, "dev", CARD);
    String keyId = keyId(erasedToken);
    assertThat(keyRows(owner.tenantId(), keyId)).isOne();

    TestApi.Response erasure = erase(owner, erased);
    assertThat(erasure.status()).as("%s", erasure).isEqualTo(200);
    assertThat(erasure.json().get("erased").toString()).contains("pii_subject_key").contains(keyId);
    assertThat(keyRows(owner.tenantId(), keyId)).as("the key row is gone").isZero();

    for (String[] envAndToken : new String[][] {{"dev", erasedToken}, {"prod", erasedProdToken}}) {
      TestApi.Response gone = reidentify(owner, envAndToken[0], envAndToken[1]);
      assertThat(gone.status()).as("%s", gone).isEqualTo(410);
      assertThat(gone.code()).isEqualTo("subject_erased");
      assertThat(gone.header("Content-Type")).startsWith("application/problem+json");
      assertThat(gone.body()).doesNotContain(erased).doesNotContain("erased.");
    }
    assertThat(reidentify(owner, "dev", keptToken).text("value"))
        .as("another subject's token")
        .isEqualTo(kept);
    assertThat(reidentify(owner, "dev", cardToken).text("value")).isEqualTo(CARD);

    String again = token(owner, "dev", erased);
    assertThat(keyId(again))
        .as("a later use starts a new key; the old tokens stay dead")
        .isNotEqualTo(keyId);
    assertThat(reidentify(owner, "dev", erasedToken).code()).isEqualTo("subject_erased");

    JsonNode audit =
        api.get("/v1/audit?action=gdpr.erasure").as(owner, "dev").send().json().get("items");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("details").get("erased").toString())
        .contains("pii_subject_key:" + keyId);
    JsonNode tombstones =
        api.post("/v1/gdpr/export")
            .as(owner, "dev")
            .json(Map.of("identifiers", Map.of("email", erased)))
            .send()
            .json()
            .get("tombstones");
    assertThat(tombstones.toString()).contains(keyId);
    String stored =
        tx.tenantLevel(
            TenantId.of(owner.tenantId()),
            () ->
                jdbc.sql("SELECT string_agg(t::text, '|') FROM audit_entries t")
                    .query(String.class)
                    .single());
    assertThat(stored).doesNotContain(erased);
    assertThat(output.getAll()).doesNotContain(erased).doesNotContain(kept);
    assertThat(api.get("/v1/audit/verify").as(owner, "dev").send().json().get("valid").asBoolean())
        .isTrue();
  }

  @Test
  void erasureWhenRefusedThenTheKeyDeletionRollsBackWithIt() {
    Member owner = tokenisingTenant("skrb");
    // The last owner cannot be erased: the user hook refuses after the key hook deleted the key
    // in the same transaction, so the key must survive.
    String token = token(owner, "dev", owner.email());
    TestApi.Response refused = erase(owner, owner.email());
    assertThat(refused.code()).isEqualTo("last_owner");
    assertThat(keyRows(owner.tenantId(), keyId(token))).isOne();
    assertThat(reidentify(owner, "dev", token).text("value")).isEqualTo(owner.email());
  }

  @Test
  void wrappedKeyWhenReadFromTheDatabaseThenSealedUnderTheTenantKekAndNotTheRawKey()
      throws Exception {
    Member owner = tokenisingTenant("skwr");
    String email = email("wrapped");
    String token = token(owner, "dev", email);
    String keyId = keyId(token);
    Map<String, Object> row =
        tx.tenantLevel(
            TenantId.of(owner.tenantId()),
            () ->
                jdbc.sql(
                        "SELECT subject_id, wrapped_key, wrapping FROM pii_subject_keys WHERE key_id = :id")
                    .param("id", keyId)
                    .query()
                    .singleRow());
    byte[] wrapped = (byte[]) row.get("wrapped_key");
    String subjectId = (String) row.get("subject_id");
    assertThat(row.get("wrapping")).isEqualTo("aes256gcm-hkdf/v1");
    JsonNode lookup =
        api.post("/v1/gdpr/subjects/lookup")
            .as(owner, "dev")
            .json(Map.of("identifiers", Map.of("email", email)))
            .send()
            .json();
    assertThat(lookup.get("subject_ids").get(0).asString())
        .as("keyed by the GDPR pseudonym")
        .isEqualTo(subjectId);
    assertThat(lookup.get("records").toString()).contains(keyId);

    // Unseal it the documented way: AES-256-GCM under HKDF(master key, "engines-pii/kek/<tenant>").
    byte[] kek =
        hkdf(masterKey.getBytes(StandardCharsets.UTF_8), "engines-pii/kek/" + owner.tenantId(), 32);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(kek, "AES"),
        new GCMParameterSpec(128, wrapped, 0, 12));
    gcm.updateAAD(
        ("engines-pii-subject-key/v1/" + owner.tenantId() + "/" + subjectId + "/" + keyId)
            .getBytes(StandardCharsets.UTF_8));
    byte[] raw = gcm.doFinal(wrapped, 12, wrapped.length - 12);
    assertThat(raw).hasSize(64);
    assertThat(wrapped).hasSize(92).isNotEqualTo(raw);
    assertThat(indexOf(wrapped, raw))
        .as("the raw key does not appear in the stored bytes")
        .isEqualTo(-1);

    // The unsealed key is the one the token was made with.
    Matcher m = SUBJECT_TOKEN.matcher(token);
    assertThat(m.matches()).isTrue();
    byte[] plain =
        aesSiv(raw)
            .decryptDeterministically(
                Base64.getUrlDecoder().decode(m.group(2)),
                (owner.tenantId() + "/dev/EMAIL_ADDRESS/" + keyId)
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(email);
  }

  @Test
  void tokenWhenOtherTenantThenOtherTokenAndNoReidentificationAcrossTenants() {
    Member a = tokenisingTenant("skta");
    Member b = tokenisingTenant("sktb");
    String email = email("shared");
    String inA = token(a, "dev", email);
    String inB = token(b, "dev", email);
    assertThat(inB).isNotEqualTo(inA);
    assertThat(keyId(inB)).isNotEqualTo(keyId(inA));
    TestApi.Response foreign = reidentify(b, "dev", inA);
    assertThat(foreign.code()).as("%s", foreign).isEqualTo("pii_token_invalid");
    assertThat(foreign.body()).doesNotContain(email);
    // Erasing the same address in B destroys B's key only.
    assertThat(erase(b, email).status()).isEqualTo(200);
    assertThat(reidentify(b, "dev", inB).code()).isEqualTo("subject_erased");
    assertThat(reidentify(a, "dev", inA).text("value")).isEqualTo(email);
  }

  @Test
  void firstUseWhenConcurrentThenOneKeyAndTheSameToken() throws Exception {
    Member owner = tokenisingTenant("skcc");
    String email = email("race");
    int parallel = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return token(owner, "dev", email);
                }));
      }
      start.countDown();
      List<String> tokens = new ArrayList<>();
      for (Future<String> f : results) {
        tokens.add(f.get());
      }
      assertThat(tokens).as("every first use got the winner's key").containsOnly(tokens.get(0));
    } finally {
      pool.shutdownNow();
    }
    long keys =
        tx.tenantLevel(
            TenantId.of(owner.tenantId()),
            () -> jdbc.sql("SELECT count(*) FROM pii_subject_keys").query(Long.class).single());
    assertThat(keys).isOne();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * HKDF-SHA256 with the salt the PII keys use, written out here so the test checks the documented
   * derivation.
   */
  private static byte[] hkdf(byte[] ikm, String info, int length) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("engines-pii/v1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 1);
    byte[] block = mac.doFinal();
    return java.util.Arrays.copyOf(block, length);
  }

  private static DeterministicAead aesSiv(byte[] raw) throws Exception {
    DeterministicAeadConfig.register();
    AesSivKey key =
        AesSivKey.builder()
            .setParameters(
                AesSivParameters.builder()
                    .setKeySizeBytes(64)
                    .setVariant(AesSivParameters.Variant.NO_PREFIX)
                    .build())
            .setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get()))
            .build();
    return KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(key).withFixedId(1).makePrimary())
        .build()
        .getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
  }
}
