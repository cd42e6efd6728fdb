package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import io.kestra.sim.config.ServerSettings;
import io.kestra.sim.config.Settings;
import io.kestra.sim.config.SimConfig;
import io.kestra.upgrade.agent.driver.process.ManagementClient;
import io.kestra.upgrade.common.KestraDurations;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.EngineRequired;
import io.kestra.upgrade.images.JudgeImages;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.testsupport.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kestra's own classes ({@code io.kestra:core} and {@code io.kestra:jdbc} of 0.21.4, 0.22.0 and
 * 1.0.0, in the judge's containers) judge what the stand-in wrote during a whole upgrade of a fleet
 * through the three versions, driven by the coordinator: starts, a liveness disconnection and a
 * restart on 0.21.4 and on 1.0.0, graceful drains (0.21.4 → 0.22.0) and a forced one (0.22.0 →
 * 1.0.0, a 60 s task given 5 s). Every {@code service_instance} value each version wrote must be a
 * {@code ServiceInstance} with no unknown or missing property, every state change a valid
 * transition by {@code ServiceState.isValidTransition}; every worker task the executors emitted or
 * re-emitted ({@code task_runs.value}) a {@code WorkerJob}, every {@code worker_job_running} value
 * a {@code WorkerJobRunning}, for each version; the configuration keys and defaults are {@code
 * ServerConfig}'s, the metric names {@code MetricRegistry}'s.
 */
@ExtendWith(EngineRequired.class)
class StandInJudgedByKestraIT {

  private static final Duration LONG_TASK = Duration.ofSeconds(60);
  private static final Duration HELD_TASK = Duration.ofSeconds(15);

  private static Scenario scenario;
  private static AgentFleet fleet;
  private static List<KestraAudit.Written> written;
  private static final Map<String, Set<String>> exposedMetrics = new LinkedHashMap<>();
  private static final Map<String, JsonNode> verdicts = new LinkedHashMap<>();

