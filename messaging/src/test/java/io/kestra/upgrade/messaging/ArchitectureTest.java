package io.kestra.upgrade.messaging;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The agent's Kafka plumbing is plain Java: the agent's core runs it without a container, many
 * times in one JVM.
 */
@AnalyzeClasses(
    packages = "io.kestra.upgrade.messaging",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule dependsOnlyOnTheJdkKafkaClientsSlf4jAndTheContracts =
      classes()
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java..",
              "org.apache.kafka..",
              "org.slf4j..",
              "io.kestra.upgrade.common..",
              "io.kestra.upgrade.messaging..")
          .because("no Quarkus, CDI or Jakarta, and nothing of the coordinator or the agent");
}
