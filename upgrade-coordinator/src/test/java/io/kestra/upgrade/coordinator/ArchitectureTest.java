package io.kestra.upgrade.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.kestra.upgrade.messaging.DeadLetters;
import io.kestra.upgrade.messaging.RecordLoop;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The layering that matters: a pure planner and state machine (no I/O, no threads, no clock of
 * their own: time is given to them), a planner that knows nothing of execution, an API that does
 * not reach the database or Kafka, Kafka records only through SmallRye's channels, a retention job
 * that only deletes rows, no cycles.
 */
@AnalyzeClasses(
    packages = "io.kestra.upgrade.coordinator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String PLAN = "..upgrade.plan..";
  private static final String ENGINE = "..upgrade.engine..";

  @ArchTest
  static final ArchRule plannerAndMachineArePure =
      classes()
          .that()
          .resideInAnyPackage(PLAN, ENGINE)
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
  static final ArchRule plannerAndMachineStartNoThreadAndReadNoClock =
      noClasses()
          .that()
          .resideInAnyPackage(PLAN, ENGINE)
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(Thread.class, System.class, Clock.class, Runtime.class)
          .orShould()
          .callMethod(Instant.class, "now")
          .because("time is an argument of every transition: the same input gives the same output");

  @ArchTest
  static final ArchRule plannerKnowsNothingOfExecution =
      noClasses()
          .that()
          .resideInAPackage(PLAN)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(ENGINE);

  @ArchTest
  static final ArchRule apiDoesNotTouchTheDatabaseOrKafka =
      noClasses()
          .that()
          .resideInAPackage("..coordinator.api..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.sql..", "javax.sql..", "org.apache.kafka..", "..coordinator.db..");

  @ArchTest
  static final ArchRule kafkaRecordsGoThroughTheChannelsOnly =
      noClasses()
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(
              KafkaConsumer.class, KafkaProducer.class, RecordLoop.class, DeadLetters.class)
          .because("the coordinator's Kafka I/O is SmallRye Reactive Messaging's channels");

  @ArchTest
  static final ArchRule onlyTheTopicSetupAdministersKafka =
      noClasses()
          .that()
          .resideOutsideOfPackage("..coordinator.kafka..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.kestra.upgrade.messaging..", "org.apache.kafka.clients.admin..");

  @ArchTest
  static final ArchRule retentionOnlyDeletesWhatTheStoresHold =
      noClasses()
          .that()
          .resideInAPackage("..coordinator.retention..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "..coordinator.upgrade",
              "..coordinator.upgrade.engine..",
              "..coordinator.fleet..",
              "..coordinator.inbox..",
              "..coordinator.api..")
          .because("pruning by age drives no transition and changes no agent");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.kestra.upgrade.coordinator.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTheLeaderElectionOpensItsOwnConnections =
      noClasses()
          .that()
          .resideOutsideOfPackage("..coordinator.leader..")
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(java.sql.DriverManager.class, org.postgresql.PGConnection.class)
          .because(
              "every other connection comes from the pool; the lock's session is the one exception");

  @ArchTest
  static final ArchRule theLeaderElectionKnowsNothingOfWhatTheLeaderDoes =
      noClasses()
          .that()
          .resideInAPackage("..coordinator.leader..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "..coordinator.outbox..",
              "..coordinator.upgrade..",
              "..coordinator.inbox..",
              "..coordinator.fleet..")
          .because("the relay and the sweep follow the leadership, not the other way round");

  @ArchTest
  static final ArchRule theJudgementHoldIsPure =
      classes()
          .that()
          .haveSimpleName("JudgementHold")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java.lang..", "java.util..", "java.time..", "..coordinator.outage..")
          .because(
              "whether the sweep may judge is decided from the times it is given, nothing else");

  @ArchTest
  static final ArchRule theOutboxDoesNotKnowUpgrades =
      noClasses()
          .that()
          .resideInAPackage("..coordinator.outbox..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..coordinator.upgrade..")
          .because("what a refused row means for an upgrade is said through RefusedRows");
}
