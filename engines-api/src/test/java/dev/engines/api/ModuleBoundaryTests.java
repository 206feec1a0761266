package dev.engines.api;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;

/**
 * The module rules of DESIGN §3, checked on the production classes of every module (the engines-api
 * test classpath holds all of them): dependencies point down, another module sees only a module's
 * API packages (never its {@code internal} ones or any other), a module's packages form no cycle,
 * only adapters touch cloud SDKs, production code never depends on test code, and every engine
 * module wires itself (its {@code @AutoConfiguration}, which enables its settings records). No
 * Spring context, no database.
 *
 * <p>The rules are shown to fail when broken: {@link
 * #boundaryRulesWhenAppliedToTheBadFixtureThenReportEachViolation} runs the same rule builders over
 * {@code dev.engines.fixture.boundary}, two pretend modules with one violation of each kind. Its
 * failure reports read (ArchUnit 1.5):
 *
 * <pre>
 * Architecture Violation [Priority: MEDIUM] - Rule 'no classes that reside in a package 'dev.engines.fixture.boundary..'
 * and reside outside of package 'dev.engines.fixture.boundary.alpha..' should depend on classes that reside in a package
 * 'dev.engines.fixture.boundary.alpha..' and not the API packages of alpha [dev.engines.fixture.boundary.alpha], because
 * another module sees only a module's API packages (DESIGN §3)' was violated (2 times):
 * Method &lt;dev.engines.fixture.boundary.beta.Beta.reach()&gt; calls method &lt;dev.engines.fixture.boundary.alpha.hidden.AlphaHelper.help()&gt; in (Beta.java:12)
 * Method &lt;dev.engines.fixture.boundary.beta.Beta.reach()&gt; calls method &lt;dev.engines.fixture.boundary.alpha.internal.AlphaStore.rows()&gt; in (Beta.java:12)
 *
 * Architecture Violation [Priority: MEDIUM] - Rule 'slices assigned from the packages of beta should be free of cycles,
 * because a module's packages layer inside it as the modules do between them (DESIGN §3)' was violated (1 times):
 * Cycle detected: Slice dev.engines.fixture.boundary.beta.one -&gt;
 *                 Slice dev.engines.fixture.boundary.beta.two -&gt;
 *                 Slice dev.engines.fixture.boundary.beta.one
 *   1. Dependencies of Slice dev.engines.fixture.boundary.beta.one
 *     - Method &lt;dev.engines.fixture.boundary.beta.one.One.one()&gt; calls method &lt;dev.engines.fixture.boundary.beta.two.Two.two()&gt; in (One.java:10)
 *   2. Dependencies of Slice dev.engines.fixture.boundary.beta.two
 *     - Method &lt;dev.engines.fixture.boundary.beta.two.Two.two()&gt; calls method &lt;dev.engines.fixture.boundary.beta.one.One.base()&gt; in (Two.java:10)
 * </pre>
 */
class ModuleBoundaryTests {

  private static final String ENGINES = "dev.engines";

  /**
   * Every module, with the packages other modules may use. engines-core is the shared kernel: all
   * of its packages are its API. engines-api is the top: nobody uses it.
   */
  private static final List<Module> MODULES =
      List.of(
          Module.kernel("core"),
          new Module("ledger", ""),
          new Module("config", ""),
          new Module("tenant", ""),
          new Module("pii", "", "gdpr", "policy"),
          new Module("storage", ""),
          new Module("nexus", "", "atomize"),
          new Module("vector", ""),
          new Module("session", ""),
          new Module("kpi", ""),
          new Module("gates", ""),
          new Module("audit", ""),
          new Module("api"));

  /** Engine modules: everything between engines-core and engines-api. */
  private static final List<String> ENGINE_MODULES =
      MODULES.stream()
          .map(Module::name)
          .filter(m -> !m.equals("core") && !m.equals("api"))
          .toList();

  /**
   * Our modules are target/classes folders (reactor build) or engines-*.jar files (after package);
   * skipping every other jar keeps the import fast.
   */
  private static final ImportOption ENGINES_MODULES_ONLY =
      location -> location.contains("/engines-");

