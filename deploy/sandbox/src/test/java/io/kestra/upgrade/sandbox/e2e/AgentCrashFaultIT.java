package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault family "an agent that can die at any instant": an agent process (the real {@code
 * component-agent}, as the sandbox runs it) is killed with SIGKILL while it runs a command; its
 * server, and any tool it ran, live on. Started again, it is heard at once and finishes what it can
 * finish; a tool it left running is waited for and named, never run again; an agent that does not
 * come back ends the upgrade as LOST, with nothing sent after.
 */
class AgentCrashFaultIT {

  private static Scenario scenario;

  @BeforeAll
  static void start() throws Exception {
    scenario =
        Scenario.start("agent-crash", new Scenario.Kafka(TestKafka.bootstrapServers(), Map.of()));
  }

  @AfterEach
  void stopFleets() throws Exception {
    scenario.closeFleets();
  }

  @AfterAll
  static void stop() throws Exception {
    if (scenario != null) {
      scenario.close();
    }
  }

  /** A fleet of agent processes whose worker runs a long task. */
  private static AgentFleet drainingFleet(String name) throws Exception {
    return scenario.drainingFleet(name, Duration.ofSeconds(12), true);
  }

  private static String awaitStopRunning(AgentFleet fleet, String id, String instance) {
    await(instance + " drains")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> scenario.db.stepRunning(id, "STOP", fleet.agentId(instance)));
    return fleet.agentId(instance);
  }

  @Test
  void killedMidDrainAndStartedAgainTheAgentIsHeardAtOnceAndTheUpgradeCompletes() throws Exception {
    AgentFleet fleet = drainingFleet("restarted");
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT30S", "PT10S");
    String worker = awaitStopRunning(fleet, id, "worker-1");

    Instant killed = Instant.now();
    fleet.killAgent("worker-1");
    assertThat(fleet.serverProcesses("worker-1"))
        .as("the worker drains on without its agent")
        .isNotEmpty();
    Instant restarted = Instant.now();
    fleet.startAgent("worker-1");
    await("a heartbeat of the restarted agent")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> scenario.db.lastSeenAt(worker).filter(restarted::isBefore).isPresent());
    Duration heard = Duration.between(restarted, scenario.db.lastSeenAt(worker).orElseThrow());
    JsonNode upgrade = scenario.awaitEnd(id);

    long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
    assertThat(Journals.receivedTypes(fleet.stateDir("worker-1")))
        .as("worker-1 received each command once, the STOP across its restart")
        .containsExactly("PREPARE", "STOP", "START", "PING", "FINALIZE");
    assertThat(Scenario.step(upgrade, "STOP", "worker-1").path("result").path("stopMode").asText())
        .as("the drain went on while the agent was down, and ended on its own")
        .isEqualTo("graceful");
    assertThat(upgrade.path("events").toString()).doesNotContain("AGENT_LOST");
    FaultReport.add(
        new FaultReport.Row(
            "agent",
            "SIGKILL the worker's agent, restarted (heard after "
                + FaultReport.seconds(heard)
                + ")",
            "DRAIN",
            upgrade.path("state").asText(),
            Duration.between(killed, scenario.db.firstEventAfter(id, killed).orElseThrow()),
            lost,
            "AgentCrashFaultIT"));
  }

  @Test
  void killedAndNeverBackTheAgentIsLostAndNothingIsSentAfterWithTheFailPolicy() throws Exception {
    AgentFleet fleet = drainingFleet("gone");
    String id =
        scenario.startUpgrade(fleet, "1.0.0", "PT30S", "PT10S", Map.of("onFailure", "FAIL"));
    String worker = awaitStopRunning(fleet, id, "worker-1");

    Instant killed = Instant.now();
    fleet.killAgent("worker-1");
    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(upgrade.path("state").asText()).isEqualTo("FAILED");
    JsonNode stop = Scenario.step(upgrade, "STOP", "worker-1");
    assertThat(stop.path("reason").asText()).isEqualTo("AGENT_LOST");
    assertThat(upgrade.path("message").asText()).contains(worker, "stopped sending heartbeats");
    List<String> sentAfter = new ArrayList<>();
    for (JsonNode s : upgrade.path("steps")) {
      if (List.of("BACKUP", "MIGRATE", "START", "PING").contains(s.path("type").asText())
          && s.hasNonNull("commandId")) {
        sentAfter.add(s.path("type").asText() + " " + s.path("agentId").asText());
      }
    }
    assertThat(sentAfter).as("steps sent after the agent was lost").isEmpty();
    assertThat(Journals.receivedTypes(fleet.stateDir("executor-1")))
        .as("the executor was told nothing past its STOP")
        .containsExactly("PREPARE", "STOP");
    JsonNode agent = agentView(fleet, worker);
    assertThat(agent.path("lost").asBoolean()).as("%s in the API", worker).isTrue();
    FaultReport.add(
        new FaultReport.Row(
            "agent",
            "SIGKILL the worker's agent, never restarted (onFailure FAIL)",
            "DRAIN",
            upgrade.path("state").asText() + " (" + stop.path("reason").asText() + ")",
            Duration.between(killed, Instant.parse(upgrade.path("finishedAt").asText())),
            scenario.stats(fleet, null).path("lost").asLong(),
            "AgentCrashFaultIT"));
  }

  @Test
  void killedAndNeverBackTheAgentFailsTheRollbackButEveryOtherServerRunsThePreviousVersion()
      throws Exception {
    AgentFleet fleet = drainingFleet("gone-rollback");
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT30S", "PT10S");
    String worker = awaitStopRunning(fleet, id, "worker-1");

    Instant killed = Instant.now();
    fleet.killAgent("worker-1");
    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("ROLLBACK_FAILED");
    assertThat(Scenario.step(upgrade, "STOP", "worker-1").path("reason").asText())
        .isEqualTo("AGENT_LOST");
    assertThat(upgrade.path("message").asText())
        .contains("the rollback failed", worker, fleet.agentId("executor-1") + " last seen");
    assertThat(Journals.receivedTypes(fleet.stateDir("executor-1")))
        .as("the executor is started again on the previous version, and verified")
        .containsExactly("PREPARE", "STOP", "START", "PING");
    JsonNode executor = agentView(fleet, fleet.agentId("executor-1"));
    assertThat(executor.path("component").path("version").asText()).isEqualTo("0.21.4");
    assertThat(executor.path("component").path("ready").asBoolean()).isTrue();
    FaultReport.add(
        new FaultReport.Row(
            "agent",
            "SIGKILL the worker's agent, never restarted (rollback: the others restarted)",
            "DRAIN",
            upgrade.path("state").asText(),
            Duration.between(killed, Instant.parse(upgrade.path("finishedAt").asText())),
            scenario.stats(fleet, null).path("lost").asLong(),
            "AgentCrashFaultIT"));
  }

  @Test
  void killedDuringTheBackupTheLeftRunningPgDumpIsWaitedForNamedAndNotRunAgain() throws Exception {
    AgentFleet fleet =
        scenario
            .fleet("tool")
            .agentProcesses()
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("webserver", "webserver-1", "")
            .slowPgDump(Duration.ofSeconds(8));
    fleet.start(AgentFleet.VERSIONS);
    scenario.awaitReady(fleet);
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT10S", "PT10S");
    await("pg_dump runs")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fleet.pgDumpRuns() == 1);

    Instant killed = Instant.now();
    fleet.killAgent("executor-1");
    fleet.startAgent("executor-1");
    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(upgrade.path("state").asText())
        .as("rolled back, without a restore: nothing was migrated")
        .isEqualTo("ROLLED_BACK");
    JsonNode backup = Scenario.step(upgrade, "BACKUP", "executor-1");
    assertThat(backup.path("state").asText()).isEqualTo("FAILED");
    assertThat(backup.path("reason").asText()).isEqualTo("AGENT_INTERRUPTED");
    assertThat(backup.path("message").asText())
        .as("the BACKUP's failure names the tool it found running")
        .contains("pg_dump", "not run again");
    assertThat(fleet.pgDumpRuns()).as("pg_dump runs").isEqualTo(1);
    assertThat(Journals.receivedTypes(fleet.stateDir("executor-1")))
        .containsExactly("PREPARE", "STOP", "BACKUP", "START", "PING");
    assertThat(upgrade.path("steps").findValuesAsText("type")).doesNotContain("RESTORE");
    assertThat(Scenario.step(upgrade, "MIGRATE", "executor-1").hasNonNull("commandId"))
        .as("no migration after a backup whose outcome is unknown")
        .isFalse();
    FaultReport.add(
        new FaultReport.Row(
            "agent",
            "SIGKILL the executor's agent during pg_dump, restarted",
            "BACKUP",
            upgrade.path("state").asText() + " (" + backup.path("reason").asText() + ")",
            Duration.between(killed, Instant.parse(upgrade.path("finishedAt").asText())),
            scenario.stats(fleet, null).path("lost").asLong(),
            "AgentCrashFaultIT"));
  }

  private static JsonNode agentView(AgentFleet fleet, String agentId) throws Exception {
    for (JsonNode a : scenario.get("/api/v1/agents?cluster=" + fleet.cluster())) {
      if (a.path("agentId").asText().equals(agentId)) {
        return a;
      }
    }
    throw new AssertionError("no agent " + agentId);
  }
}
