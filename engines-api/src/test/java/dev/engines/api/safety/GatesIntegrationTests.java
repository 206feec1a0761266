package dev.engines.api.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/engines gates --url} against the real application on a random port, knowing it only by
 * its URL, its {@code /v3/api-docs} and the operator token: the healthy build leaks nothing. The
 * same suite against a deliberately broken build is {@link GatesLeakIntegrationTests}.
 */
class GatesIntegrationTests extends IntegrationTest {

  @Test
  void healthyDeploymentWhenAttackedBlackBoxThenNothingLeaks() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    BlackBoxIsolation.Result result =
        new BlackBoxIsolation(
                URI.create("http://127.0.0.1:" + api.port()),
                TestApi.OPERATOR_TOKEN,
                null,
                new PrintStream(printed, true, StandardCharsets.UTF_8))
            .run();
    System.out.println("gates " + result.summary());
    assertThat(result.leaks()).as(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(result.oddities()).as("refusals with an unexpected status, or 5xx").isEmpty();
    // Every tenant and operator route of the document was attacked, in both envs.
    assertThat(result.routes()).isGreaterThan(80);
    assertThat(result.requests()).isGreaterThan(result.routes() * 4);
  }

  @Test
  void gatesCommandWhenHealthyDeploymentThenPrintsOneSummaryLineAndExitsZero() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status =
        GatesCli.run(
            List.of("--skip-config", "--url", "http://127.0.0.1:" + api.port()),
            TestApi.OPERATOR_TOKEN,
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output).isZero();
    assertThat(output.lines().filter(line -> line.startsWith("engines gates: ")))
        .singleElement()
        .asString()
        .contains("safety=ok (9 rules)")
        .contains("leaked=0")
        .endsWith("-> PASS");
  }

  @Test
  void gatesCommandWhenUrlWithoutOperatorTokenThenUsageError() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status =
        GatesCli.run(
            List.of("--skip-config", "--url", "http://127.0.0.1:" + api.port()),
            null,
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("ENGINES_OPERATOR_TOKEN");
  }
}
