package dev.engines.api;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of DESIGN §3, checked on the production classes of every module (the
 * engines-api test classpath holds all of them): dependencies point down, nobody reaches into
 * another module's {@code internal} package, only adapters touch cloud SDKs, and production code
 * never depends on test code. No Spring, no database.
 */
class ModuleBoundaryTests {

  /** Engine modules: everything between engines-core and engines-api. */
  private static final List<String> ENGINE_MODULES = List.of("tenant", "pii", "nexus", "storage", "vector", "session", "kpi", "gates");

  /** Every module root package, core and api included. */
  private static final List<String> ALL_MODULES = java.util.stream.Stream.concat(
      java.util.stream.Stream.of("core", "api"), ENGINE_MODULES.stream()).toList();

  /**
   * Our modules are target/classes folders (reactor build) or engines-*.jar files (after package);
   * skipping every other jar keeps the import fast.
   */
  private static final ImportOption ENGINES_MODULES_ONLY = location -> location.contains("/engines-");

  private static JavaClasses production;
  private static Set<String> testClassNames;

  @BeforeAll
  static void importClasses() {
    // The rules match dependency targets by name only; resolving Spring, JDK etc. from the classpath
    // would take seconds and add nothing.
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    production = new ClassFileImporter().withImportOption(ENGINES_MODULES_ONLY)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.engines");
    testClassNames = new ClassFileImporter().withImportOption(ENGINES_MODULES_ONLY)
        .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS).importPackages("dev.engines")
        .stream().map(JavaClass::getName).collect(Collectors.toUnmodifiableSet());
  }

  @AfterAll
  static void restoreConfiguration() {
    ArchConfiguration.get().reset();
  }

  @Test
  void importWhenProductionClassesThenEveryModuleWithCodeIsPresentAndNoTestClass() {
    // Guards against the rules below passing vacuously because the import found nothing.
    assertThat(production.containPackage("dev.engines.core")).as("engines-core imported").isTrue();
    assertThat(production.containPackage("dev.engines.tenant")).as("engines-tenant imported").isTrue();
    assertThat(production.containPackage("dev.engines.api")).as("engines-api imported").isTrue();
    assertThat(production.contain("dev.engines.core.db.ScopedTransactions")).isTrue();
    assertThat(production.contain("dev.engines.tenant.Members")).isTrue();
    assertThat(production.contain(EnginesApplication.class)).isTrue();
    assertThat(testClassNames).contains(ModuleBoundaryTests.class.getName(), "dev.engines.api.support.TestApi");
    assertThat(production.stream().map(JavaClass::getName)).doesNotContainAnyElementsOf(testClassNames);
  }

  @Test
  void coreWhenCheckedThenDependsOnNoOtherEnginesModule() {
    noClasses().that().resideInAPackage("dev.engines.core..")
        .should().dependOnClassesThat(resideInAPackage("dev.engines..").and(not(resideInAPackage("dev.engines.core.."))))
        .because("engines-core is the bottom of the module graph (DESIGN §3)")
        .check(production);
  }

  @Test
  void engineModulesWhenCheckedThenNeverDependOnTheApi() {
    noClasses().that(resideInAnyPackage(packages(ENGINE_MODULES)))
        .should().dependOnClassesThat().resideInAPackage("dev.engines.api..")
        .because("dependencies point down: api -> engines-* -> core (DESIGN §3)")
        .check(production);
  }

  @Test
  void modulesWhenCheckedThenNeverReachIntoAnotherModulesInternals() {
    for (String module : ALL_MODULES) {
      String root = "dev.engines." + module + "..";
      noClasses().that().resideInAPackage("dev.engines..").and().resideOutsideOfPackage(root)
          .should().dependOnClassesThat().resideInAPackage("dev.engines." + module + "..internal..")
          .because("a module exposes a small public package and keeps the rest to itself (DESIGN §3)")
          .check(production);
    }
  }

  @Test
  void engineModulesWhenCheckedThenNeverImportCloudSdks() {
    noClasses().that().resideInAPackage("dev.engines..")
        .and().resideOutsideOfPackages("dev.engines.storage..", "dev.engines.api..")
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.google.cloud..")
        .because("cloud SDKs stay behind the storage adapters' SPI (DESIGN §3)")
        .check(production);
  }

  @Test
  void productionClassesWhenCheckedThenNeverDependOnTestCode() {
    assertThat(testClassNames).isNotEmpty();
    noClasses().that().resideInAPackage("dev.engines..")
        .should().dependOnClassesThat(describe("are test classes", (JavaClass c) -> testClassNames.contains(c.getName())))
        .orShould().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.assertj..", "org.mockito..",
            "org.springframework.test..", "org.springframework.boot.test..", "com.tngtech.archunit..")
        .because("test fixtures and frameworks must never ship in the service")
        .check(production);
  }

  /**
   * Engines-api is the one exception, and the rule below proves it sees real cycles on it: its
   * {@code web → config → ledger → web} cycle goes when the DatasetEvent ledger becomes a module.
   */
  private static final List<String> MODULES_WITHOUT_PACKAGE_CYCLES = ALL_MODULES.stream().filter(m -> !m.equals("api")).toList();

  @Test
  void modulesWhenCheckedThenHaveNoCyclesBetweenTheirPackages() {
    for (String module : MODULES_WITHOUT_PACKAGE_CYCLES) {
      packagesFreeOfCycles(module).check(production);
    }
  }

  @Test
  void packageCycleRuleWhenAppliedToTheApiThenFindsItsKnownCycle() {
    assertThat(packagesFreeOfCycles("api").evaluate(production).hasViolation()).isTrue();
  }

  /**
   * Every package of the module is one slice, and the slices must form no cycle. The root package
   * and its {@code internal} packages are one slice: the implementation behind the public surface
   * speaks that surface's types ({@code pii.internal.Analyzer} takes {@code PiiSettings}).
   */
  private static ArchRule packagesFreeOfCycles(String module) {
    String root = "dev.engines." + module;
    SliceAssignment packages = new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String name = javaClass.getPackageName();
        if (name.equals(root) || name.startsWith(root + ".internal")) {
          return SliceIdentifier.of(root);
        }
        return name.startsWith(root + ".") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "the packages of engines-" + module;
      }
    };
    // The placeholder modules (vector, session) have no classes yet.
    return slices().assignedFrom(packages).should().beFreeOfCycles().allowEmptyShould(true)
        .because("a module's packages layer inside it as the modules do between them (DESIGN §3)");
  }

  @Test
  void boundaryRuleWhenPointedUpwardThenReportsTheRealDownwardDependencies() {
    // The same rule shapes, pointed the wrong way, must find violations: proves they see real edges.
    ArchRule apiMustNotUseCore = noClasses().that().resideInAPackage("dev.engines.api..")
        .should().dependOnClassesThat().resideInAPackage("dev.engines.core..");
    ArchRule tenantMustNotUseCore = noClasses().that(resideInAnyPackage(packages(List.of("tenant"))))
        .should().dependOnClassesThat(resideInAPackage("dev.engines..").and(not(resideInAPackage("dev.engines.tenant.."))));
    assertThat(apiMustNotUseCore.evaluate(production).hasViolation()).isTrue();
    assertThat(tenantMustNotUseCore.evaluate(production).hasViolation()).isTrue();
  }

  private static String[] packages(List<String> modules) {
    return modules.stream().map(m -> "dev.engines." + m + "..").toArray(String[]::new);
  }
}
