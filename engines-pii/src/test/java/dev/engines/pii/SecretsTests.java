package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTests {

  private static final String JWT =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

  @Test
  void analyzeWhenAwsAccessKeyIdThenAwsAccessKey() {
    assertThat(Engines.found("aws_access_key_id=AKIAIOSFODNN7EXAMPLE\nASIAY34FZKBOKMUTVV7A"))
        .containsExactly("AWS_ACCESS_KEY 18 38", "AWS_ACCESS_KEY 39 59");
  }

  @Test
  void analyzeWhenAwsPrefixInsideLongerTokenThenNothing() {
    assertThat(Engines.found("XAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLEX AKIAshort")).isEmpty();
  }

  @Test
  void analyzeWhenJwtThenWholeToken() {
    assertThat(Engines.found("token=" + JWT + " next"))
        .containsExactly("JWT 6 " + (6 + JWT.length()));
  }

  @Test
  void analyzeWhenEyjSegmentsWithoutAlgHeaderThenNoJwt() {
    // {"typ":"JWT"} without alg
    assertThat(Engines.found("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln")).isEmpty();
    assertThat(Engines.found("eyJhbGciOiJIUzI1NiJ9.only-two")).isEmpty();
  }

  @Test
  void analyzeWhenBearerTokenThenTokenOnly() {
    assertThat(Engines.found("Authorization: Bearer abcDEF123456ghiJKL789\n"))
        .containsExactly("BEARER_TOKEN 22 43");
  }

  @Test
  void analyzeWhenBearerJwtThenJwtWinsTheTie() {
    assertThat(Engines.found("Authorization: bearer " + JWT))
        .containsExactly("JWT 22 " + (22 + JWT.length()));
  }

  @Test
  void analyzeWhenBearerInProseThenNothing() {
    assertThat(Engines.found("The bearer authentication scheme and the Bearer token flow."))
        .isEmpty();
  }

  @Test
  void analyzeWhenPrivateKeyBlockThenBeginToEnd() {
    String key =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq0\nq83d==\n-----END RSA PRIVATE KEY-----";
    assertThat(Engines.found("key:\n" + key + "\ndone"))
        .containsExactly("PRIVATE_KEY 5 " + (5 + key.length()));
  }

  @Test
  void analyzeWhenPrivateKeyTruncatedThenBodyStillFlagged() {
    String text = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmU=";
    assertThat(Engines.found(text + "\n")).containsExactly("PRIVATE_KEY 0 " + text.length());
  }

  @Test
  void analyzeWhenPublicKeyOrCertificateThenNothing() {
    assertThat(Engines.found("-----BEGIN PUBLIC KEY-----\nMFkwEwYH\n-----END PUBLIC KEY-----"))
        .isEmpty();
  }

  @Test
  void analyzeWhenUrlWithPasswordThenUserinfoOnly() {
    assertThat(Engines.found("jdbc postgresql://app:s3cr3t@db.example.com:5432/app"))
        .containsExactly("URL_CREDENTIALS 18 28");
  }

  @Test
  void analyzeWhenPasswordContainsAtThenWholeUserinfo() {
    assertThat(Engines.found("https://joe:p@ss@host.example.com/x"))
        .containsExactly("URL_CREDENTIALS 8 16");
  }

  @Test
  void analyzeWhenUrlWithoutPasswordThenNoCredentials() {
    assertThat(
            Engines.found(
                "https://example.com/a:b@c and ftp://joe@files.example.com",
                PiiTypes.URL_CREDENTIALS))
        .isEmpty();
  }

  private static final String API_KEY = "eng_abcdefghijklmnop_qrstuvwxyz234567abcdefghijklmnop";
  private static final String OPERATOR_TOKEN = "eop_mfrggzdfmztwq2lknnwg23tpobyxe43u";

  @Test
  void analyzeWhenEnginesApiKeyInTextThenWholeKey() {
    String text = "use " + API_KEY + ", then rotate";
    assertThat(Engines.found(text)).containsExactly("ENGINES_API_KEY 4 " + (4 + API_KEY.length()));
    assertThat(Engines.found("key=" + API_KEY + "\n"))
        .containsExactly("ENGINES_API_KEY 4 " + (4 + API_KEY.length()));
  }

  @Test
  void analyzeWhenEnginesKeyAfterBearerThenApiKeyWinsOverBearerToken() {
    assertThat(Engines.found("Authorization: Bearer " + API_KEY))
        .containsExactly("ENGINES_API_KEY 22 " + (22 + API_KEY.length()));
  }

  @Test
  void analyzeWhenEnginesOperatorTokenThenWholeToken() {
    assertThat(Engines.found("op token " + OPERATOR_TOKEN + " leaked"))
        .containsExactly("ENGINES_OPERATOR_TOKEN 9 " + (9 + OPERATOR_TOKEN.length()));
    assertThat(Engines.found("eop_test_operator_token_for_integration_tests"))
        .containsExactly("ENGINES_OPERATOR_TOKEN 0 45");
  }

  @Test
  void analyzeWhenEnginesKeyLookAlikesThenNothing() {
    assertThat(
            Engines.found(
                String.join(
                    " ",
                    "eng_abcdefghijklmnop", // the public key id alone
                    "eng_abcdefghijklmnop_qrstuvwxyz234567abcdefghijklmno", // secret one char short
                    "eng_abcdefghijklmnop_qrstuvwxyz234567abcdefghijklmnopq", // secret one char
                    // long
                    "eng_ABCDEFGHIJKLMNOP_QRSTUVWXYZ234567ABCDEFGHIJKLMNOP", // upper case is not
                    // the alphabet
                    "eng_abcdefghijklmno1_qrstuvwxyz234567abcdefghijklmnop", // 1 is not base32
                    "eng_abcdefghijklmnop-qrstuvwxyz234567abcdefghijklmnop", // wrong separator
                    "xeng_abcdefghijklmnop_qrstuvwxyz234567abcdefghijklmnop", // glued on the left
                    "engine_abcdefghijklmnop_qrstuvwxyz234567abcdefghijklmnop",
                    "english eng_ eop_ eop_count eop_short_name",
                    "deop_mfrggzdfmztwq2lknnwg23tp",
                    "x-eop_mfrggzdfmztwq2lknnwg23tp")))
        .isEmpty();
  }
}
