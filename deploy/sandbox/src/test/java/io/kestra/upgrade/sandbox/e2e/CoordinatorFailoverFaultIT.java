package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault family "two coordinators": both run against one database and broker, both serve the
 * REST API, one leads (relay and sweep). The leader is killed, frozen (SIGSTOP), or loses its
 * lock's database session, in the middle of an upgrade's drain: the other takes over, the upgrade
 * completes, and at no moment do two leaders act (each step's command is issued once and run once).
 */
class CoordinatorFailoverFaultIT {

  private static final String LEADERSHIP = "Coordinator leadership";

  private static Scenario scenario;

  @BeforeAll
  static void start() throws Exception {
    scenario =
        Scenario.start("failover", new Scenario.Kafka(TestKafka.bootstrapServers(), Map.of()));
    scenario.coordinator("coordinator-2");
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

  @BeforeEach
  void bothCoordinatorsRunAndOneLeads() throws Exception {
    for (String name : List.of("coordinator-1", "coordinator-2")) {
      CoordinatorProcess c = scenario.coordinatorNamed(name);
      if (!c.isRunning()) {
        c.start();
      }
    }
    await("a leader").atMost(Duration.ofSeconds(30)).until(() -> leaders().size() == 1);
  }

  /** The coordinators whose health says they lead now. */
  private static List<String> leaders() {
    return List.of("coordinator-1", "coordinator-2").stream()
        .filter(name -> isLeader(scenario.coordinatorNamed(name)))
        .toList();
  }

  private static boolean isLeader(CoordinatorProcess c) {
    try {
      JsonNode health = new Http().get(c.url() + "/q/health", Duration.ofSeconds(2)).body();
      for (JsonNode check : health.path("checks")) {
        if (LEADERSHIP.equals(check.path("name").asText())) {
          return check.path("data").path("leader").asBoolean();
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private AgentFleet drainingFleet(String name) throws Exception {
    return scenario.drainingFleet(name, Duration.ofSeconds(12), false);
  }

  /** Starts an upgrade through the follower (both serve the API), returns once it drains. */
  private String upgradeUntilDrain(AgentFleet fleet) throws Exception {
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S");
    scenario.awaitPhaseInFlight(id, "DRAIN");
    return id;
  }

  private static void assertEachStepIssuedOnce(String id) {
    Map<String, Long> sent =
        scenario.db.eventTypes(id).stream()
            .filter(e -> e.startsWith("io.kestra.upgrade.step.sent "))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(sent)
        .as("step.sent events per step")
        .isNotEmpty()
        .allSatisfy(
            (k, n) -> {
              assertThat(n).as(k).isEqualTo(1);
            });
  }

  private void report(String fault, Instant injected, String id, JsonNode upgrade, long lost) {
    Duration recovery =
        Duration.between(injected, scenario.db.firstEventAfter(id, injected).orElseThrow());
    FaultReport.add(
        new FaultReport.Row(
            "coordinator",
            fault,
            "DRAIN",
            upgrade.path("state").asText(),
            recovery,
            lost,
            "CoordinatorFailoverFaultIT"));
  }

  @Test
  void theLeaderKilledTheOtherTakesOverAndTheUpgradeCompletes() throws Exception {
    AgentFleet fleet = drainingFleet("killed");
    String id = upgradeUntilDrain(fleet);
    CoordinatorProcess leader = scenario.coordinatorNamed(leaders().get(0));
    long epoch = scenario.db.leader().epoch();

    Instant killed = Instant.now();
    leader.kill();
    await("the other coordinator leads")
        .atMost(Duration.ofSeconds(60))
        .until(() -> scenario.db.leader().epoch() > epoch && leaders().size() == 1);
    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(scenario.db.leader().holder()).isNotEqualTo(leader.name());
    long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
    assertEachStepIssuedOnce(id);
    report("SIGKILL the leader (2 coordinators)", killed, id, upgrade, lost);
  }

  @Test
  void theLeaderFrozenTheOtherTakesOverAndTheThawedOneStepsDown() throws Exception {
    AgentFleet fleet = drainingFleet("frozen");
    String id = upgradeUntilDrain(fleet);
    CoordinatorProcess leader = scenario.coordinatorNamed(leaders().get(0));
    CoordinatorProcess other =
        scenario.coordinatorNamed(
            leader.name().equals("coordinator-1") ? "coordinator-2" : "coordinator-1");
    long epoch = scenario.db.leader().epoch();

    Instant frozen = Instant.now();
    leader.freeze();
    await("the other coordinator leads while the first is frozen")
        .atMost(Duration.ofSeconds(60))
        .until(() -> scenario.db.leader().epoch() > epoch && isLeader(other));
    leader.thaw();
    await("the thawed one knows it no longer leads")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !isLeader(leader));
    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(leaders()).containsExactly(other.name());
    long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
    assertEachStepIssuedOnce(id);
    report("SIGSTOP the leader, SIGCONT later (2 coordinators)", frozen, id, upgrade, lost);
  }

  @Test
  void theLeadersLockSessionDroppedLeadershipMovesOnAndTheUpgradeCompletes() throws Exception {
    AgentFleet fleet = drainingFleet("dropped");
    String id = upgradeUntilDrain(fleet);
    long epoch = scenario.db.leader().epoch();

    Instant dropped = Instant.now();
    assertThat(scenario.db.terminateLeaderSession()).as("the lock's session found").isTrue();
    await("a new epoch")
        .atMost(Duration.ofSeconds(60))
        .until(() -> scenario.db.leader().epoch() > epoch && leaders().size() == 1);
    JsonNode upgrade = scenario.awaitEnd(id);

    long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
    assertEachStepIssuedOnce(id);
    report("the leader's lock session terminated (2 coordinators)", dropped, id, upgrade, lost);
  }
}
