package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.support.Http;
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
 * Whole upgrades with real parts: the coordinator as its own process, a real Kafka broker and
 * PostgreSQL, real agents with the process driver (as processes from their Quarkus jar in the main
 * scenario, as cores in this JVM in the others), and stand-in Kestra servers as real processes
 * started through their {@code kestra-<version>} launchers.
 */
class UpgradeEndToEndIT {

  private static Scenario scenario;
  private final Http http = new Http();

  @BeforeAll
  static void startCoordinator() throws Exception {
    scenario = Scenario.start("e2e", new Scenario.Kafka(TestKafka.bootstrapServers(), Map.of()));
  }

  @AfterEach
  void stopFleets() throws Exception {
    scenario.closeFleets();
  }

  @AfterAll
  static void stopCoordinator() throws Exception {
    if (scenario != null) {
      scenario.close();
    }
  }

  private AgentFleet fleet(String name) throws Exception {
    return scenario.fleet(name);
  }

  private void awaitReady(AgentFleet fleet) {
    scenario.awaitReady(fleet);
  }

  private JsonNode get(String path) throws Exception {
    return scenario.get(path);
  }

  private String startUpgrade(AgentFleet fleet, String target, String grace, String margin)
      throws Exception {
    return scenario.startUpgrade(fleet, target, grace, margin);
  }

  private JsonNode awaitEnd(String id) {
    return scenario.awaitEnd(id);
  }

  private static JsonNode step(JsonNode upgrade, String command, String instance) {
    return Scenario.step(upgrade, command, instance);
  }

  private JsonNode stats(AgentFleet fleet, Instant createdBefore) throws Exception {
    return scenario.stats(fleet, createdBefore);
  }

  @Test
  void upgradeWithExecutionsInFlightSucceedsMigratesOnceAndLosesNothing() throws Exception {
    // the agents as operators run them: quarkus-run.jar processes, configured as the demo does
    AgentFleet fleet =
        fleet("full")
            .agentProcesses()
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("worker", "worker-1", "", "-t", "4")
            .server("worker", "worker-2", "", "-t", "4")
            .server("scheduler", "scheduler-1", "")
            .server("webserver", "webserver-1", "")
            .server("indexer", "indexer-1", "")
            .start(AgentFleet.VERSIONS);
    awaitReady(fleet);
    await("executions in flight")
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                stats(fleet, null).path("running").asLong() > 0
                    && stats(fleet, null).path("completed").asLong() > 0);

    JsonNode upgrade = awaitEnd(startUpgrade(fleet, "1.0.0", "PT20S", "PT10S"));
    Instant ended = Instant.now();

    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("SUCCEEDED");
    for (JsonNode agent : get("/api/v1/agents?cluster=" + fleet.cluster())) {
      assertThat(agent.path("component").path("version").asText())
          .as(agent.path("agentId").asText())
          .isEqualTo("1.0.0");
      assertThat(agent.path("component").path("ready").asBoolean())
          .as(agent.path("agentId").asText())
          .isTrue();
      // the Quarkus agent reports its application's version; an in-JVM core would say "e2e"
      assertThat(agent.path("agentVersion").asText())
          .as(agent.path("agentId").asText())
          .isEqualTo(System.getProperty("sandbox.project.version"));
    }
    List<String> migrates = new ArrayList<>();
    upgrade
        .path("steps")
        .forEach(
            s -> {
              if (s.path("type").asText().equals("MIGRATE")) {
                migrates.add(s.path("state").asText());
              }
            });
    assertThat(migrates).containsExactly("SUCCEEDED");
    // servers run with migration at start off: the two new migrations come from that one MIGRATE
    assertThat(
            fleet.count(
                "SELECT count(*) FROM flyway_schema_history WHERE version IN ('4','5') AND success"))
        .isEqualTo(2);
    assertThat(fleet.count("SELECT count(*) FROM flyway_schema_history")).isEqualTo(5);

