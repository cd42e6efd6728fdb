package io.kestra.upgrade.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering that matters: a pure planner and state machine, an API that does not reach the
 * database.
 */
@AnalyzeClasses(
    packages = "io.kestra.upgrade.coordinator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule plannerAndMachineArePure =
      classes()
          .that()
          .resideInAnyPackage("..upgrade.plan..", "..upgrade.engine..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java.lang..",
              "java.util..",
              "java.time..",
              "io.kestra.upgrade.common..",
              "io.kestra.upgrade.coordinator.upgrade.plan..",
              "io.kestra.upgrade.coordinator.upgrade.engine..");

  @ArchTest
  static final ArchRule apiDoesNotTouchTheDatabaseOrKafka =
      noClasses()
          .that()
          .resideInAPackage("..coordinator.api..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.sql..", "javax.sql..", "org.apache.kafka..", "..coordinator.db..");
}
