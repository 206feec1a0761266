package dev.engines.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the SPI free of cloud SDK types and the adapters independent of each other. */
class StorageArchitectureTests {

  /**
   * Only this module's compiled classes; SDK types still show up as the targets of dependencies.
   */
  private static final JavaClasses MAIN = new ClassFileImporter().importPath(mainClasses());

  private static Path mainClasses() {
    try {
      return Path.of(RawStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void spiPackageWhenCompiledThenUsesNoCloudSdkType() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.engines.storage", "dev.engines.storage.internal")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "software.amazon..", "com.google.cloud..", "com.google.auth..", "com.google.api..")
        .check(MAIN);
  }

  @Test
  void spiPackageWhenCompiledThenDependsOnNoAdapter() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.engines.storage", "dev.engines.storage.internal")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.engines.storage.fs..", "dev.engines.storage.s3..", "dev.engines.storage.gcs..")
        .check(MAIN);
  }

  @Test
  void adaptersWhenCompiledThenDependOnNoOtherAdapter() {
    noClasses()
        .that()
        .resideInAPackage("dev.engines.storage.fs..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.engines.storage.s3..",
            "dev.engines.storage.gcs..",
            "software.amazon..",
            "com.google.cloud..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.engines.storage.s3..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.engines.storage.fs..", "dev.engines.storage.gcs..", "com.google.cloud..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.engines.storage.gcs..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.engines.storage.fs..", "dev.engines.storage.s3..", "software.amazon..")
        .check(MAIN);
  }

  @Test
  void adapterInternalsWhenCompiledThenArePackagePrivate() {
    classes()
        .that()
        .resideInAnyPackage(
            "dev.engines.storage.fs", "dev.engines.storage.s3", "dev.engines.storage.gcs")
        .and()
        .haveSimpleNameNotEndingWith("RawStore")
        .and()
        .haveSimpleNameNotEndingWith("Settings")
        .and()
        .haveSimpleNameNotEndingWith("Credentials")
        .and()
        .areTopLevelClasses()
        .should()
        .notBePublic()
        .check(MAIN);
  }
}
