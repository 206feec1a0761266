package dev.engines.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

class LogRedactorTests {

  private final LogRedactor redactor = LogRedactor.shared();

  @Test
  void redactWhenApiKeyOrOperatorTokenThenReplacedWhole() {
    assertThat(redactor.redact("key eng_abcdefghijklmnop_abcdefghijklmnopqrstuvwxyz234567 used"))
        .isEqualTo("key <ENGINES_API_KEY> used");
    assertThat(redactor.redact("op eop_test_operator_token"))
        .isEqualTo("op <ENGINES_OPERATOR_TOKEN>");
    assertThat(
            redactor.redact(
                "Authorization: Bearer eng_abcdefghijklmnop_abcdefghijklmnopqrstuvwxyz234567"))
        .isEqualTo("Authorization: Bearer <ENGINES_API_KEY>");
  }

  @Test
  void redactWhenShortOperatorTokenThenCaughtByTheLastPattern() {
    assertThat(redactor.redact("op eop_abc12345")).isEqualTo("op <ENGINES_CREDENTIAL>");
  }

  @Test
  void redactWhenPiiThenTypedPlaceholders() {
    assertThat(redactor.redact("mail a.b@example.com card 4111 1111 1111 1111"))
        .isEqualTo("mail <EMAIL_ADDRESS> card <CREDIT_CARD>");
  }

  @Test
  void redactWhenPlainOrNullThenUnchanged() {
    assertThat(redactor.redact("GET /v1/users/u_abc -> 200 in 3 ms"))
        .isEqualTo("GET /v1/users/u_abc -> 200 in 3 ms");
    assertThat(redactor.redact(null)).isNull();
  }

  @Test
  void redactWhenOperationalValuesThenUnchanged() {
    SoftAssertions softly = new SoftAssertions();
    // Hosts, ports, database names, versions and addresses are what an operator reads a log for.
    for (String line :
        new String[] {
          "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@5e2c3d18 to jdbc:postgresql://db.internal.example:5432/engines",
          "Database: jdbc:postgresql://127.0.0.1:5443/engines_test (PostgreSQL 17.2)",
          "Tomcat started on port 8080 (http) with context path '/'",
          "Starting EnginesApplication v0.1.0-SNAPSHOT using Java 25.0.1 with PID 4711",
          "Flyway Community Edition 11.14.1 by Redgate; Successfully validated 69 migrations (execution time 00:00.120s)",
          "connecting to s3proxy.local:9000 and https://storage.googleapis.com/engines-raw-eu",
          "Connection to 10.0.12.7:5432 refused. Check that the hostname and port are correct",
          "replica jdbc:postgresql://[fd00::1]:5432,db-primary-2.eu-west-1.rds.amazonaws.com:5433/engines?targetServerType=primary",
          "started on 2026-12-07T03:12:44.123Z, version 1.24.0",
        }) {
      softly.assertThat(redactor.redact(line)).as(line).isEqualTo(line);
    }
    softly.assertAll();
  }

  @Test
  void redactWhenSecretParameterOrAddressWithoutTheOtherMarkersThenStillRedacted() {
    // The patterns are skipped for text without '=', ':' or "eng_"/"eop_"; each alone still counts.
    assertThat(redactor.redact("retry with token=abc.def")).isEqualTo("retry with token=<SECRET>");
    assertThat(redactor.redact("peer 10.0.12.7:5432 gone")).isEqualTo("peer 10.0.12.7:5432 gone");
    assertThat(redactor.redact("peer 10.0.12.7 gone")).isEqualTo("peer <IP_ADDRESS> gone");
    assertThat(redactor.redact("GET /v1/atoms/at_0123abcd -> 200 in 3 ms"))
        .isEqualTo("GET /v1/atoms/at_0123abcd -> 200 in 3 ms");
  }

  @Test
  void redactWhenBareIpAddressThenStillRedacted() {
    // A bare address is typically a client's, which can identify a person; a server's comes with a
    // port or URL.
    assertThat(redactor.redact("rejected client 203.0.113.77 after 3 attempts"))
        .isEqualTo("rejected client <IP_ADDRESS> after 3 attempts");
  }

  @Test
  void redactWhenJdbcUrlCarriesPasswordThenOnlyThePasswordGoes() {
    assertThat(
            redactor.redact(
                "url jdbc:postgresql://db.internal.example:5432/engines?user=engines_app&password=s3cr3t-Pa55&ssl=true"))
        .isEqualTo(
            "url jdbc:postgresql://db.internal.example:5432/engines?user=engines_app&password=<SECRET>&ssl=true");
    assertThat(
            redactor.redact(
                "url postgresql://engines_app:s3cr3t-Pa55@db.internal.example:5432/engines"))
        .isEqualTo("url postgresql://engines_app:<SECRET>@db.internal.example:5432/engines");
    assertThat(
            redactor.redact(
                "jdbc:postgresql://10.0.0.5/engines?sslpassword=k3y&user=a Password=hunter2 token=abc.def"))
        .isEqualTo(
            "jdbc:postgresql://10.0.0.5/engines?sslpassword=<SECRET>&user=a Password=<SECRET> token=<SECRET>");
    // An email as the path of a URL is still PII.
    assertThat(redactor.redact("GET https://api.example/v1/users/leaky.person@mail.example"))
        .isEqualTo("GET https://api.example/v1/users/<EMAIL_ADDRESS>");
  }

  @Test
  void redactWhenEmailOrKeysBesideHostsThenPiiAndSecretsGoHostsStay() {
    assertThat(redactor.redact("mail to ops.lead@mail.example via smtp.mail.example:587"))
        .isEqualTo("mail to <EMAIL_ADDRESS> via smtp.mail.example:587");
    assertThat(redactor.redact("s3 endpoint s3.eu-west-1.amazonaws.com key AKIAIOSFODNN7EXAMPLE"))
        .startsWith("s3 endpoint s3.eu-west-1.amazonaws.com key <")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE");
  }
}
