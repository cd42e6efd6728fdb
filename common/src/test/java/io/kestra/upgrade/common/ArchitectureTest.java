package io.kestra.upgrade.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The contracts are shared by every service: they may depend on the JDK and Jackson, nothing else.
 */
@AnalyzeClasses(
    packages = "io.kestra.upgrade.common",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule contractsImportNoFramework =
      classes()
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java..", "javax.crypto..", "com.fasterxml.jackson..", "io.kestra.upgrade.common..");
}
