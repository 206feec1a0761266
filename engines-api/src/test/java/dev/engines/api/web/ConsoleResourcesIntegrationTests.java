package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.RawHttp;
import dev.engines.api.support.TestApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The console's static files over plain HTTP: public, with the strict Content-Security-Policy, and
 * nothing else of the classpath reachable through their path. The browser drives them in {@link
 * ConsoleBrowserIntegrationTests}.
 */
class ConsoleResourcesIntegrationTests extends IntegrationTest {

  private static void assertConsoleHeaders(TestApi.Response r) {
    assertThat(r.header("Content-Security-Policy"))
        .as("%s", r)
        .isEqualTo(ConsoleConfiguration.CONTENT_SECURITY_POLICY)
        .contains(
            "script-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "connect-src 'self'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "*");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
  }

  @Test
  void consoleWhenRequestedWithoutCredentialThenServedWithItsPolicy() {
    TestApi.Response page = api.get("/console/").send();
    assertThat(page.status()).as("%s", page).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body())
        .contains("<script type=\"module\" src=\"app.js\"></script>")
        .doesNotContain("<script>", "style=");
    assertConsoleHeaders(page);
    for (String file :
        List.of(
            "app.js",
            "api.js",
            "dom.js",
            "chart.js",
            "roles.js",
            "pages/keys.js",
            "console.css",
            "icon.svg")) {
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
    for (String file :
        List.of(
            "app.js",
            "api.js",
            "dom.js",
            "chart.js",
            "roles.js",
            "pages/overview.js",
            "pages/members.js",
            "pages/keys.js",
            "pages/config.js",
            "pages/pii.js",
            "pages/events.js",
            "pages/audit.js",
            "pages/assets.js",
            "pages/temperature.js",
            "pages/kpis.js",
            "pages/locks.js",
            "pages/killswitch.js",
            "pages/usage.js")) {
      // The SVG namespace is a name, not an address: every other URL would be a download from
      // elsewhere.
      String source =
          api.get("/console/" + file).send().body().replace("'http://www.w3.org/2000/svg'", "");
      assertThat(source)
          .as(file)
          .isNotBlank()
          .doesNotContain(
              "innerHTML",
              "outerHTML",
              "insertAdjacentHTML",
              "document.write",
              "eval(",
              "new Function",
              "localStorage",
              "document.cookie",
              "https://",
              "http://");
    }
  }

  /**
   * Every route the OpenAPI document lists with an {@code Idempotency-Key} is called through {@code
   * create} (which sends one, reused on a retry), never through a plain {@code post}: the console
   * retries nothing twice.
   */
  @Test
  void consoleWhenScriptsPostToACreatingRouteThenThroughCreateWithAnIdempotencyKey() {
    List<Pattern> creating = creatingRoutes();
    assertThat(creating).as("creating routes in /v3/api-docs").hasSizeGreaterThan(10);
    assertThat(
            plainPostsTo(
                creating,
                "await post('/v1/users', { email });\n post(`/v1/temperature/${s}/snapshots`, {});"))
        .as("the check fires on a plain post")
        .containsExactly("/v1/users", "/v1/temperature/{}/snapshots");
    for (String file :
        List.of(
            "api.js",
            "pages/members.js",
            "pages/keys.js",
            "pages/assets.js",
            "pages/temperature.js",
            "pages/locks.js",
            "pages/pii.js",
            "pages/config.js",
            "pages/kpis.js",
            "pages/killswitch.js")) {
      assertThat(plainPostsTo(creating, api.get("/console/" + file).send().body()))
          .as(file)
          .isEmpty();
    }
    String apiJs = api.get("/console/api.js").send().body();
    assertThat(apiJs)
        .as("uploads send a key too")
        .contains("xhr.setRequestHeader('Idempotency-Key'");
  }

  /**
   * The paths of the POST operations that take an Idempotency-Key, as patterns ({param} matches one
   * segment).
   */
  private List<Pattern> creatingRoutes() {
    JsonNode paths = api.get("/v3/api-docs").send().json().get("paths");
    List<Pattern> routes = new ArrayList<>();
    for (String path : paths.propertyNames()) {
      JsonNode post = paths.get(path).get("post");
      if (post != null
          && post.has("parameters")
          && post.get("parameters").toString().contains("\"Idempotency-Key\"")) {
        routes.add(Pattern.compile(Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q")));
      }
    }
    return routes;
  }

  /**
   * The literal paths of {@code post(…)} calls in {@code source} that match a creating route; a
   * template's ${…} is {}.
   */
  private static List<String> plainPostsTo(List<Pattern> creating, String source) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile("\\bpost\\(\\s*[`'\"]([^`'\"]+)[`'\"]").matcher(source);
    while (m.find()) {
      String path = m.group(1).replaceAll("\\$\\{[^}]*}", "{}");
      if (creating.stream().anyMatch(p -> p.matcher(path).matches())) {
        found.add(path);
      }
    }
    return found;
  }

  @Test
  void consolePathWhenHostileThenProblemNeverAFileOutsideTheConsole() {
    RawHttp raw = new RawHttp(api.port());
    for (String path :
        List.of(
            "/console/../application.yml",
            "/console/%2e%2e/application.yml",
            "/console//app.js",
            "/console/;x=1/app.js",
            "/console/%2e/app.js")) {
      TestApi.Response r = raw.send("GET", path, Map.of(), null);
      ProblemResponsesIntegrationTests.assertProblem(r, 400, "request_rejected");
    }
    for (String path :
        List.of(
            "/console/application.yml",
            "/console/dev/engines/api/EnginesApplication.class",
            "/console/db/migration/ledger/V2__ledger.sql",
            "/console/missing.js")) {
      ProblemResponsesIntegrationTests.assertProblem(api.get(path).send(), 404, "not_found");
    }
    ProblemResponsesIntegrationTests.assertProblem(
        raw.send("GET", "/console/app.js%00", Map.of(), null), 400, "bad_request");
    ProblemResponsesIntegrationTests.assertProblem(
        api.post("/console/app.js").json("{}").send(), 405, "method_not_allowed");
  }
}
