package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.stack.Database;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.Ports;
import io.kestra.upgrade.sandbox.stack.Stack;
import io.kestra.upgrade.sandbox.support.Http;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an operator does by hand with the sandbox (the README's reproduction of a coordinator
 * crash): {@code sandbox kill coordinator} while the upgrade drains, then {@code sandbox up} at
 * once. The real sandbox stack, on its own ports (which must be free: no sandbox of a developer
 * running).
 */
class SandboxFaultIT {

  @Test
  void coordinatorKilledDuringDrainThenSandboxUpReturnsAndTheUpgradeCompletes() throws Exception {
    assertThat(Ports.isOpen(Ports.COORDINATOR) || Ports.isOpen(Ports.KAFKA))
        .as("the sandbox's ports are taken: stop your sandbox (`deploy/sandbox/sandbox down`)")
        .isFalse();
    Layout detected = Layout.detect();
    Layout layout =
        new Layout(
            detected.repo(),
            detected
                .repo()
                .resolve("deploy/sandbox/target/e2e/sandbox-" + Instant.now().toEpochMilli()));
    Stack stack = new Stack(layout, Database.embedded(), FleetSpec.standard("sandbox"), "0.21.4");
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    Http api = stack.coordinatorClient();
    try {
      stack.up(out);
      Http.Answer started =
          api.post(
              stack.coordinatorUrl() + "/api/v1/upgrades",
              Map.of(
                  "cluster",
                  "sandbox",
                  "targetVersion",
                  "1.0.0",
                  "acknowledgeBreakingChanges",
                  true));
      assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
      String id = started.body().path("id").asText();
      String upgradeUrl = stack.coordinatorUrl() + "/api/v1/upgrades/" + id;
      await("DRAIN in flight")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> phaseRunning(api.get(upgradeUrl, Duration.ofSeconds(5)).body(), "DRAIN"));

      Instant killed = Instant.now();
      assertThat(stack.kill("coordinator")).isTrue();
      output.reset();
      stack.up(out);
      Duration upTook = Duration.between(killed, Instant.now());

      assertThat(output.toString(StandardCharsets.UTF_8))
          .contains("in flight: waiting only for every agent to report")
          .contains("every agent reporting");
      await("the upgrade to end")
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  Scenario.ENDED.contains(
                      api.get(upgradeUrl, Duration.ofSeconds(5)).body().path("state").asText()));
      JsonNode upgrade = api.get(upgradeUrl, Duration.ofSeconds(5)).body();
      assertThat(upgrade.path("state").asText())
          .as("%s", upgrade.path("message"))
          .isEqualTo("SUCCEEDED");
      for (JsonNode agent :
          api.get(stack.coordinatorUrl() + "/api/v1/agents?cluster=sandbox", Duration.ofSeconds(5))
              .body()) {
        assertThat(agent.path("component").path("version").asText()).isEqualTo("1.0.0");
        assertThat(agent.path("component").path("ready").asBoolean()).isTrue();
      }
      Instant ended = Instant.now();
      Http kestra = new Http();
      String stats = stack.webserverUrl() + "/api/v1/sim/stats";
      await("executions created before the end complete")
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(
              () ->
                  kestra
                          .get(stats + "?createdBefore=" + ended, Duration.ofSeconds(5))
                          .body()
                          .path("pendingBefore")
                          .asLong()
                      == 0);
      long lost = kestra.get(stats, Duration.ofSeconds(5)).body().path("lost").asLong();
      assertThat(lost).isZero();
      FaultReport.add(
          new FaultReport.Row(
              "coordinator",
              "`sandbox kill coordinator`, then `sandbox up` (it returned after "
                  + FaultReport.seconds(upTook)
                  + ")",
              "DRAIN",
              upgrade.path("state").asText(),
              upTook,
              lost,
              "SandboxFaultIT"));
    } finally {
      stack.down(out);
    }
  }

  private static boolean phaseRunning(JsonNode upgrade, String phase) {
    for (JsonNode p : upgrade.path("phases")) {
      if (p.path("phase").asText().equals(phase) && p.path("state").asText().equals("RUNNING")) {
        return true;
      }
    }
    return false;
  }
}
