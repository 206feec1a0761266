package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.RawHttp;
import dev.engines.api.support.TestApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's static files over plain HTTP: public, with the strict Content-Security-Policy, and
 * nothing else of the classpath reachable through their path. The browser drives them in
 * {@link ConsoleBrowserIntegrationTests}.
 */
class ConsoleResourcesIntegrationTests extends IntegrationTest {

  private static void assertConsoleHeaders(TestApi.Response r) {
    assertThat(r.header("Content-Security-Policy")).as("%s", r).isEqualTo(ConsoleConfiguration.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "*");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
  }

  @Test
  void consoleWhenRequestedWithoutCredentialThenServedWithItsPolicy() {
    TestApi.Response page = api.get("/console/").send();
    assertThat(page.status()).as("%s", page).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>").doesNotContain("<script>", "style=");
    assertConsoleHeaders(page);
    for (String file : List.of("app.js", "api.js", "dom.js", "chart.js", "roles.js", "pages/keys.js", "console.css", "icon.svg")) {
      TestApi.Response r = api.get("/console/" + file).send();
      assertThat(r.status()).as("%s %s", file, r).isEqualTo(200);
      assertConsoleHeaders(r);
    }
    TestApi.Response script = api.get("/console/app.js").send();
    assertThat(script.header("Content-Type")).startsWith("text/javascript");
    // Revalidated on every load, so a new release's modules replace the old ones at once.
    assertThat(script.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(script.header("Last-Modified")).isNotBlank();
    TestApi.Response bare = api.get("/console").send();
    assertThat(bare.status()).as("%s", bare).isEqualTo(302);
    assertThat(bare.header("Location")).endsWith("/console/");
  }

  @Test
  void consoleWhenScriptsReadThenNoHtmlSinkAndNoStorageButSessionStorage() {
    // The policy requires Trusted Types, under which an HTML sink would throw: none may be used.
    for (String file : List.of("app.js", "api.js", "dom.js", "chart.js", "roles.js", "pages/overview.js", "pages/members.js",
        "pages/keys.js", "pages/config.js", "pages/pii.js", "pages/events.js", "pages/audit.js", "pages/assets.js",
        "pages/temperature.js", "pages/kpis.js", "pages/locks.js", "pages/killswitch.js", "pages/usage.js")) {
      // The SVG namespace is a name, not an address: every other URL would be a download from elsewhere.
      String source = api.get("/console/" + file).send().body().replace("'http://www.w3.org/2000/svg'", "");
      assertThat(source).as(file).isNotBlank()
          .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage",
              "document.cookie", "https://", "http://");
    }
  }

  @Test
  void consolePathWhenHostileThenProblemNeverAFileOutsideTheConsole() {
    RawHttp raw = new RawHttp(api.port());
    for (String path : List.of("/console/../application.yml", "/console/%2e%2e/application.yml", "/console//app.js",
        "/console/;x=1/app.js", "/console/%2e/app.js")) {
      TestApi.Response r = raw.send("GET", path, Map.of(), null);
      ProblemResponsesIntegrationTests.assertProblem(r, 400, "request_rejected");
    }
    for (String path : List.of("/console/application.yml", "/console/dev/engines/api/EnginesApplication.class",
        "/console/db/migration/ledger/V2__ledger.sql", "/console/missing.js")) {
      ProblemResponsesIntegrationTests.assertProblem(api.get(path).send(), 404, "not_found");
    }
    ProblemResponsesIntegrationTests.assertProblem(raw.send("GET", "/console/app.js%00", Map.of(), null), 400, "bad_request");
    ProblemResponsesIntegrationTests.assertProblem(api.post("/console/app.js").json("{}").send(), 405, "method_not_allowed");
  }
}