  @BeforeAll
  static void upgradeAFleetThroughEveryVersionAndJudgeWhatItWrote() throws Exception {
    try (DockerClient docker = Engine.client()) {
      new JudgeImages(docker, Layout.detect().repo()).ensure(JudgeImages.VERSIONS);
    }
    scenario = Scenario.start("judge", new Scenario.Kafka(TestKafka.bootstrapServers(), Map.of()));
    fleet =
        scenario
            .fleet("judged")
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("worker", "worker-1", "", "-t", "4")
            .server("worker", "worker-2", "", "-t", "4")
            .server("scheduler", "scheduler-1", "")
            .server("webserver", "webserver-1", "")
            // the servers' own grace: a worker given 5 s for a 60 s task forces its shutdown
            // (TERMINATED_FORCED) before its agent would kill it (the upgrade's 5 s + 10 s)
            .grace("5s")
            .afterInitialMigration(KestraAudit.INSTALL)
            .start(JudgeImages.VERSIONS);
    scenario.awaitReady(fleet);
    await("executions flowing")
        .atMost(Duration.ofMinutes(1))
        .until(() -> scenario.stats(fleet, null).path("completed").asLong() > 0);
    exposedMetrics.put("0.21.4", metricNames("worker-1"));

    killAndRestartTheWorkerHoldingATask();
    upgrade("0.22.0", "PT20S");
    exposedMetrics.put("0.22.0", metricNames("worker-1"));

    startTask(LONG_TASK);
    upgrade("1.0.0", "PT5S");
    exposedMetrics.put("1.0.0", metricNames("worker-1"));
    killAndRestartTheWorkerHoldingATask();

    written = KestraAudit.read(fleet.kestraDb);
    for (String version : JudgeImages.VERSIONS) {
      verdicts.put(version, KestraJudge.judge(version, request(version)));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (scenario != null) {
      scenario.closeFleets();
      scenario.close();
    }
  }

  @Test
  void theUpgradeWentThroughEveryStateTheJudgeMustSee() {
    Set<String> states = new TreeSet<>();
    written.stream()
        .filter(w -> w.table().equals("service_instance"))
        .forEach(w -> states.add(w.value().path("state").asText()));
    assertThat(states)
        .contains(
            "CREATED",
            "RUNNING",
            "TERMINATING",
            "TERMINATED_GRACEFULLY",
            "TERMINATED_FORCED",
            "DISCONNECTED",
            "NOT_RUNNING");
    assertThat(reEmitted()).as("worker tasks re-emitted after a worker died").isNotEmpty();
  }

  @Test
  void theJudgeRefusesWhatKestraWouldNotWrite() throws Exception {
    for (String version : JudgeImages.VERSIONS) {
      // values the stand-in really wrote, one given the pid it wrote before the judge, one without
      // its events
      ObjectNode withPid = serviceInstances(version).get(0).deepCopy();
      ((ObjectNode) withPid.path("server")).put("pid", 4242);
      ObjectNode withoutEvents = serviceInstances(version).get(0).deepCopy();
      withoutEvents.remove("events");
      ObjectNode request = KestraJudge.request();
      request.putArray("serviceInstances").add(withPid).add(withoutEvents);
      request
          .putArray("transitions")
          .addObject()
          .put("from", "TERMINATING")
          .put("to", "DISCONNECTED");
      JsonNode verdict = KestraJudge.judge(version, request);
      assertThat(verdict.at("/serviceInstances/0/problems").toString())
          .as("%s's verdict", version)
          .contains("pid");
      assertThat(verdict.at("/serviceInstances/1/problems").toString())
          .as("%s's verdict", version)
          .contains("missing property events");
      assertThat(verdict.at("/transitions/0/valid").asBoolean()).as(version).isFalse();
    }
  }

  @Test
  void everyServiceInstanceEachVersionWroteIsKestrasServiceInstance() {
    for (String version : JudgeImages.VERSIONS) {
      JsonNode verdict = verdicts.get(version);
      assertThat(verdict.path("kestraVersion").asText()).isEqualTo(version);
      List<JsonNode> values = serviceInstances(version);
      assertThat(values).as("rows written by %s", version).isNotEmpty();
      assertNoProblems(version, "serviceInstances", values, verdict);
    }
  }

  @Test
  void everyStateChangeIsAValidTransitionByKestrasRule() {
    for (String version : JudgeImages.VERSIONS) {
      JsonNode transitions = verdicts.get(version).path("transitions");
      assertThat(transitions).as("state changes written by %s", version).isNotEmpty();
      List<String> invalid = new ArrayList<>();
      for (JsonNode t : transitions) {
        if (!t.path("valid").asBoolean()) {
          invalid.add(t.path("from").asText() + " → " + t.path("to").asText());
        }
      }
      assertThat(invalid).as("%s's invalid transitions", version).isEmpty();
    }
  }

  @Test
  void everyWorkerTaskEmittedReEmittedOrRunningIsKestrasModelOfIt() {
    List<JsonNode> jobs = distinct("task_runs");
    List<JsonNode> running = distinct("worker_job_running");
    assertThat(jobs).isNotEmpty();
    assertThat(running).isNotEmpty();
    for (String version : JudgeImages.VERSIONS) {
      assertNoProblems(version, "workerJobs", jobs, verdicts.get(version));
      assertNoProblems(version, "workerJobsRunning", running, verdicts.get(version));
    }
  }

  @Test
  void theConfigurationKeysAndDefaultsAreKestras() {
    Map<String, Function<ServerSettings, Object>> standIn = new LinkedHashMap<>();
    standIn.put("kestra.server.terminationGracePeriod", ServerSettings::terminationGracePeriod);
    standIn.put(
        "kestra.server.workerTaskRestartStrategy", s -> s.workerTaskRestartStrategy().name());
    standIn.put("kestra.server.liveness.enabled", s -> s.liveness().enabled());
    standIn.put("kestra.server.liveness.interval", s -> s.liveness().interval());
    standIn.put("kestra.server.liveness.timeout", s -> s.liveness().timeout());
    standIn.put("kestra.server.liveness.initialDelay", s -> s.liveness().initialDelay());
    standIn.put("kestra.server.liveness.heartbeatInterval", s -> s.liveness().heartbeatInterval());
    for (String version : JudgeImages.VERSIONS) {
      JsonNode kestra = verdicts.get(version).path("serverConfig");
      Set<String> keys = new TreeSet<>();
      kestra.fieldNames().forEachRemaining(keys::add);
      assertThat(keys)
          .as("%s's ServerConfig keys", version)
          .isEqualTo(new TreeSet<>(standIn.keySet()));
      ServerSettings defaults = settings(Map.of()).server();
      for (Map.Entry<String, Function<ServerSettings, Object>> key : standIn.entrySet()) {
        Object standInDefault = key.getValue().apply(defaults);
        String kestraDefault = kestra.path(key.getKey()).asText();
        assertThat(standInDefault)
            .as("%s's default of %s", version, key.getKey())
            .isEqualTo(parse(kestraDefault, standInDefault));
        // and the stand-in reads the key: another value comes through
        String other = otherValue(standInDefault);
        assertThat(key.getValue().apply(settings(Map.of(key.getKey(), other)).server()))
            .as("the stand-in reads %s", key.getKey())
            .isEqualTo(parse(other, standInDefault));
      }
    }
  }

  @Test
  void theMetricNamesTheStandInExposesAndTheAgentReadsAreKestras() {
    for (String version : JudgeImages.VERSIONS) {
      Set<String> kestra = new TreeSet<>();
      verdicts
          .get(version)
          .path("metrics")
          .forEach(m -> kestra.add(m.path("prometheusGauge").asText()));
      assertThat(kestra).as("%s's metrics", version).contains(ManagementClient.RUNNING_COUNT);
      Set<String> kestraNamed = new TreeSet<>(exposedMetrics.get(version));
      // the stand-in's own, documented in its README: kestra_sim_ready, kestra_sim_info
      kestraNamed.removeIf(n -> n.startsWith("kestra_sim_"));
      assertThat(kestraNamed).as("what a %s worker exposes", version).isNotEmpty();
      assertThat(kestra).as("%s's MetricRegistry", version).containsAll(kestraNamed);
    }
  }

  // --- the scenario

  private static void upgrade(String target, String grace) throws Exception {
    JsonNode upgrade = scenario.awaitEnd(scenario.startUpgrade(fleet, target, grace, "PT10S"));
    assertThat(upgrade.path("state").asText())
        .as("upgrade to %s: %s", target, upgrade.path("message"))
        .isEqualTo("SUCCEEDED");
    scenario.awaitReady(fleet);
  }

  /**
   * A task of {@link #HELD_TASK} held by a worker; that worker's agent stopped and its server
   * SIGKILLed; the liveness coordinator disconnects it and re-emits the task; the agent, started
   * again, starts its server again.
   */
  private static void killAndRestartTheWorkerHoldingATask() throws Exception {
    String holder = startTask(HELD_TASK);
    fleet.stopAgent(holder);
    fleet.serverProcesses(holder).forEach(ProcessHandle::destroyForcibly);
    int before = reEmittedCount();
    await(holder + "'s task re-emitted by the liveness coordinator")
        .atMost(Duration.ofMinutes(2))
        .until(() -> reEmittedCount() > before);
    fleet.startAgent(holder);
    scenario.awaitReady(fleet);
  }

  /**
   * Starts an execution whose task lasts {@code task}; returns the instance whose worker runs it.
   */
  private static String startTask(Duration task) throws Exception {
    new Http()
        .post(
            fleet.webserverUrl() + "/api/v1/executions/sim.judge/held?taskDuration=" + task,
            Map.of());
    String duration = "PT" + task.toSeconds() + ".000S";
    String query =
        "SELECT (s.value #>> '{server,props,server.management.port}')::int"
            + " FROM worker_job_running w JOIN service_instance s ON s.key = w.worker_id"
            + " WHERE w.value #>> '{task,duration}' = '"
            + duration
            + "' ORDER BY w.started_at DESC LIMIT 1";
    await("the " + task + " task runs on a worker")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> fleet.count(query) > 0);
    long port = fleet.count(query);
    return fleet.instances().stream()
        .filter(i -> fleet.managementPort(i) == port)
        .findFirst()
        .orElseThrow();
  }

