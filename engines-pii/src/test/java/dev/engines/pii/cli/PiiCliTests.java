package dev.engines.pii.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PiiCliTests {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return PiiCli.run(
        args,
        new BufferedReader(new StringReader(stdin)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void analyzeWhenJsonlThenOneRedactedLinePerInput() {
    int status =
        run("{\"id\":7,\"text\":\"ip 10.0.0.1\"}\n{\"id\":\"b\",\"text\":\"none\"}\n", "analyze");
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":7,\"spans\":[{\"type\":\"IP_ADDRESS\",\"start\":3,\"end\":11,\"score\":0.95}],\"redacted\":\"ip <IP_ADDRESS>\"}\n"
                + "{\"id\":\"b\",\"spans\":[],\"redacted\":\"none\"}\n");
  }

  @Test
  void analyzeWhenMalformedLineThenExitTwoNamingTheLineNotItsText() {
    int status =
        run(
            "{\"id\":1,\"text\":\"ok\"}\n{\"id\":2,\"txt\":\"secret 4111111111111111\"}\n",
            "analyze");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("line 2")
        .doesNotContain("4111111111111111");
  }

  @Test
  void runWhenUnknownCommandOrMissingFileThenExitTwo() {
    assertThat(run("", "frobnicate")).isEqualTo(2);
    assertThat(run("", "eval", "/nonexistent/file.jsonl")).isEqualTo(2);
    assertThat(run("")).isEqualTo(2);
  }
}
