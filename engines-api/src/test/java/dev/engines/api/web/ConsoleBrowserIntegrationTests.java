package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The console in a real browser (Debian's headless Chromium through chromium-driver) against the
 * real service: the scenarios an admin runs. One browser serves the whole class; each test signs in
 * to a tenant of its own. Screenshots go to {@code target/console-screenshots}. Without Chromium
 * the class fails (bin/lib/provision-browser.sh installs it; bin/engines test runs that first).
 */
class ConsoleBrowserIntegrationTests extends IntegrationTest {

  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  private static ChromeDriver browser;
  private static Path profile;

  private WebDriverWait wait;
  private String base;

  @BeforeAll
  static void startBrowser() throws IOException {
    File chromium = new File(System.getenv().getOrDefault("ENGINES_CHROMIUM", "/usr/bin/chromium"));
    File driver =
        new File(System.getenv().getOrDefault("ENGINES_CHROMEDRIVER", "/usr/bin/chromedriver"));
    assertThat(chromium.canExecute() && driver.canExecute())
        .as(
            "The console's browser tests need Chromium (%s) and its driver (%s): run bin/lib/provision-browser.sh"
                + " (bin/engines test does), or set ENGINES_CHROMIUM and ENGINES_CHROMEDRIVER.",
            chromium, driver)
        .isTrue();
    profile = Files.createTempDirectory("engines-console-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    // Without the background-networking flags Chromium calls home, which this closed network
    // refuses.
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1366,900",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void blankTab() {
    base = "http://127.0.0.1:" + api.port();
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get(base + "/console/#/signin");
    ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
    // A new document: the page read the previous test's key when it loaded, and would stay signed
    // in.
    browser.navigate().refresh();
    browser.manage().logs().get(LogType.BROWSER);
  }

  /** No policy violation, Trusted Types refusal or uncaught error was logged by the page. */
  @AfterEach
  void pageLoggedNoViolation() {
    List<String> bad =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
            .map(LogEntry::getMessage)
            // a refused API call is logged by Chromium as a failed load: the console shows the
            // problem
            .filter(m -> !m.contains("Failed to load resource"))
            .toList();
    assertThat(bad).as("browser console").isEmpty();
  }

  private WebElement find(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private void type(String css, String text) {
    WebElement input = find(css);
    input.clear();
    input.sendKeys(text);
  }

  private void screenshot(String name) {
    try {
      Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void signIn(Member member, String env) {
    browser.get(base + "/console/#/signin");
    type("#signin-tenant", member.tenantId());
    new Select(find("#signin-env")).selectByValue(env);
    type("#signin-key", member.token());
    find("#signin-submit").click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("who-tenant"), member.tenantId()));
  }

  /**
   * Loads the page afresh (a new document, so no element of the previous page can be found) and
   * waits for its content.
   */
  private void open(String route) {
    browser.get(base + "/console/#/" + route);
    browser.navigate().refresh();
    wait.until(
        ExpectedConditions.and(
            ExpectedConditions.presenceOfElementLocated(By.cssSelector("main > h1")),
            ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("main > p.working"))));
  }

  private String problemCode(String scope) {
    return find(scope + " .problem").getAttribute("data-code");
  }

  private String sessionStorage() {
    return String.valueOf(
        ((JavascriptExecutor) browser).executeScript("return JSON.stringify(sessionStorage);"));
  }

  @Test
  void
      signInWhenKeyRefusedThenProblemWithCodeAndRequestIdAndWhenAcceptedThenKeyInThisTabOnlyUntilSignOut() {
    Member owner = tenants.tenant("cbsign");
    browser.get(base + "/console/");
    type("#signin-tenant", owner.tenantId());
    type("#signin-key", "eng_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    find("#signin-submit").click();
    assertThat(problemCode("#signin-form")).isEqualTo("credential_invalid");
    assertThat(find("#signin-form .problem .request-id").getText()).startsWith("req_");
    screenshot("signin-refused");

    signIn(owner, "dev");
    assertThat(find("#me-role").getText()).isEqualTo("owner");
    assertThat(sessionStorage()).contains(owner.token());
    assertThat(
            String.valueOf(
                ((JavascriptExecutor) browser)
                    .executeScript("return JSON.stringify(localStorage) + document.cookie;")))
        .doesNotContain(owner.token());
    screenshot("overview");
    // The env switcher asks the API again: the same key in another env.
    new Select(find("#env-switch")).selectByValue("staging");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#me dd:nth-of-type(2)"), "staging"));
    find("#sign-out").click();
    find("#signin-form");
    assertThat(sessionStorage()).doesNotContain(owner.token()).isEqualTo("{}");
  }

  @Test
  void membersWhenAdminInvitesThenListedAndRankRuleShown() {
    Member owner = tenants.tenant("cbmem");
    Member admin = tenants.user(owner, "admin");
    signIn(admin, "dev");
    open("members");
    assertThat(find("#rank-rule").getText()).contains("members and viewers");
    assertThat(new Select(find("#invite-role")).getOptions())
        .extracting(WebElement::getText)
        .containsExactly("member", "viewer");
    // The owner's row: an admin may not change it, and the page says why instead of offering
    // buttons.
    assertThat(
            find("[data-email='" + owner.email() + "']")
                .findElement(By.xpath("ancestor::tr"))
                .getText())
        .contains("owners are managed by owners");
    type("#invite-email", "not-an-address");
    type("#invite-name", "Bea");
    find("#invite-submit").click();
    assertThat(problemCode("#invite-form")).isEqualTo("validation_failed");
    type("#invite-email", "bea@cbmem.example");
    find("#invite-submit").click();
    WebElement row = find("[data-email='bea@cbmem.example']").findElement(By.xpath("ancestor::tr"));
    assertThat(row.getText()).contains("member", "active");
    screenshot("members");
  }

  @Test
  void keysWhenCreatedThenTheSecretIsShownOnceAndWorks() {
    Member owner = tenants.tenant("cbkey");
    signIn(owner, "dev");
    open("keys");
    assertThat(find("#key-rules").getText()).contains("As an owner you manage everyone");
    new Select(find("#key-kind")).selectByValue("service");
    type("#key-name", "orchestrator");
    new Select(find("#key-role")).selectByValue("member");
    find("#key-create-submit").click();
    String token = find("#key-secret-value").getAttribute("value");
    assertThat(token).matches("^eng_[A-Za-z0-9]{16}_[A-Za-z0-9]{32}$");
    screenshot("key-created");
    assertThat(
            api.get("/v1/me")
                .bearer(token)
                .scope(owner.tenantId(), "dev")
                .send()
                .json()
                .get("role")
                .asString())
        .isEqualTo("member");
    find("#key-secret-done").click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("key-secret")));
    assertThat(browser.getPageSource()).doesNotContain(token);
    assertThat(sessionStorage()).doesNotContain(token);
    open("overview");
    open("keys");
    String keyId = token.substring(0, 20).replace("eng_", "ak_");
    assertThat(browser.getPageSource()).contains("orchestrator").doesNotContain(token);

    // Rotate: a new secret, shown once too; revoke: the key stops working on the next request.
    rowAction(keyId, "rotate").click();
    String rotated = find("#key-secret-value").getAttribute("value");
    assertThat(rotated).startsWith(token.substring(0, 21)).isNotEqualTo(token);
    find("#key-secret-done").click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("key-secret")));
    WebElement revoke = rowAction(keyId, "revoke");
    revoke.click();
    wait.until(ExpectedConditions.stalenessOf(revoke));
    assertThat(
            find("[data-key-id='" + keyId + "']").findElement(By.xpath("ancestor::tr")).getText())
        .contains("revoked");
    assertThat(api.get("/v1/me").bearer(rotated).scope(owner.tenantId(), "dev").send().status())
        .isEqualTo(401);
  }

  /** The button of a key's row, found again when the list re-renders while it is looked up. */
  private WebElement rowAction(String keyId, String action) {
    return wait.ignoring(StaleElementReferenceException.class)
        .until(
            d ->
                d.findElement(By.cssSelector("[data-key-id='" + keyId + "']"))
                    .findElement(By.xpath("ancestor::tr"))
                    .findElement(By.cssSelector("[data-action='" + action + "']")));
  }

  @Test
  void configSlotWhenInvalidThenFieldErrorBesideTheEditorAndWhenStaleThenConflictExplained() {
    Member owner = tenants.nexusTenant("cbcfg");
    signIn(owner, "dev");
    open("config/storage");
    type("#config-json", "{\"backend\":\"filesystem\",\"max_object_bytes\":0}");
    find("#config-save").click();
    WebElement error = find("#config-form .field-error[data-field='max_object_bytes']");
    assertThat(error.getText()).contains("max_object_bytes");
    assertThat(find("#config-json").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(find("#config-json").getAttribute("aria-describedby"))
        .contains(error.getAttribute("id"));
    assertThat(find("#config-form .problem .request-id").getText()).startsWith("req_");
    screenshot("config-field-error");
    // Someone else saves in between: the console's If-Match is stale, and it says so.
    TestApi.Response other =
        api.put("/v1/config/storage")
            .as(owner, "dev")
            .json(Map.of("backend", "filesystem", "max_object_bytes", 2048))
            .send();
    assertThat(other.status()).as("%s", other).isEqualTo(200);
    type("#config-json", "{\"backend\":\"filesystem\",\"max_object_bytes\":4096}");
    find("#config-save").click();
    assertThat(problemCode("#config-form")).isIn("version_conflict", "precondition_failed");
    assertThat(find("#config-form .problem .explain").getText()).contains("Reload");
    find("#config-reload").click();
    wait.until(ExpectedConditions.textToBePresentInElementValue(By.id("config-json"), "2048"));
  }

  @Test
  void redactionPreviewWhenTypingThenTheRedactedTextFollows() {
    Member owner = tenants.tenant("cbpii");
    signIn(owner, "dev");
    open("pii");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("redacted-text"), "<EMAIL_ADDRESS>"));
    WebElement input = find("#redact-input");
    input.clear();
    input.sendKeys("Call Ana at ana@cbpii.example about Project Zephyr");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("redacted-text"), "Call Ana at <EMAIL_ADDRESS> about"));
    // A deny-list entry saved from the page applies to the next preview.
    type("#lists-deny", "Project Zephyr");
    WebElement saved = find("#lists-save");
    saved.click();
    // The page renders anew once the lists are saved.
    wait.until(ExpectedConditions.stalenessOf(saved));
    WebElement again = find("#redact-input");
    again.clear();
    again.sendKeys("Status of Project Zephyr");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("redacted-text"), "<DENY_LIST>"));
    assertThat(find("#redact-output table").getText()).contains("DENY_LIST");
    screenshot("pii-redaction");
  }

  @Test
  void lockWhenApprovedThenWeightsChangeAndTheTemperatureChartDrawsFloorsAndCeilings() {
    Member owner = tenants.tenant("cblock");
    new GateFixtures(api).slot(owner, "dev", false);
    signIn(owner, "dev");
    // Without a lock the weights are refused, and the page says what it takes.
    open("temperature/checkout");
    type("#weights-input", "conversion = 2\nerrors = -1");
    find("#weights-form button[type='submit']").click();
    assertThat(problemCode("#weights-form")).isEqualTo("strategy_lock_required");
    assertThat(find("#weights-form .problem .explain").getText()).contains("strategy lock");

    open("locks");
    type("#lock-title", "Q3 checkout thresholds");
    type("#lock-surface", "checkout");
    for (String action :
        List.of(
            "temperature:upsert_weights",
            "temperature:upsert_floors",
            "temperature:upsert_ceilings")) {
      find("input[name='allowed_actions'][value='" + action + "']").click();
    }
    find("#lock-submit").click();
    WebElement draft =
        find("#lock-queue tbody tr [data-lock]").findElement(By.xpath("ancestor::tr"));
    assertThat(draft.getText())
        .contains(
            "Allows temperature:upsert_ceilings, temperature:upsert_floors, temperature:upsert_weights",
            "on surface checkout",
            "until");
    screenshot("locks-queue");
    draft.findElement(By.cssSelector("[data-action='approve']")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#lock-queue h2"), "(0)"));

    open("temperature/checkout");
    type("#weights-input", "conversion = 2\nerrors = -1");
    find("#weights-form button[type='submit']").click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#weights-form .hint"), "Version 1"));

    // Thresholds, observations and three stored snapshots a day apart, through the API.
    assertThat(
            api.put("/v1/temperature/checkout/floors")
                .as(owner, "dev")
                .json(
                    Map.of(
                        "performance_floors",
                        Map.of("conversion", 0.02),
                        "cadence_floors",
                        Map.of("orders", 100)))
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            api.put("/v1/temperature/checkout/ceilings")
                .as(owner, "dev")
                .json(Map.of("ceilings", Map.of("conversion", 0.2)))
                .send()
                .status())
        .isEqualTo(200);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int day = 2; day >= 0; day--) {
      Instant at = now.minus(Duration.ofDays(day));
      assertThat(
              api.post("/v1/metrics/observations")
                  .as(owner, "dev")
                  .json(
                      Map.of(
                          "items",
                          List.of(
                              Map.of(
                                  "surface",
                                  "checkout",
                                  "metric",
                                  "conversion",
                                  "value",
                                  0.01 + day * 0.02,
                                  "observed_at",
                                  at.minusSeconds(60).toString()),
                              Map.of(
                                  "surface",
                                  "checkout",
                                  "metric",
                                  "errors",
                                  "value",
                                  day + 1,
                                  "observed_at",
                                  at.minusSeconds(60).toString()))))
                  .send()
                  .status())
          .isEqualTo(200);
      assertThat(
              api.post("/v1/temperature/checkout/snapshots")
                  .as(owner, "dev")
                  .json(Map.of("window_days", 1, "as_of", at.toString()))
                  .send()
                  .status())
          .isEqualTo(201);
    }
    open("temperature/checkout");
    assertThat(browser.findElements(By.cssSelector("#temperature-value-chart svg circle")))
        .hasSize(3);
    WebElement conversion = find("figure[data-metric='conversion'] svg");
    assertThat(conversion.getAttribute("role")).isEqualTo("img");
    assertThat(conversion.findElements(By.cssSelector("line[data-kind='floor']"))).hasSize(1);
    assertThat(conversion.findElements(By.cssSelector("line[data-kind='ceiling']"))).hasSize(1);
    assertThat(conversion.findElements(By.cssSelector("circle"))).hasSize(3);
    assertThat(
            find("figure[data-metric='orders'] svg")
                .findElements(By.cssSelector("line[data-kind='cadence']")))
        .hasSize(1);
    assertThat(find("figure[data-metric='conversion'] figcaption").getText()).contains("weight 2");
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('temperature-charts').scrollIntoView();");
    screenshot("temperature");

    // The other gated pages read what is in force; the kill switch, too, needs a lock (for every
    // surface).
    open("kpis");
    find("#kpi-form");
    open("kill-switch");
    assertThat(find("#kill-switch-state").getText()).contains("Never set");
    type("#kill-switch-form textarea[name='disabled_actions']", "nexus:derive");
    find("#kill-switch-save").click();
    assertThat(problemCode("#kill-switch-form")).isEqualTo("strategy_lock_required");
  }

  @Test
  void traceWhenFollowedFromTheExplorerThenEveryEventAndAuditEntryOfTheRequest() {
    Member owner = tenants.tenant("cbtrace");
    signIn(owner, "dev");
    open("members");
    type("#invite-email", "cy@cbtrace.example");
    type("#invite-name", "Cy");
    find("#invite-submit").click();
    find("[data-email='cy@cbtrace.example']");

    open("events");
    type("#events-filter input[name='action']", "user.create");
    type("#events-filter input[name='actor_id']", owner.userId());
    find("#events-apply").click();
    WebElement traceLink = find("#events-results tbody [data-trace]");
    assertThat(browser.findElements(By.cssSelector("#events-results tbody tr"))).hasSize(1);
    String traceId = traceLink.getAttribute("data-trace");
    traceLink.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("trace-id"), traceId));
    assertThat(find("#trace-events").getText()).contains("user.create", "success");
    assertThat(find("#trace-audit").getText()).contains("user.create", "user:");
    screenshot("trace");

    open("audit");
    find("#audit-verify").click();
    assertThat(find("#audit-verify-result [data-valid]").getAttribute("data-valid"))
        .isEqualTo("true");
    screenshot("audit");
  }

  @Test
  void assetWhenUploadedAndDerivedThenAtomsAndTheirLineageShown() throws IOException {
    Member owner = tenants.nexusTenant("cbasset");
    Path file = Files.createTempFile("console-notes", ".txt");
    Files.writeString(file, "First paragraph, mail ana@cbasset.example.\n\nSecond paragraph.\n");
    try {
      signIn(owner, "dev");
      open("assets");
      find("#upload-file").sendKeys(file.toAbsolutePath().toString());
      find("#upload-submit").click();
      find("#asset-detail");
      new Select(find("#derive-op")).selectByValue("text.paragraphs");
      find("#derive-submit").click();
      find("#asset-detail [data-derivation]").click();
      WebElement atom = find("#atoms tbody [data-atom]");
      assertThat(browser.findElements(By.cssSelector("#atoms tbody tr"))).hasSize(2);
      assertThat(find("#atoms").getText())
          .contains("<EMAIL_ADDRESS>")
          .doesNotContain("ana@cbasset.example");
      atom.click();
      assertThat(find("#atom-lineage").getText()).contains("text.paragraphs", "ordinal", "span");
      screenshot("assets");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void usageWhenQuotasAndBudgetsSetThenBarsShowTheUseAgainstEachLimitWithItsAriaValues() {
    Member owner = tenants.nexusTenant("cbusage");
    TestApi.Response slot =
        api.put("/v1/config/gates")
            .as(owner, "dev")
            .json(
                Map.of(
                    "four_eyes",
                    false,
                    "quotas",
                    Map.of("assets", 10, "stored_bytes", 1000),
                    "budgets",
                    Map.of("cost_units_per_day", 100, "prices", Map.of("storage:upload", 7))))
            .send();
    assertThat(slot.status()).as("%s", slot).isEqualTo(200);
    for (String text : List.of("first\n", "second!\n")) {
      TestApi.Response r =
          api.post("/v1/assets?filename=u.txt").as(owner, "dev").body(text, "text/plain").send();
      assertThat(r.status()).as("%s", r).isEqualTo(201);
    }
    signIn(owner, "dev");
    open("usage");
    assertMeter("assets", 2, 10, "2 of 10 assets (20 %)");
    assertMeter("stored_bytes", 14, 1000, "14 of 1000 bytes (1 %)");
    assertMeter("cost_units_per_day", 14, 100, "14 of 100 cost units (14 %)");
    assertThat(find("[data-name='atoms']").getText()).contains("no limit");
    assertThat(find("#usage").getText()).contains("storage:upload");
    screenshot("usage");
  }

  /** The bar of one limit: its text, and the value, bounds and text a screen reader announces. */
  private void assertMeter(String name, long used, long limit, String text) {
    WebElement row = find(".usage-row[data-name='" + name + "']");
    WebElement meter = row.findElement(By.tagName("meter"));
    assertThat(row.findElement(By.cssSelector(".usage-text")).getText()).startsWith(text);
    assertThat(meter.getAttribute("aria-valuenow")).isEqualTo(String.valueOf(used));
    assertThat(meter.getAttribute("aria-valuemin")).isEqualTo("0");
    assertThat(meter.getAttribute("aria-valuemax")).isEqualTo(String.valueOf(limit));
    assertThat(meter.getAttribute("aria-valuetext")).isEqualTo(text);
    assertThat(meter.getDomProperty("value")).isEqualTo(String.valueOf(used));
    assertThat(browser.findElement(By.id(meter.getAttribute("aria-labelledby"))).getText())
        .isEqualTo(name.replace('_', ' '));
  }

  @Test
  void creatingPostWhenItsAnswerIsLostThenTheRetrySendsTheSameIdempotencyKeyAndTheLockExistsOnce() {
    Member owner = tenants.tenant("cbidem");
    signIn(owner, "dev");
    open("locks");
    // The answer of the first attempt is lost on its way back (the service created the lock): the
    // page sees a network error. Every creating POST's Idempotency-Key is noted.
    ((JavascriptExecutor) browser)
        .executeScript(
            """
        const real = window.fetch;
        window.sentKeys = [];
        window.fetch = async (url, init) => {
          const response = await real(url, init);
          if (init && init.method === 'POST' && url === '/v1/strategy-locks') {
            window.sentKeys.push(init.headers['Idempotency-Key'] || null);
            if (window.sentKeys.length === 1) {
              throw new TypeError('connection reset');
            }
          }
          return response;
        };""");
    type("#lock-title", "Retried once");
    find("input[name='allowed_actions'][value='temperature:upsert_weights']").click();
    find("#lock-submit").click();
    assertThat(problemCode("#lock-form")).isEqualTo("network_error");
    find("#lock-submit").click();
    wait.until(
        ExpectedConditions.numberOfElementsToBe(
            By.cssSelector("#lock-queue tbody tr [data-lock]"), 1));
    assertThat(locks(owner)).as("the retry ran nothing twice").hasSize(1);
    // A new action (the form filled in again, now that the first settled) is a new key: a second
    // lock.
    type("#lock-title", "Retried once");
    find("input[name='allowed_actions'][value='temperature:upsert_weights']").click();
    find("#lock-submit").click();
    wait.until(
        ExpectedConditions.numberOfElementsToBe(
            By.cssSelector("#lock-queue tbody tr [data-lock]"), 2));
    assertThat(locks(owner)).hasSize(2);
    @SuppressWarnings("unchecked")
    List<String> keys =
        (List<String>) ((JavascriptExecutor) browser).executeScript("return window.sentKeys;");
    assertThat(keys).hasSize(3);
    assertThat(keys.get(0))
        .matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    assertThat(keys.get(1)).as("the retry").isEqualTo(keys.get(0));
    assertThat(keys.get(2)).as("the next action").isNotEqualTo(keys.get(0));
  }

  private JsonNode locks(Member owner) {
    TestApi.Response r = api.get("/v1/strategy-locks").as(owner, "dev").send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("items");
  }
}