    await("every execution created before the end of the upgrade completes")
        .atMost(Duration.ofMinutes(1))
        .until(() -> stats(fleet, ended).path("pendingBefore").asLong() == 0);
    JsonNode stats = stats(fleet, null);
    assertThat(stats.path("lost").asLong()).isZero();
    assertThat(stats.path("completed").asLong()).isPositive();
  }

  @Test
  void taskLongerThanTheGracePeriodIsForcedResubmittedAndCompletes() throws Exception {
    AgentFleet fleet =
        fleet("long")
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("worker", "worker-1", "", "-t", "2")
            .server("webserver", "webserver-1", "")
            .grace("3s")
            .start(AgentFleet.VERSIONS);
    awaitReady(fleet);
    String execution =
        http.post(
                fleet.webserverUrl() + "/api/v1/executions/sim.upgrade/long?taskDuration=PT25S",
                Map.of())
            .body()
            .path("id")
            .asText();
    await("the long task runs on the worker")
        .atMost(Duration.ofSeconds(30))
        .until(() -> fleet.count("SELECT count(*) FROM worker_job_running") == 1);

    JsonNode upgrade = awaitEnd(startUpgrade(fleet, "1.0.0", "PT3S", "PT30S"));

    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("SUCCEEDED");
    JsonNode drain = step(upgrade, "STOP", "worker-1");
    assertThat(drain.path("result").path("stopMode").asText()).isEqualTo("forced");
    assertThat(drain.path("result").path("tasksRunningAtStop").asText()).isEqualTo("1");
    await("the resubmitted task completes on the new worker")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                "SUCCESS"
                    .equals(
                        http.get(
                                fleet.webserverUrl() + "/api/v1/executions/" + execution,
                                Duration.ofSeconds(5))
                            .body()
                            .path("state")
                            .asText()));
    JsonNode stats = stats(fleet, null);
    assertThat(stats.path("forced").asLong()).isEqualTo(1);
    assertThat(stats.path("resubmitted").asLong()).isEqualTo(1);
    assertThat(stats.path("lost").asLong()).isZero();
  }

  @Test
  void serverIgnoringSigtermIsKilledAfterGracePlusMarginAndTheStepSaysSo() throws Exception {
    AgentFleet fleet =
        fleet("hang")
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("worker", "worker-1", "", "-t", "2")
            .server("webserver", "webserver-1", "")
            .start(AgentFleet.VERSIONS);
    fleet.faults("shutdown.hang=worker@0.21.4\n");
    awaitReady(fleet);
    long oldWorker = fleet.serverProcesses("worker-1").get(0).pid();

    JsonNode upgrade = awaitEnd(startUpgrade(fleet, "1.0.0", "PT2S", "PT3S"));

    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("SUCCEEDED");
    JsonNode stop = step(upgrade, "STOP", "worker-1");
    assertThat(stop.path("result").path("stopMode").asText()).isEqualTo("killed");
    assertThat(stop.path("durationMs").asLong()).isGreaterThanOrEqualTo(5_000);
    assertThat(ProcessHandle.of(oldWorker).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void missingLauncherFailsInPrepareBeforeAnythingIsStopped() throws Exception {
    AgentFleet fleet =
        fleet("prepare")
            .server("standalone", "kestra", "BACKUP,MIGRATE")
            .start(AgentFleet.VERSIONS);
    awaitReady(fleet);
    long pid = fleet.serverProcesses("kestra").get(0).pid();

    // 0.22.0 is a valid version, but this install has no kestra-0.22.0 launcher
    JsonNode upgrade = awaitEnd(startUpgrade(fleet, "0.22.0", "PT20S", "PT10S"));

    assertThat(upgrade.path("state").asText()).isEqualTo("FAILED");
    assertThat(upgrade.path("reason").asText()).isEqualTo("LAUNCHER_MISSING");
    assertThat(step(upgrade, "PREPARE", "kestra").path("state").asText()).isEqualTo("FAILED");
    JsonNode stop = step(upgrade, "STOP", "kestra");
    assertThat(stop.path("state").asText()).isEqualTo("SKIPPED");
    assertThat(stop.path("commandId").isNull() || stop.path("commandId").isMissingNode())
        .as("never sent")
        .isTrue();
    assertThat(fleet.serverProcesses("kestra")).extracting(ProcessHandle::pid).containsExactly(pid);
    JsonNode agent = get("/api/v1/agents?cluster=" + fleet.cluster()).get(0);
    assertThat(agent.path("component").path("ready").asBoolean()).isTrue();
    assertThat(agent.path("component").path("version").asText()).isEqualTo("0.21.4");
  }

  @Test
  void agentRestartedBetweenReceivingAndAckingDoesNotRunTheCommandTwice() throws Exception {
    AgentFleet fleet =
        fleet("restart")
            .server("standalone", "kestra", "BACKUP,MIGRATE")
            // a slow start widens the window in which the agent is restarted
            .javaOpts("kestra", "-Dkestra.sim.startup-delay=5s")
            .start(AgentFleet.VERSIONS);
    awaitReady(fleet);
    String id = startUpgrade(fleet, "1.0.0", "PT20S", "PT10S");

    await("START received and the 1.0.0 server launched")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                "RUNNING"
                        .equals(
                            step(get("/api/v1/upgrades/" + id), "START", "kestra")
                                .path("state")
                                .asText())
                    && fleet.serverProcesses("kestra").stream()
                        .anyMatch(h -> h.info().commandLine().orElse("").contains("1.0.0")));
    fleet.stopAgent("kestra");
    fleet.startAgent("kestra");

    JsonNode upgrade = awaitEnd(id);
    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("SUCCEEDED");
    // a standalone registers one service per role at each start: count its workers
    assertThat(
            fleet.count(
                "SELECT count(*) FROM service_instance WHERE service_type = 'WORKER'"
                    + " AND value->'server'->>'version' = '1.0.0'"))
        .as("servers started on 1.0.0")
        .isEqualTo(1);
    assertThat(fleet.serverProcesses("kestra")).hasSize(1);
  }
}
