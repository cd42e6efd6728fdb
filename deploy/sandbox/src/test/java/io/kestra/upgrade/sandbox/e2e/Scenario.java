package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One installation of the product for end-to-end tests: its topics, its coordinators' database and
 * credentials, one or more coordinator processes, and the stand-in fleets it upgrades. The REST
 * calls go to whichever coordinator answers, so a test may kill one at any moment.
 */
final class Scenario implements AutoCloseable {

  /** Upgrade states that are over. */
  static final Set<String> ENDED =
      Set.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "ROLLBACK_FAILED", "ABORTED");

  final Layout layout;
  final Path work;
  final Topics topics;
  final Kafka kafka;
  final CoordinatorProcess.Installation installation;
  final CoordinatorDb db;
  private final List<CoordinatorProcess> coordinators = new ArrayList<>();
  private final List<AgentFleet> fleets = new ArrayList<>();
  private final Http stats = new Http();

  /**
   * The broker a scenario's parts talk to.
   *
   * @param bootstrap its bootstrap servers
   * @param client Kafka client properties besides them (SASL, for example)
   */
  record Kafka(String bootstrap, Map<String, String> client) {}

  private Scenario(
      Layout layout, Path work, Topics topics, Kafka kafka, TestPostgres.Database database)
      throws IOException {
    this.layout = layout;
    this.work = work;
    this.topics = topics;
    this.kafka = kafka;
    this.installation =
        CoordinatorProcess.Installation.create(
            work, kafka.bootstrap(), kafka.client(), topics.prefix(), database);
    this.db = new CoordinatorDb(installation.db());
  }

  /**
   * A new installation named {@code name} on {@code kafka}, with one coordinator started. Its files
   * go under {@code deploy/sandbox/target/e2e/}, where a failure's logs stay for a look.
   */
  static Scenario start(String name, Kafka kafka) throws Exception {
    return start(name, kafka, TestPostgres.newDatabase("coordinator"));
  }

  /** {@link #start(String, Kafka)} with the coordinators' database given. */
  static Scenario start(String name, Kafka kafka, TestPostgres.Database database) throws Exception {
    Layout layout = Layout.detect();
    Path work =
        Files.createDirectories(
            layout
                .repo()
                .resolve("deploy/sandbox/target/e2e/" + name + "-" + Instant.now().toEpochMilli()));
    Topics topics = new Topics(name + "-" + UUID.randomUUID().toString().substring(0, 8));
    Scenario s = new Scenario(layout, work, topics, kafka, database);
    s.coordinator("coordinator-1");
    return s;
  }

  /** Starts one more coordinator of this installation, named {@code name}. */
  CoordinatorProcess coordinator(String name) throws Exception {
    CoordinatorProcess c = CoordinatorProcess.start(layout, installation, name);
    coordinators.add(c);
    return c;
  }

  /** The coordinator named {@code name}. */
  CoordinatorProcess coordinatorNamed(String name) {
    return coordinators.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no coordinator " + name));
  }

  /** The first coordinator. */
  CoordinatorProcess coordinator() {
    return coordinators.get(0);
  }

  /** A new fleet of this installation, its cluster named after {@code name}. */
  AgentFleet fleet(String name) throws IOException {
    String cluster = name + "-" + UUID.randomUUID().toString().substring(0, 6);
    AgentFleet fleet = new AgentFleet(cluster, work.resolve(cluster), this);
    fleets.add(fleet);
    return fleet;
  }

  /** GET on the REST API of the first coordinator that answers. */
  JsonNode get(String path) throws Exception {
    return api("GET", path, null).body();
  }

  /** A call to the REST API of the first coordinator that answers. */
  Http.Answer api(String method, String path, Object body) throws Exception {
    IOException last = null;
    for (CoordinatorProcess c : coordinators) {
      if (!c.isRunning()) {
        continue;
      }
      try {
        return switch (method) {
          case "GET" -> c.client().get(c.url() + path, Duration.ofSeconds(5));
          case "POST" -> c.client().post(c.url() + path, body);
          case "DELETE" -> c.client().delete(c.url() + path);
          default -> throw new IllegalArgumentException(method);
        };
      } catch (IOException e) {
        last = e;
      }
    }
    throw last != null ? last : new IOException("no coordinator runs");
  }

  /** Waits until every agent of {@code fleet} is registered and its server ready. */
  void awaitReady(AgentFleet fleet) {
    await("every agent of " + fleet.cluster() + " ready")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode agents = get("/api/v1/agents?cluster=" + fleet.cluster());
              if (agents.size() != fleet.size()) {
                return false;
              }
              for (JsonNode a : agents) {
                if (!a.path("component").path("ready").asBoolean()) {
                  return false;
                }
              }
              return true;
            });
  }

  /**
   * A new fleet named after {@code name}: an executor (its agent backs up and migrates), a worker
   * of two threads and a webserver, ready, its worker running one task of {@code task}, so that an
   * upgrade started now spends a while in DRAIN.
   *
   * @param agentProcesses whether its agents run as processes rather than cores in this JVM
   */
  AgentFleet drainingFleet(String name, Duration task, boolean agentProcesses) throws Exception {
    AgentFleet fleet = fleet(name);
    if (agentProcesses) {
      fleet.agentProcesses();
    }
    fleet
        .server("executor", "executor-1", "BACKUP,MIGRATE")
        .server("worker", "worker-1", "", "-t", "2")
        .server("webserver", "webserver-1", "")
        .start(AgentFleet.VERSIONS);
    awaitReady(fleet);
    startLongTask(fleet, task);
    return fleet;
  }

  /** Starts one execution of a task of {@code task} and waits until it runs on a worker. */
  void startLongTask(AgentFleet fleet, Duration task) throws Exception {
    new Http()
        .post(
            fleet.webserverUrl() + "/api/v1/executions/sim.upgrade/long?taskDuration=" + task,
            Map.of());
    await("the long task runs on the worker")
        .atMost(Duration.ofSeconds(30))
        .until(() -> fleet.count("SELECT count(*) FROM worker_job_running") == 1);
  }

  /** Waits until a step of {@code phase} of the upgrade has its command out. */
  void awaitPhaseInFlight(String id, String phase) {
    await(phase + " in flight")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> db.phaseInFlight(id, phase));
  }

  /** Starts an upgrade of {@code fleet} to {@code target}; returns its id. */
  String startUpgrade(AgentFleet fleet, String target, String grace, String margin)
      throws Exception {
    return startUpgrade(fleet, target, grace, margin, Map.of());
  }

  /** {@link #startUpgrade(AgentFleet, String, String, String)} with more of the API's options. */
  String startUpgrade(
      AgentFleet fleet, String target, String grace, String margin, Map<String, Object> options)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>(options);
    body.put("cluster", fleet.cluster());
    body.put("targetVersion", target);
    // the releases these tests cross list breaking changes in the coordinator's catalog
    body.putIfAbsent("acknowledgeBreakingChanges", true);
    body.put("gracePeriod", grace);
    body.put("killMargin", margin);
    Http.Answer answer = api("POST", "/api/v1/upgrades", body);
    assertThat(answer.status()).as("POST /api/v1/upgrades: %s", answer.body()).isEqualTo(202);
    return answer.body().path("id").asText();
  }

  /** Waits until the upgrade has ended (through any coordinator) and returns it. */
  JsonNode awaitEnd(String id) {
    try {
      await("upgrade " + id + " to end")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> ENDED.contains(get("/api/v1/upgrades/" + id).path("state").asText()));
    } catch (ConditionTimeoutException e) {
      // CI keeps only the build's output: what the upgrade and its coordinators say goes with it
      throw new AssertionError(e.getMessage() + "\n" + diagnosis(id), e);
    }
    try {
      return get("/api/v1/upgrades/" + id + "?eventsLimit=1000");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a test that waited in vain shows: the upgrade's steps and last events as the API gives
   * them, and each coordinator's last warnings and errors.
   */
  String diagnosis(String id) {
    StringBuilder out = new StringBuilder();
    try {
      JsonNode upgrade = get("/api/v1/upgrades/" + id + "?eventsLimit=1000");
      out.append("upgrade ").append(upgrade.path("state").asText()).append('\n');
      for (JsonNode s : upgrade.path("steps")) {
        out.append("  step ")
            .append(s.path("type").asText())
            .append(' ')
            .append(s.path("agentId").asText())
            .append(' ')
            .append(s.path("state").asText())
            .append('\n');
      }
      JsonNode events = upgrade.path("events");
      for (int i = Math.max(0, events.size() - 20); i < events.size(); i++) {
        JsonNode e = events.get(i);
        out.append("  event ").append(e.path("at").asText()).append(' ');
        out.append(e.path("type").asText()).append(' ');
        out.append(e.path("subject").asText()).append('\n');
      }
    } catch (Exception e) {
      out.append("the API did not answer: ").append(e).append('\n');
    }
    for (CoordinatorProcess c : coordinators) {
      out.append(c.name()).append(" (").append(c.log()).append("), last warnings:\n");
      try (var lines = Files.lines(c.log())) {
        List<String> warnings =
            lines.filter(l -> l.contains("WARN") || l.contains("ERROR")).toList();
        warnings
            .subList(Math.max(0, warnings.size() - 30), warnings.size())
            .forEach(l -> out.append("  ").append(l).append('\n'));
      } catch (IOException | java.io.UncheckedIOException e) {
        out.append("  unreadable: ").append(e).append('\n');
      }
    }
    return out.toString();
  }

  /** The step of {@code command} on the agent of {@code instance}. */
  static JsonNode step(JsonNode upgrade, String command, String instance) {
    for (JsonNode s : upgrade.path("steps")) {
      if (s.path("type").asText().equals(command)
          && s.path("agentId").asText().endsWith("/" + instance)) {
        return s;
      }
    }
    throw new AssertionError("no " + command + " step for " + instance + " in " + upgrade);
  }

  /** The stand-in's execution statistics, of executions created before {@code createdBefore}. */
  JsonNode stats(AgentFleet fleet, Instant createdBefore) throws Exception {
    String q = createdBefore == null ? "" : "?createdBefore=" + createdBefore;
    return stats.get(fleet.webserverUrl() + "/api/v1/sim/stats" + q, Duration.ofSeconds(5)).body();
  }

  /**
   * What every fault test asserts of an upgrade that must have completed: SUCCEEDED, every server
   * on {@code target} and ready, every execution created before the end completed, none lost, and
   * no command run twice by any agent (each agent's journal holds one RECEIVED per command).
   *
   * @return the executions lost (0), for the report
   */
  long assertCompletedAndNothingLost(AgentFleet fleet, JsonNode upgrade, String target)
      throws Exception {
    Instant ended = Instant.now();
    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("SUCCEEDED");
    for (JsonNode agent : get("/api/v1/agents?cluster=" + fleet.cluster())) {
      String id = agent.path("agentId").asText();
      assertThat(agent.path("component").path("version").asText()).as(id).isEqualTo(target);
      assertThat(agent.path("component").path("ready").asBoolean()).as(id).isTrue();
    }
    assertNoCommandRunTwice(fleet, upgrade);
    await("every execution created before the end of the upgrade completes")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> stats(fleet, ended).path("pendingBefore").asLong() == 0);
    long lost = stats(fleet, null).path("lost").asLong();
    assertThat(lost).as("executions lost").isZero();
    return lost;
  }

  /**
   * Every agent received each of its steps' commands once: one RECEIVED record per command id in
   * its journal, and one per step of the upgrade that was sent to it.
   */
  void assertNoCommandRunTwice(AgentFleet fleet, JsonNode upgrade) {
    Map<String, List<String>> sentTo = new HashMap<>();
    for (JsonNode s : upgrade.path("steps")) {
      if (s.hasNonNull("commandId")) {
        sentTo
            .computeIfAbsent(s.path("agentId").asText(), k -> new ArrayList<>())
            .add(s.path("commandId").asText());
      }
    }
    for (String instance : fleet.instances()) {
      List<String> received =
          Journals.received(fleet.stateDir(instance)).stream()
              .map(Journals.Received::commandId)
              .toList();
      assertThat(received).as("commands %s started to run", instance).doesNotHaveDuplicates();
      assertThat(received)
          .as("commands of this upgrade %s started to run", instance)
          .containsAll(sentTo.getOrDefault(fleet.agentId(instance), List.of()));
    }
  }

  /** Stops every fleet's agents and servers (a test's, at its end). */
  void closeFleets() throws Exception {
    for (AgentFleet fleet : fleets) {
      fleet.close();
    }
    fleets.clear();
  }

  @Override
  public void close() throws Exception {
    closeFleets();
    for (CoordinatorProcess c : coordinators) {
      c.close();
    }
  }
}
