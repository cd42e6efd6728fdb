package io.kestra.sim;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The stand-in stays a plain-Java process beside the product: of the product it knows only the
 * contracts of {@code common}; its packages form no cycle; its foundations (configuration,
 * database, versions, HTTP plumbing) know nothing of the roles built on them; the command line is
 * the only door in.
 */
@AnalyzeClasses(packages = "io.kestra.sim", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] ROLES_AND_ABOVE = {
    "io.kestra.sim.cli..",
    "io.kestra.sim.server..",
    "io.kestra.sim.api..",
    "io.kestra.sim.executor..",
    "io.kestra.sim.scheduler..",
    "io.kestra.sim.worker..",
    "io.kestra.sim.indexer..",
    "io.kestra.sim.management..",
    "io.kestra.sim.role..",
    "io.kestra.sim.service.."
  };

  @ArchTest
  static final ArchRule dependsOnNoProductModuleButCommon =
      noClasses()
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.kestra.upgrade..")
                  .and(not(resideInAPackage("io.kestra.upgrade.common.."))))
          .as("kestra-sim depends on no product module other than common");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.kestra.sim.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule foundationsKnowNoRole =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.kestra.sim.config..",
              "io.kestra.sim.db..",
              "io.kestra.sim.version..",
              "io.kestra.sim.http..",
              "io.kestra.sim.json..",
              "io.kestra.sim.log..",
              "io.kestra.sim.fault..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ROLES_AND_ABOVE);

  @ArchTest
  static final ArchRule nothingBelowTheCommandLineKnowsIt =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.kestra.sim.cli..")
          .and()
          .doNotHaveFullyQualifiedName(KestraSim.class.getName())
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.kestra.sim.cli..", "picocli..");

  @ArchTest
  static final ArchRule rolesDoNotKnowTheServerThatAssemblesThem =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.kestra.sim.api..",
              "io.kestra.sim.executor..",
              "io.kestra.sim.scheduler..",
              "io.kestra.sim.worker..",
              "io.kestra.sim.indexer..",
              "io.kestra.sim.management..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.kestra.sim.server..", "io.kestra.sim.cli..");
}