  private static int reEmittedCount() throws Exception {
    return (int)
        fleet.count(
            "SELECT count(*) FROM task_runs"
                + " WHERE value #>> '{taskRun,attempts,-1,state,current}' = 'KILLED'");
  }

  private static Set<String> metricNames(String instance) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:" + fleet.managementPort(instance) + "/prometheus"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Set<String> names = new TreeSet<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  // --- what the judge is asked

  private static ObjectNode request(String version) {
    ObjectNode request = KestraJudge.request();
    ArrayNode instances = request.putArray("serviceInstances");
    serviceInstances(version).forEach(instances::add);
    ArrayNode transitions = request.putArray("transitions");
    for (List<String> pair : transitions(version)) {
      transitions.addObject().put("from", pair.get(0)).put("to", pair.get(1));
    }
    ArrayNode jobs = request.putArray("workerJobs");
    distinct("task_runs").forEach(jobs::add);
    ArrayNode running = request.putArray("workerJobsRunning");
    distinct("worker_job_running").forEach(running::add);
    return request;
  }

  private static List<JsonNode> serviceInstances(String version) {
    return distinct("service_instance").stream()
        .filter(v -> v.path("server").path("version").asText().equals(version))
        .toList();
  }

  /** The distinct state changes of the services of {@code version}, in the order written. */
  private static Set<List<String>> transitions(String version) {
    Map<String, String> last = new HashMap<>();
    Set<List<String>> pairs = new LinkedHashSet<>();
    for (KestraAudit.Written w : written) {
      JsonNode v = w.value();
      if (!w.table().equals("service_instance")
          || !v.path("server").path("version").asText().equals(version)) {
        continue;
      }
      String state = v.path("state").asText();
      String before = last.put(v.path("id").asText(), state);
      if (before != null && !before.equals(state)) {
        pairs.add(List.of(before, state));
      }
    }
    return pairs;
  }

