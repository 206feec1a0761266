package dev.engines.api.safety;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The safety sweep as a build gate: every {@link SafetyRules} rule holds on the production classes
 * of all modules (the engines-api test classpath holds them all), and fires on the bad fixture
 * {@code dev.engines.fixture.safety}, which breaks each rule once or more. No Spring, no database.
 */
class SafetyRulesTests {

  private static final String FIXTURE = "dev.engines.fixture.safety";

  private static JavaClasses production;
  private static JavaClasses fixture;

  @BeforeAll
  static void importClasses() {
    production = SafetyRules.production();
    fixture = new ClassFileImporter().importPackages(FIXTURE);
  }

  @Test
  void importWhenProductionThenEveryModuleAndNoFixture() {
    // Guards against the rules passing vacuously: the import found the modules and no test class.
    assertThat(production.contain("dev.engines.api.EnginesApplication")).isTrue();
    assertThat(
            production.contain("dev.engines.vector.VectorAutoConfiguration")
                || production.containPackage("dev.engines.vector"))
        .isTrue();
    assertThat(production.containPackage(FIXTURE)).isFalse();
    assertThat(fixture.contain(FIXTURE + ".UserCache")).isTrue();
  }

  @Test
  void productionWhenCheckedThenEverySafetyRuleHolds() {
    for (ArchRule rule : SafetyRules.all("dev.engines").values()) {
      rule.check(production);
    }
  }

  @Test
  void allowancesWhenCheckedThenEachNamesAProductionClass() {
    assertThat(SafetyRules.staleAllowances(production, "dev.engines")).isEmpty();
    // The check itself: against the fixture, every allowance of the service is stale.
    assertThat(SafetyRules.staleAllowances(fixture, FIXTURE)).hasSizeGreaterThan(5);
  }

  @Test
  void networkRuleWhenAppliedToProductionThenSeesTheAllowedClientsItExempts() {
    // Without its allowances the rule must find the storage adapters and the ledger sink: it sees
    // real edges.
    ArchRule strict =
        noClasses()
            .that()
            .resideInAPackage("dev.engines..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.net.http..", "software.amazon.awssdk..");
    assertThat(strict.evaluate(production).getFailureReport().getDetails())
        .anySatisfy(line -> assertThat(line).contains("OpenLineageSink"))
        .anySatisfy(line -> assertThat(line).contains("dev.engines.storage.s3."));
  }

  @Test
  void modelRulesWhenAppliedToTheFixtureThenReportTheChatModelAndNotTheEmbedder() {
    assertThat(details("no-model-clients"))
        .isNotEmpty()
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains("ChatSummarizer")
                    .contains("dev.langchain4j.model.chat.ChatModel"));
    assertThat(details("embedder-only-in-vector"))
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains("ChatSummarizer"))
        .noneSatisfy(line -> assertThat(line).contains("Embedder"));
  }

  @Test
  void promptRulesWhenAppliedToTheFixtureThenReportThePromptBuilder() {
    assertThat(details("no-prompts-or-orchestration"))
        .singleElement()
        .asString()
        .contains(FIXTURE + ".PromptTemplates");
    assertThat(details("no-prompt-fields"))
        .singleElement()
        .asString()
        .contains("PromptTemplates.SYSTEM_PROMPT");
  }

  @Test
  void cacheRuleWhenAppliedToTheFixtureThenReportsEachUnscopedCacheAndNotTheScopedOnes() {
    assertThat(details("caches-keyed-by-scope"))
        .hasSize(3)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "Field <" + FIXTURE + ".UserCache.BY_EMAIL> is a static map filled by")
                    .contains("remember"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "Field <" + FIXTURE + ".UserCache.lastSeen> is a static non-final map"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "Field <"
                            + FIXTURE
                            + ".UserCache.rows> is a cache (ConcurrentMap) keyed by "
                            + "java.lang.String, which lacks the tenant and env"))
        .noneSatisfy(line -> assertThat(line).contains("CODES"))
        .noneSatisfy(line -> assertThat(line).contains("ScopedCache"));
  }

  @Test
  void networkRuleWhenAppliedToTheFixtureThenReportsTheHttpClient() {
    assertThat(details("no-outbound-network"))
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains("WebhookNotifier"))
        .anySatisfy(line -> assertThat(line).contains("java.net.http.HttpClient"));
  }

  @Test
  void loggingRulesWhenAppliedToTheFixtureThenReportTheHeaderTheMessageAndTheStackTrace() {
    assertThat(details("logs-only-through-the-redacting-logger"))
        .singleElement()
        .asString()
        .contains(
            "ChattyFilter.fail(java.lang.RuntimeException)> calls method <java.lang.RuntimeException.printStackTrace()>");
    // A header or a message read in a method that logs; the exception passed as the last argument
    // passes.
    assertThat(details("no-request-data-or-exception-messages-in-logs"))
        .hasSize(2)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "ChattyFilter.handle(jakarta.servlet.http.HttpServletRequest)> logs and reads "
                            + "jakarta.servlet.http.HttpServletRequest.getHeader()"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "ChattyFilter.fail(java.lang.RuntimeException)> logs and reads "
                            + "java.lang.RuntimeException.getMessage()"))
        .noneSatisfy(line -> assertThat(line).contains("quiet"));
  }

  @Test
  void routeRuleWhenAppliedToTheFixtureThenReportsTheRouteWithoutPolicy() {
    assertThat(details("every-route-declares-its-policy"))
        .singleElement()
        .asString()
        .startsWith(
            "Method <"
                + FIXTURE
                + ".UnguardedController.open()> maps a route but declares no @RoutePolicy");
  }

  @Test
  void everyRuleWhenAppliedToTheFixtureThenFiresWithItsReason() {
    Map<String, ArchRule> rules = SafetyRules.all(FIXTURE);
    assertThat(rules.keySet()).containsExactlyElementsOf(SafetyRules.names());
    rules.forEach(
        (name, rule) -> {
          EvaluationResult result = rule.evaluate(fixture);
          assertThat(result.hasViolation()).as(name).isTrue();
          assertThat(result.getFailureReport().toString()).as(name).contains("because");
        });
  }

  private static List<String> details(String rule) {
    return SafetyRules.all(FIXTURE).get(rule).evaluate(fixture).getFailureReport().getDetails();
  }
}
