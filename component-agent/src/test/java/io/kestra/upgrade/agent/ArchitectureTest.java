package io.kestra.upgrade.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The core and the drivers are plain Java, so that many agents run in one JVM and the logic is
 * tested without a container; the Quarkus shell sits on top of them, never under; the agent and the
 * coordinator share only the contracts of common.
 */
@AnalyzeClasses(
    packages = "io.kestra.upgrade.agent",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] FRAMEWORKS = {
    "io.quarkus..",
    "io.smallrye..",
    "jakarta..",
    "javax.inject..",
    "javax.enterprise..",
    "org.eclipse.microprofile..",
    "io.vertx.."
  };

  @ArchTest
  static final ArchRule coreImportsNoFramework =
      noClasses()
          .that()
          .resideInAPackage("io.kestra.upgrade.agent.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(FRAMEWORKS);

  @ArchTest
  static final ArchRule driversImportNoFramework =
      noClasses()
          .that()
          .resideInAPackage("io.kestra.upgrade.agent.driver..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(FRAMEWORKS);

  @ArchTest
  static final ArchRule driversDoNotKnowTheCore =
      noClasses()
          .that()
          .resideInAPackage("io.kestra.upgrade.agent.driver..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.kestra.upgrade.agent.core..");

  @ArchTest
  static final ArchRule agentDoesNotKnowTheCoordinator =
      noClasses()
          .that()
          .resideInAPackage("io.kestra.upgrade.agent..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.kestra.upgrade.coordinator..");

  @ArchTest
  static final ArchRule coreAndDriversDoNotKnowTheQuarkusShell =
      noClasses()
          .that()
          .resideInAnyPackage("io.kestra.upgrade.agent.core..", "io.kestra.upgrade.agent.driver..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.kestra.upgrade.agent");

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("io.kestra.upgrade.agent.(**)").should().beFreeOfCycles();
}