  private static List<JsonNode> distinct(String table) {
    Set<JsonNode> values = new LinkedHashSet<>();
    written.stream().filter(w -> w.table().equals(table)).forEach(w -> values.add(w.value()));
    return new ArrayList<>(values);
  }

  private static List<JsonNode> reEmitted() {
    return distinct("task_runs").stream()
        .filter(v -> v.at("/taskRun/attempts").size() > 0)
        .toList();
  }

  private static void assertNoProblems(
      String version, String kind, List<JsonNode> values, JsonNode verdict) {
    JsonNode judged = verdict.path(kind);
    assertThat(judged.size()).as("%s verdicts of %s", kind, version).isEqualTo(values.size());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      JsonNode problems = judged.get(i).path("problems");
      if (!problems.isEmpty() && failures.size() < 5) {
        failures.add(problems + " in " + values.get(i));
      }
    }
    assertThat(failures).as("%s's verdicts on the %s", version, kind).isEmpty();
  }

  // --- the stand-in's configuration, read as a server reads it

  private static Settings settings(Map<String, String> more) {
    Map<String, String> config = new HashMap<>(more);
    config.put("datasources.postgres.url", "jdbc:postgresql://localhost/kestra");
    return Settings.from(SimConfig.of(config), null);
  }

  private static Object parse(String text, Object like) {
    if (like instanceof Duration) {
      return KestraDurations.parse(text);
    }
    if (like instanceof Boolean) {
      return Boolean.valueOf(text);
    }
    return text;
  }

  private static String otherValue(Object like) {
    if (like instanceof Duration d) {
      return (d.toSeconds() + 7) + "s";
    }
    if (like instanceof Boolean b) {
      return Boolean.toString(!b);
    }
    return "NEVER";
  }
}