  private static JavaClasses production;
  private static JavaClasses fixture;
  private static Set<String> testClassNames;

  @BeforeAll
  static void importClasses() {
    // The rules match dependency targets by name only; resolving Spring, JDK etc. from the
    // classpath
    // would take seconds and add nothing.
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    production =
        new ClassFileImporter()
            .withImportOption(ENGINES_MODULES_ONLY)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ENGINES);
    JavaClasses tests =
        new ClassFileImporter()
            .withImportOption(ENGINES_MODULES_ONLY)
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .importPackages(ENGINES);
    testClassNames = tests.stream().map(JavaClass::getName).collect(Collectors.toUnmodifiableSet());
    fixture = new ClassFileImporter().importPackages(Fixture.BASE);
  }

  @AfterAll
  static void restoreConfiguration() {
    ArchConfiguration.get().reset();
  }

  @Test
  void importWhenProductionClassesThenEveryModuleWithCodeIsPresentAndNoTestClass() {
    // Guards against the rules below passing vacuously because the import found nothing.
    for (Module module : MODULES) {
      assertThat(production.containPackage(module.root()))
          .as("engines-%s imported", module.name())
          .isTrue();
    }
    assertThat(production.contain("dev.engines.core.db.ScopedTransactions")).isTrue();
    assertThat(production.contain("dev.engines.tenant.Members")).isTrue();
    assertThat(production.contain(EnginesApplication.class)).isTrue();
    assertThat(testClassNames)
        .contains(ModuleBoundaryTests.class.getName(), "dev.engines.api.support.TestApi");
    assertThat(production.stream().map(JavaClass::getName))
        .doesNotContainAnyElementsOf(testClassNames);
    assertThat(fixture.contain("dev.engines.fixture.boundary.beta.Beta"))
        .as("the bad fixture imported")
        .isTrue();
  }

  @Test
  void coreWhenCheckedThenDependsOnNoOtherEnginesModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.engines.core..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.engines..").and(not(resideInAPackage("dev.engines.core.."))))
        .because("engines-core is the bottom of the module graph (DESIGN §3)")
        .check(production);
  }

  @Test
  void engineModulesWhenCheckedThenNeverDependOnTheApi() {
    noClasses()
        .that(resideInAnyPackage(packages(ENGINE_MODULES)))
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.engines.api..")
        .because("dependencies point down: api -> engines-* -> core (DESIGN §3)")
        .check(production);
  }

  @Test
  void modulesWhenCheckedThenOthersUseOnlyTheirApiPackages() {
    for (Module module : MODULES) {
      onlyApiVisible(ENGINES, module).check(production);
    }
  }

  @Test
  void modulesWhenCheckedThenNoOneReachesIntoAnInternalPackage() {
    // Implied by the rule above (no API package is internal); kept apart so the reason is plain.
    for (Module module : MODULES) {
      assertThat(module.apiPackages()).noneMatch(p -> p.contains("internal"));
      noClasses()
          .that()
          .resideInAPackage("dev.engines..")
          .and()
          .resideOutsideOfPackage(module.root() + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(module.root() + "..internal..")
          .because("a module keeps its implementations to itself (DESIGN §3)")
          .check(production);
    }
  }

  @Test
  void modulesWhenCheckedThenTheirDependenciesFormNoCycle() {
    // Maven refuses a cycle between the modules' artifacts; this names the classes that would make
    // one (engines-session resolves vector pointers through engines-vector, never the other way).
    slices()
        .matching(ENGINES + ".(*)..")
        .should()
        .beFreeOfCycles()
        .because("dependencies between modules point one way (DESIGN §3)")
        .check(production);
  }

  @Test
  void apiWhenCheckedThenRunsNoSql() {
    noSqlIn("dev.engines.api..").check(production);
  }

  @Test
  void noSqlRuleWhenAppliedToTheBadFixtureThenReportsTheQuery() {
    EvaluationResult result = noSqlIn(Fixture.BASE + ".web..").evaluate(fixture);
    assertThat(result.getFailureReport().getDetails())
        .singleElement()
        .asString()
        .startsWith("Method <dev.engines.fixture.boundary.web.SqlInWeb.count()> calls method")
        .contains("JdbcClient.sql(java.lang.String)");
  }

  /**
   * The web binds, calls one service and maps: SQL belongs to the engine that owns the tables
   * (issue 10). Wiring may hand a {@code JdbcClient} to a module's constructor; it never queries.
   */
  private static ArchRule noSqlIn(String webPackage) {
    return noClasses()
        .that()
        .resideInAPackage(webPackage)
        .should()
        .callMethodWhere(
            target(owner(assignableTo("org.springframework.jdbc.core.simple.JdbcClient")))
                .or(target(owner(assignableTo("org.springframework.jdbc.core.JdbcOperations"))))
                .or(target(owner(assignableTo("java.sql.Connection"))))
                .or(target(owner(assignableTo("java.sql.Statement")))))
        .because("engines-api holds no SQL; the engine modules do (docs/architecture.md)");
  }

  @Test
  void engineModulesWhenCheckedThenNeverImportCloudSdks() {
    noClasses()
        .that()
        .resideInAPackage("dev.engines..")
        .and()
        .resideOutsideOfPackages("dev.engines.storage..", "dev.engines.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon..", "com.google.cloud..")
        .because("cloud SDKs stay behind the storage adapters' SPI (DESIGN §3)")
        .check(production);
  }

  @Test
  void ledgerWhenCheckedThenImportsNoWebType() {
    // The ledger finds a request's event through the caller it is handed, never through the
    // servlet request: work outside a request records through the same surface.
    noClasses()
        .that()
        .resideInAPackage("dev.engines.ledger..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.web..", "jakarta.servlet..")
        .because(
            "the ledger serves requests and jobs alike; the web stays in engines-api (issue 10)")
        .check(production);
  }

  @Test
  void productionClassesWhenCheckedThenNeverDependOnTestCode() {
    assertThat(testClassNames).isNotEmpty();
    noClasses()
        .that()
        .resideInAPackage("dev.engines..")
        .should()
        .dependOnClassesThat(
            describe("are test classes", (JavaClass c) -> testClassNames.contains(c.getName())))
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.junit..",
            "org.assertj..",
            "org.mockito..",
            "org.springframework.test..",
            "org.springframework.boot.test..",
            "com.tngtech.archunit..")
        .because("test fixtures and frameworks must never ship in the service")
        .check(production);
  }

  @Test
  void modulesWhenCheckedThenHaveNoCyclesBetweenTheirPackages() {
    // engines-api included: its web -> config -> ledger -> web cycle went with the ledger module.
    for (Module module : MODULES) {
      packagesFreeOfCycles(ENGINES, module.name()).check(production);
    }
  }

  @Test
  void boundaryRulesWhenAppliedToTheBadFixtureThenReportEachViolation() {
    EvaluationResult visibility = onlyApiVisible(Fixture.BASE, Fixture.ALPHA).evaluate(fixture);
    assertThat(visibility.getFailureReport().getDetails())
        .hasSize(2)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "Method <dev.engines.fixture.boundary.beta.Beta.reach()> calls method "
                            + "<dev.engines.fixture.boundary.alpha.internal.AlphaStore.rows()>"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "Method <dev.engines.fixture.boundary.beta.Beta.reach()> calls method "
                            + "<dev.engines.fixture.boundary.alpha.hidden.AlphaHelper.help()>"))
        .noneSatisfy(line -> assertThat(line).contains("Alpha.name()"));
    assertThat(onlyApiVisible(Fixture.BASE, Fixture.BETA).evaluate(fixture).hasViolation())
        .as("nobody reaches into beta")
        .isFalse();

    EvaluationResult cycles = packagesFreeOfCycles(Fixture.BASE, "beta").evaluate(fixture);
    assertThat(cycles.getFailureReport().getDetails())
        .singleElement()
        .asString()
        .startsWith("Cycle detected: Slice dev.engines.fixture.boundary.beta.one -> ")
        .contains("Slice dev.engines.fixture.boundary.beta.two -> ");
    assertThat(packagesFreeOfCycles(Fixture.BASE, "alpha").evaluate(fixture).hasViolation())
        .isFalse();
  }

  @Test
  void mainCodeWhenCheckedThenNeverFindsTheRequestInMdcHoldersOrThreadLocals() {
    noAmbientRequestReads(ENGINES, "dev.engines.api.web", Set.of()).check(production);
  }

  @Test
  void ambientReadRuleWhenAppliedToTheBadFixtureThenReportsEachRead() {
    EvaluationResult result =
        noAmbientRequestReads(Fixture.BASE, Fixture.BASE + ".web", Set.of()).evaluate(fixture);
    assertThat(result.getFailureReport().getDetails())
        .hasSize(3)
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "Method <dev.engines.fixture.boundary.ambient.AmbientReader.find()> calls method"))
        .anySatisfy(line -> assertThat(line).contains("<org.slf4j.MDC.get(java.lang.String)>"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "<org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()>"))
        .anySatisfy(line -> assertThat(line).contains("<java.lang.ThreadLocal.get()>"));
  }

  @Test
  void boundaryRuleWhenPointedUpwardThenReportsTheRealDownwardDependencies() {
    // The same rule shapes, pointed the wrong way, must find violations: proves they see real
    // edges.
    ArchRule apiMustNotUseCore =
        noClasses()
            .that()
            .resideInAPackage("dev.engines.api..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.engines.core..");
    ArchRule tenantMustNotUseCore =
        noClasses()
            .that(resideInAnyPackage(packages(List.of("tenant"))))
            .should()
            .dependOnClassesThat(
                resideInAPackage("dev.engines..")
                    .and(not(resideInAPackage("dev.engines.tenant.."))));
    assertThat(apiMustNotUseCore.evaluate(production).hasViolation()).isTrue();
    assertThat(tenantMustNotUseCore.evaluate(production).hasViolation()).isTrue();
  }

  @Test
  void everyModuleWhenOnTheClasspathThenWiresItselfAndEnablesEachOfItsSettings() {
    ClassLoader loader = getClass().getClassLoader();
    List<String> autoConfigurations =
        ImportCandidates.load(AutoConfiguration.class, loader).getCandidates().stream()
            .filter(name -> name.startsWith(ENGINES + "."))
            .toList();
    Set<String> enabled = new TreeSet<>();
    for (String name : autoConfigurations) {
      MergedAnnotations.from(ClassUtils.resolveClassName(name, loader)).stream(
              EnableConfigurationProperties.class)
          .forEach(
              e -> Stream.of(e.getClassArray("value")).map(Class::getName).forEach(enabled::add));
    }
    for (Module module : MODULES) {
      boolean wired =
          autoConfigurations.stream().anyMatch(name -> name.startsWith(module.root() + "."));
      assertThat(wired)
          .as("engines-%s registers an @AutoConfiguration", module.name())
          .isEqualTo(!module.name().equals("api"));
    }
    // Startup checks the settings the auto-configurations enable (EarlyConfigurationCheck): a
    // record
    // enabled some other way would escape that one message.
    Set<String> settings =
        production.stream()
            .filter(
                c ->
                    c.isAnnotatedWith(ConfigurationProperties.class)
                        && !c.getPackageName().startsWith("dev.engines.api"))
            .map(JavaClass::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(settings)
        .contains("dev.engines.storage.StorageSettings", "dev.engines.tenant.AuthSettings");
    assertThat(enabled).containsAll(settings);
  }

  /**
   * Classes outside {@code module} may depend only on the classes of its API packages (exact
   * packages, not their sub-packages).
   */
  private static ArchRule onlyApiVisible(String base, Module module) {
    String root = module.root();
    DescribedPredicate<JavaClass> api =
        module.kernel()
            ? not(resideInAPackage(root + "..internal.."))
            : resideInAnyPackage(module.apiPackages().toArray(String[]::new));
    String described =
        module.kernel() ? "[" + root + ".. but internal]" : module.apiPackages().toString();
    return noClasses()
        .that()
        .resideInAPackage(base + "..")
        .and()
        .resideOutsideOfPackage(root + "..")
        .should()
        .dependOnClassesThat(
            resideInAPackage(root + "..")
                .and(not(api))
                .as(
                    "reside in a package '"
                        + root
                        + "..' and not the API packages of "
                        + module.name()
                        + " "
                        + described))
        .because("another module sees only a module's API packages (DESIGN §3)");
  }

  /**
   * Main code outside the web filters ({@code web}) and {@code allowed} never reads the request
   * back from the logging context, Spring's request holder or a thread local: the request's context
   * travels in the {@code Caller} (docs/adr/0014-call-context.md). Writing the logging context is
   * fine.
   */
  private static ArchRule noAmbientRequestReads(String base, String web, Set<String> allowed) {
    DescribedPredicate<JavaMethodCall> ambientRead =
        describe(
            "read the request from MDC, RequestContextHolder or a ThreadLocal",
            call -> {
              String owner = call.getTargetOwner().getName();
              String name = call.getName();
              return owner.equals("org.slf4j.MDC")
                      && (name.equals("get") || name.equals("getCopyOfContextMap"))
                  || owner.equals("org.springframework.web.context.request.RequestContextHolder")
                  || (owner.equals("java.lang.ThreadLocal")
                          || owner.equals("java.lang.InheritableThreadLocal"))
                      && name.equals("get");
            });
    return noClasses()
        .that()
        .resideInAPackage(base + "..")
        .and()
        .resideOutsideOfPackage(web)
        .and(describe("are not " + allowed, (JavaClass c) -> !allowed.contains(c.getName())))
        .should()
        .callMethodWhere(ambientRead)
        .because("the request's context travels in the Caller, not on the thread (issue 10)");
  }

  /**
   * Every package of the module is one slice, and the slices must form no cycle. The root package
   * and its {@code internal} packages are one slice: the implementation behind the public surface
   * speaks that surface's types ({@code pii.internal.Analyzer} takes {@code PiiSettings}).
   */
  private static ArchRule packagesFreeOfCycles(String base, String module) {
    String root = base + "." + module;
    SliceAssignment packages =
        new SliceAssignment() {
          @Override
          public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (name.equals(root) || name.startsWith(root + ".internal")) {
              return SliceIdentifier.of(root);
            }
            return name.startsWith(root + ".")
                ? SliceIdentifier.of(name)
                : SliceIdentifier.ignore();
          }

          @Override
          public String getDescription() {
            return "the packages of " + module;
          }
        };
    return slices()
        .assignedFrom(packages)
        .should()
        .beFreeOfCycles()
        .allowEmptyShould(true)
        .because("a module's packages layer inside it as the modules do between them (DESIGN §3)");
  }

  private static String[] packages(List<String> modules) {
    return modules.stream().map(m -> "dev.engines." + m + "..").toArray(String[]::new);
  }

  /**
   * A module (its root package) and the packages other modules may use, relative to the root
   * ({@code ""}: the root itself).
   */
  private record Module(String root, boolean kernel, List<String> api) {

    Module(String name, String... api) {
      this(ENGINES + "." + name, false, List.of(api));
    }

    /** A module all of whose packages but {@code internal} ones are API. */
    static Module kernel(String name) {
      return new Module(ENGINES + "." + name, true, List.of());
    }

    /** The same module under another base package (the fixture's). */
    Module under(String base) {
      return new Module(base + "." + name(), kernel, api);
    }

    String name() {
      return root.substring(root.lastIndexOf('.') + 1);
    }

    /** The API packages, in full. */
    List<String> apiPackages() {
      return api.stream().map(p -> p.isEmpty() ? root : root + "." + p).toList();
    }
  }

  /** The deliberately bad classes of {@code dev.engines.fixture.boundary} (test sources). */
  private static final class Fixture {
    static final String BASE = "dev.engines.fixture.boundary";
    static final Module ALPHA = new Module("alpha", "").under(BASE);
    static final Module BETA = new Module("beta", "").under(BASE);
  }
}
