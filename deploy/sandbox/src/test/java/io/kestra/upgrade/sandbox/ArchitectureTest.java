package io.kestra.upgrade.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The sandbox runs the coordinator and the agents as processes, from their jars: its code knows
 * their command lines and REST API, never their classes. Its packages (command line, demo, stack,
 * support) depend on each other one way only.
 */
@AnalyzeClasses(
    packages = "io.kestra.upgrade.sandbox",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule sandboxDoesNotUseTheCoordinatorsClasses =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.kestra.upgrade.coordinator..");

  @ArchTest
  static final ArchRule sandboxDoesNotUseTheAgentsClasses =
      noClasses().should().dependOnClassesThat().resideInAPackage("io.kestra.upgrade.agent..");

  @ArchTest
  static final ArchRule packagesHaveNoCycles =
      slices().matching("io.kestra.upgrade.sandbox.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule stackDoesNotKnowTheDemoNorTheCommandLine =
      noClasses()
          .that()
          .resideInAnyPackage("..sandbox.stack..", "..sandbox.support..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..sandbox.demo..", "io.kestra.upgrade.sandbox");
}
