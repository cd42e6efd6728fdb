package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.sandbox.demo.Demo;
import io.kestra.upgrade.sandbox.demo.Summary;
import io.kestra.upgrade.sandbox.stack.Database;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.KestraConfig;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Ports;
import io.kestra.upgrade.sandbox.stack.Stack;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.sandbox.support.Poll;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The strategies on one stack: the rolling demo's fleet (executor, three workers, scheduler, two
 * webservers, indexer) on the sandbox's process stack at 1.0.0, each migration with work to do
 * taking {@link #MIGRATION} more on the stand-in, as a large database's would.
 *
 * <ol>
 *   <li>The agents restart one at a time (an agent build's rollout): each adopts its server, which
 *       keeps running; the upgrades below run on the restarted agents.
 *   <li>ROLLING 1.0.0 → 1.0.1 (a patch that keeps the schema, by the stand-in's release catalog)
 *       with executions in flight, behind the API probe that fails over between the webservers: no
 *       API call fails and nothing is lost; a schema-changing target is refused for ROLLING; the
 *       SUCCEEDED rolling upgrade is rolled back by a rolling restart on 1.0.0.
 *   <li>1.0.0 → 1.0.2 (a patch with a migration 1.0.0 runs on) with migration MANUAL_AHEAD, then
 *       back to 1.0.0 by an allowed downgrade (the restore of the backup taken on 1.0.0), then with
 *       MANUAL: the executors' downtime, measured both ways, differs by the migration.
 *   <li>A ROLLING restart with a configuration file that breaks a worker: put back by the rollback.
 *   <li>1.0.2 → 1.0.3 in maintenance mode, paused before QUIESCE: a new execution queues; the
 *       upgrade exits maintenance mode after VERIFY and the execution runs; its rollback with a
 *       restore (of a backup taken in maintenance mode) exits it again.
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrategiesIT {

  private static final Duration MIN_HEALTHY = Demo.ROLLING_MIN_HEALTHY;

  /** How much longer the stand-in's migration to 1.0.2 takes. */
  private static final Duration MIGRATION = Duration.ofSeconds(10);

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
  private Stack stack;

  /** The upgrade that ran in maintenance mode, which the next test rolls back. */
  private String maintained;

  @BeforeAll
  void startTheStack() throws Exception {
    assertThat(Ports.isOpen(Ports.COORDINATOR) || Ports.isOpen(Ports.KAFKA))
        .as("the sandbox's ports are taken: stop your sandbox (`deploy/sandbox/sandbox down`)")
        .isFalse();
    Layout detected = Layout.detect();
    Layout layout =
        new Layout(
            detected.repo(),
            detected
                .repo()
                .resolve("deploy/sandbox/target/e2e/strategies-" + Instant.now().toEpochMilli()));
    FleetSpec fleet =
        FleetSpec.rolling("sandbox")
            .withProfile(KestraConfig.Profile.DEMO.migrationTaking(MIGRATION.toMillis() + "ms"));
    stack = new Stack(layout, Database.embedded(), fleet, "1.0.0", Platform.PROCESS);
    stack.up(out);
  }

  @AfterAll
  void stopTheStack() throws Exception {
    if (stack != null) {
      stack.down(out);
    }
  }

  @Test
  @Order(0)
  void theAgentsRestartOneAtATimeAndAdoptTheirServersWhichKeepRunning() throws Exception {
    List<Long> before = serverPids();

    assertThat(stack.restartAgents(out, java.util.Optional.empty()))
        .as("every Kestra server is the one that ran before: %s", output)
        .isTrue();

    assertThat(serverPids()).isEqualTo(before).hasSize(8);
    assertThat(output.toString())
        .contains("✓ sandbox/webserver/webserver-2 back, its server adopted");
    // the upgrades below run on the restarted agents
  }

  private List<Long> serverPids() {
    return io.kestra.upgrade.sandbox.stack.ManagedProcess.serversUnder(stack.layout().home())
        .stream()
        .map(ProcessHandle::pid)
        .sorted()
        .toList();
  }

  @Test
  @Order(1)
  void twoWebserversAndThreeWorkersRollOneAtATimeWithNoFailedApiCallAndNothingLost()
      throws Exception {
    Summary summary =
        new Demo(stack, out)
            .run(
                new Demo.Options(
                    KestraVersion.parse("1.0.1"),
                    null,
                    Duration.ofSeconds(10),
                    null,
                    Demo.Strategy.ROLLING));

    assertThat(summary.state()).as("%s", output).isEqualTo("SUCCEEDED");
    assertThat(summary.toVersion()).isEqualTo("1.0.1");
    assertThat(summary.apiFailedRequests()).as("%s", output).isZero();
    assertThat(summary.apiProbe().requests()).isGreaterThan(100);
    assertThat(summary.tasks().lost()).isZero();
    assertThat(summary.tasks().created()).isPositive();
    assertThat(summary.phases().keySet()).containsExactly("PREPARE", "ROLL", "VERIFY", "FINALIZE");
    JsonNode upgrade = upgrade(stack, summary.upgradeId());
    List<String> order = new ArrayList<>();
    for (JsonNode s : upgrade.path("steps")) {
      if (s.path("type").asText().equals("RESTART")) {
        order.add(s.path("agentId").asText().replace("sandbox/", ""));
        assertThat(Duration.ofMillis(s.path("durationMs").asLong()))
            .as("%s stayed ready for minHealthy before it answered", s.path("agentId"))
            .isGreaterThanOrEqualTo(MIN_HEALTHY);
      }
    }
    assertThat(order)
        .containsExactly(
            "indexer/indexer-1",
            "worker/worker-1",
            "worker/worker-2",
            "worker/worker-3",
            "scheduler/scheduler-1",
            "executor/executor-1",
            "webserver/webserver-1",
            "webserver/webserver-2");

    Throwable refused =
        catchThrowable(
            () ->
                new Demo(stack, out)
                    .run(
                        new Demo.Options(
                            KestraVersion.parse("2.0.0"),
                            null,
                            Duration.ofSeconds(10),
                            null,
                            Demo.Strategy.ROLLING)));
    assertThat(refused)
        .hasMessageContaining("422")
        .hasMessageContaining("ROLLING_SCHEMA_CHANGE")
        .hasMessageContaining("use FULL_STOP");

    Http api = stack.coordinatorClient();
    Http.Answer rollback =
        api.post(
            stack.coordinatorUrl() + "/api/v1/upgrades/" + summary.upgradeId() + "/rollback",
            Map.of());
    assertThat(rollback.status()).as("%s", rollback.body()).isEqualTo(200);
    Poll.until(
        "the rolling rollback to end",
        Duration.ofMinutes(5),
        () -> !upgrade(stack, summary.upgradeId()).path("state").asText().equals("ROLLING_BACK"));
    JsonNode rolledBack = upgrade(stack, summary.upgradeId());
    assertThat(rolledBack.path("state").asText()).as("%s", rolledBack).isEqualTo("ROLLED_BACK");
    List<String> rollbackPhases = new ArrayList<>();
    for (JsonNode p : rolledBack.path("phases")) {
      if (p.path("phase").asText().startsWith("ROLLBACK")
          || p.path("phase").asText().equals("RESTORE")) {
        rollbackPhases.add(p.path("phase").asText());
      }
    }
    assertThat(rollbackPhases)
        .as("a rolling restart back, no restore")
        .containsExactly("ROLLBACK_ROLL", "ROLLBACK_VERIFY", "ROLLBACK_FINALIZE");
    JsonNode agents =
        api.get(stack.coordinatorUrl() + "/api/v1/agents?cluster=sandbox", Duration.ofSeconds(5))
            .body();
    assertThat(agents).hasSize(8);
    for (JsonNode a : agents) {
      assertThat(a.path("component").path("version").asText())
          .as("%s", a.path("agentId"))
          .isEqualTo("1.0.0");
    }
  }

  @Test
  @Order(2)
  void migratingAheadTakesTheMigrationOutOfTheExecutorsDowntime() throws Exception {
    KestraVersion target = KestraVersion.parse("1.0.2");
    Summary ahead =
        new Demo(stack, out)
            .run(
                new Demo.Options(
                    target,
                    null,
                    Duration.ofSeconds(10),
                    null,
                    Demo.Strategy.FULL_STOP,
                    Demo.Migration.MANUAL_AHEAD));
    assertThat(ahead.state()).as("%s", output).isEqualTo("SUCCEEDED");
    assertThat(ahead.tasks().lost()).isZero();
    assertThat(List.copyOf(ahead.phases().keySet()).subList(0, 4))
        .containsExactly("PREPARE", "BACKUP", "MIGRATE", "QUIESCE");
    assertThat(Duration.ofMillis(ahead.phases().get("MIGRATE"))).isGreaterThanOrEqualTo(MIGRATION);

    // back to 1.0.0: the restore of the backup MANUAL_AHEAD took on it, before its migration
    Http api = stack.coordinatorClient();
    Http.Answer down =
        api.post(
            stack.coordinatorUrl() + "/api/v1/upgrades",
            Map.of(
                "cluster", "sandbox",
                "targetVersion", "1.0.0",
                "allowDowngrade", true,
                "killMargin", "PT10S"));
    assertThat(down.status()).as("%s", down.body()).isEqualTo(202);
    assertThat(down.body().path("id").asText()).isEqualTo(ahead.upgradeId());
    Poll.until(
        "the downgrade's restore to end",
        Duration.ofMinutes(5),
        () -> !upgrade(stack, ahead.upgradeId()).path("state").asText().equals("ROLLING_BACK"));
    assertThat(upgrade(stack, ahead.upgradeId()).path("state").asText()).isEqualTo("ROLLED_BACK");

    Summary manual =
        new Demo(stack, out)
            .run(
                new Demo.Options(
                    target,
                    null,
                    Duration.ofSeconds(10),
                    null,
                    Demo.Strategy.FULL_STOP,
                    Demo.Migration.MANUAL));
    assertThat(manual.state()).as("%s", output).isEqualTo("SUCCEEDED");
    assertThat(manual.tasks().lost()).isZero();
    assertThat(Duration.ofMillis(manual.phases().get("MIGRATE"))).isGreaterThanOrEqualTo(MIGRATION);

    // the executors are down from QUIESCE to the last START: MANUAL's migration is in between
    assertThat(manual.executorsDownMs() - ahead.executorsDownMs())
        .as(
            "executors down: MANUAL %s ms, MANUAL_AHEAD %s ms",
            manual.executorsDownMs(), ahead.executorsDownMs())
        .isGreaterThanOrEqualTo(MIGRATION.toMillis() * 8 / 10);
  }

  @Test
  @Order(3)
  void aConfigurationFileThatBreaksTheWorkerIsPutBackByTheRollback() throws Exception {
    FleetSpec.Server worker =
        stack.fleet().servers().stream()
            .filter(x -> x.instance().equals("worker-1"))
            .findFirst()
            .orElseThrow();
    String original = Files.readString(stack.configFile(worker));
    // YAML, but not a configuration Kestra (nor its agent) can start with
    String broken = original.replace("terminationGracePeriod: 20s", "terminationGracePeriod: soon");
    assertThat(broken).isNotEqualTo(original);

    Http api = stack.coordinatorClient();
    Http.Answer started =
        api.post(
            stack.coordinatorUrl() + "/api/v1/upgrades",
            Map.of(
                "cluster", "sandbox",
                "targetVersion", "1.0.2",
                "strategy", "ROLLING",
                "restart", true,
                "killMargin", "PT10S",
                "configFiles", Map.of("worker", broken)));
    assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
    String id = started.body().path("id").asText();
    Poll.until(
        "the restart and its rollback to end",
        Duration.ofMinutes(5),
        () -> {
          String state = upgrade(stack, id).path("state").asText();
          return !state.equals("RUNNING") && !state.equals("ROLLING_BACK");
        });

    JsonNode u = upgrade(stack, id);
    assertThat(u.path("state").asText()).as("%s", u).isEqualTo("ROLLED_BACK");
    JsonNode failed = null;
    JsonNode putBack = null;
    for (JsonNode step : u.path("steps")) {
      if (step.path("agentId").asText().equals("sandbox/worker/worker-1")) {
        if (step.path("phase").asText().equals("ROLL")) {
          failed = step;
        } else if (step.path("phase").asText().equals("ROLLBACK_ROLL")) {
          putBack = step;
        }
      }
    }
    assertThat(failed).isNotNull();
    assertThat(failed.path("state").asText()).isEqualTo("FAILED");
    assertThat(failed.path("params").path("configFile").asText()).isEqualTo(broken);
    assertThat(putBack).as("%s", u).isNotNull();
    assertThat(putBack.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(putBack.path("params").path("restoreConfig").asText()).isEqualTo("true");
    assertThat(putBack.path("message").asText()).contains("previous configuration file put back");
    assertThat(Files.readString(stack.configFile(worker))).isEqualTo(original);
  }

  @Test
  @Order(4)
  void maintenanceModeQueuesNewExecutionsAroundTheUpgradeAndIsExitedAfterIt() throws Exception {
    Http api = stack.coordinatorClient();
    Http kestra = new Http();
    String status = stack.webserverUrl() + "/api/v1/instance/maintenance/status";
    assertThat(kestra.get(status, Duration.ofSeconds(5)).body().path("status").asText())
        .isEqualTo("operational");
    // the stand-in asks for the API's credentials to switch it, which the agent has
    assertThat(
            kestra
                .post(stack.webserverUrl() + "/api/v1/instance/maintenance/enter", Map.of())
                .status())
        .isEqualTo(401);

    Http.Answer started =
        api.post(
            stack.coordinatorUrl() + "/api/v1/upgrades",
            Map.of(
                "cluster", "sandbox",
                // a patch the release catalog has no entry of: for FULL_STOP the plan only warns
                "targetVersion", "1.0.3",
                "maintenanceMode", true,
                "killMargin", "PT10S",
                "pauseBefore", List.of("QUIESCE")));
    assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
    String id = started.body().path("id").asText();
    Poll.until(
        "the upgrade to pause before QUIESCE",
        Duration.ofMinutes(2),
        () -> upgrade(stack, id).path("state").asText().equals("PAUSED"));

    // in maintenance, with every server still running: a new execution is queued, not started
    assertThat(kestra.get(status, Duration.ofSeconds(5)).body().path("status").asText())
        .isEqualTo("maintenance");
    Http.Answer created =
        kestra.post(
            stack.webserverUrl() + "/api/v1/executions/company.team/queued?taskDuration=PT1S",
            Map.of());
    assertThat(created.status()).as("%s", created.body()).isEqualTo(200);
    String execution =
        stack.webserverUrl() + "/api/v1/executions/" + created.body().path("id").asText();
    Thread.sleep(2_000); // twenty times the executor's poll: it would have started it by now
    assertThat(stateOf(execution)).isEqualTo("CREATED");

    assertThat(
            api.post(stack.coordinatorUrl() + "/api/v1/upgrades/" + id + "/resume", Map.of())
                .status())
        .isEqualTo(200);
    Poll.until(
        "the upgrade to end",
        Duration.ofMinutes(5),
        () -> upgrade(stack, id).path("state").asText().matches("SUCCEEDED|FAILED|ROLLED_BACK"));
    JsonNode u = upgrade(stack, id);
    assertThat(u.path("state").asText()).as("%s", u).isEqualTo("SUCCEEDED");
    List<String> phases = new ArrayList<>();
    u.path("phases").forEach(p -> phases.add(p.path("phase").asText()));
    assertThat(phases.subList(0, 3)).containsExactly("PREPARE", "MAINTENANCE_ENTER", "QUIESCE");
    assertThat(phases.subList(phases.size() - 3, phases.size()))
        .containsExactly("VERIFY", "MAINTENANCE_EXIT", "FINALIZE");
    assertThat(kestra.get(status, Duration.ofSeconds(5)).body().path("status").asText())
        .isEqualTo("operational");
    Poll.until(
        "the queued execution to run once maintenance mode is exited",
        Duration.ofSeconds(30),
        () -> stateOf(execution).equals("SUCCESS"));
    maintained = id;
  }

  @Test
  @Order(5)
  void aRollbackThatRestoresABackupTakenInMaintenanceModeExitsItAgain() throws Exception {
    assertThat(maintained).as("the maintenance upgrade ran").isNotNull();
    Http api = stack.coordinatorClient();
    Http.Answer rollback =
        api.post(
            stack.coordinatorUrl() + "/api/v1/upgrades/" + maintained + "/rollback",
            Map.of("restore", true));
    assertThat(rollback.status()).as("%s", rollback.body()).isEqualTo(200);
    Poll.until(
        "the rollback to end",
        Duration.ofMinutes(5),
        () -> !upgrade(stack, maintained).path("state").asText().equals("ROLLING_BACK"));

    JsonNode u = upgrade(stack, maintained);
    assertThat(u.path("state").asText()).as("%s", u).isEqualTo("ROLLED_BACK");
    List<String> phases = new ArrayList<>();
    u.path("phases").forEach(p -> phases.add(p.path("phase").asText()));
    assertThat(phases).contains("RESTORE");
    assertThat(phases)
        .as("the backup was taken in maintenance mode: restored, it is on again, and exited last")
        .last()
        .isEqualTo("ROLLBACK_MAINTENANCE_EXIT");
    assertThat(
            new Http()
                .get(
                    stack.webserverUrl() + "/api/v1/instance/maintenance/status",
                    Duration.ofSeconds(5))
                .body()
                .path("status")
                .asText())
        .isEqualTo("operational");
  }

  private static String stateOf(String execution) {
    try {
      return new Http().get(execution, Duration.ofSeconds(5)).body().path("state").asText();
    } catch (Exception e) {
      throw new IllegalStateException("reading execution " + execution, e);
    }
  }

  private static JsonNode upgrade(Stack stack, String id) {
    try {
      return stack
          .coordinatorClient()
          .get(stack.coordinatorUrl() + "/api/v1/upgrades/" + id, Duration.ofSeconds(5))
          .body();
    } catch (Exception e) {
      throw new IllegalStateException("reading upgrade " + id, e);
    }
  }
}
