package io.kestra.sim.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration sources, the {@code local} server and the options an operator meets, through the
 * launchers as Kestra's are used.
 */
class ConfigurationIT {

  private static final Pattern MANAGEMENT =
      Pattern.compile("Management server on port http://[^:]+:(\\d+)/health");

  @TempDir Path dir;
  private SimFleet fleet;

  @BeforeEach
  void setUp() {
    fleet = new SimFleet(dir);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  @Test
  void kestraConfigurationRanksBelowSystemPropertiesWhichRankBelowTheConfigFile() throws Exception {
    fleet.configure("kestra.server.liveness.timeout: 51s");
    String kestraConfiguration =
        String.join(
            "\n",
            "kestra:",
            "  server:",
            "    terminationGracePeriod: 33s",
            "    workerTaskRestartStrategy: NEVER",
            "    liveness:",
            "      timeout: 34s");
    SimProcess indexer =
        fleet.start(
            "indexer",
            "1.0.0",
            SimFleet.props(
                "kestra.server.liveness.timeout", "44s",
                "kestra.server.workerTaskRestartStrategy", "IMMEDIATELY"),
            Map.of("KESTRA_CONFIGURATION", kestraConfiguration),
            "server",
            "indexer");
    SimFleet.awaitReady(indexer);

    assertThat(
            fleet.queryOne(
                "SELECT concat_ws(',', value->'config'->>'terminationGracePeriod',"
                    + " value->'config'->>'workerTaskRestartStrategy',"
                    + " value->'config'->'liveness'->>'timeout') FROM service_instance"))
        .as("grace from KESTRA_CONFIGURATION, strategy from -D, timeout from the -c file")
        .isEqualTo("PT33S,IMMEDIATELY,PT51S");
    assertThat(Files.readString(dir.resolve("install/confs/application.yml")))
        .as("written by the launcher, as Kestra's")
        .contains("terminationGracePeriod: 33s");
  }

  @Test
  void dashPortWinsOverEveryConfigurationSource() throws Exception {
    int fromFile = SimFleet.freePort();
    int fromCommandLine = SimFleet.freePort();
    fleet.configure("micronaut.server.port: " + fromFile);
    SimProcess executor =
        fleet.start(
            "executor",
            "0.22.1",
            Map.of(),
            "server",
            "executor",
            "--port",
            Integer.toString(fromCommandLine));
    SimFleet.awaitReady(executor);

    assertThat(Http.status(fromCommandLine, "/")).isEqualTo(404);
    assertThat(Http.status(fromFile, "/")).isEqualTo(-1);
    assertThat(Http.status(executor.apiPort, "/")).as("the -D value").isEqualTo(-1);
  }

  @Test
  void localRunsEveryRoleAsAStandaloneWithAManagementPortOfItsOwn() throws Exception {
    SimProcess local =
        fleet.start(
            "local",
            "1.0.0",
            SimFleet.props("kestra.sim.scheduler.rate", "0"),
            "server",
            "local",
            "--worker-thread",
            "1");
    org.awaitility.Awaitility.await("running")
        .atMost(SimFleet.START_TIMEOUT)
        .until(() -> MANAGEMENT.matcher(local.output()).find() || !local.isAlive());
    Matcher m = MANAGEMENT.matcher(local.output());
    assertThat(m.find()).as(local.output()).isTrue();
    int management = Integer.parseInt(m.group(1));

    assertThat(management)
        .as("endpoints.all.port forced to a random port")
        .isNotEqualTo(local.managementPort);
    org.awaitility.Awaitility.await("ready")
        .atMost(SimFleet.START_TIMEOUT)
        .until(() -> Http.status(management, "/health/readiness") == 200);
    assertThat(Http.status(local.managementPort, "/health")).isEqualTo(-1);
    assertThat(Http.status(local.apiPort, "/api/v1/executions/search")).isEqualTo(200);
    assertThat(
            fleet.queryOne(
                "SELECT string_agg(DISTINCT value->'server'->>'type', ',') || ':'"
                    + " || string_agg(service_type, ',' ORDER BY service_type)"
                    + " FROM service_instance"))
        .isEqualTo("STANDALONE:EXECUTOR,INDEXER,SCHEDULER,WEBSERVER,WORKER");
  }

  @Test
  void aWorkerGroupIsAcceptedAndOnlyLoggedAsInKestraOpenSource() {
    SimProcess worker =
        fleet.start(
            "worker", "0.22.1", Map.of(), "server", "worker", "-t", "2", "--worker-group", "gpu");
    SimFleet.awaitReady(worker);

    assertThat(worker.output()).contains("Worker started with 2 thread(s) in group 'gpu'");
  }

  @Test
  void aPluginsFolderHoldingPluginsIsRefusedRatherThanIgnored() throws Exception {
    Files.writeString(dir.resolve("install/plugins/plugin-script-python.jar"), "not loaded");

    SimProcess worker = fleet.start("worker", "0.22.1", Map.of(), "server", "worker");

    assertThat(worker.awaitExit(SimFleet.START_TIMEOUT)).isEqualTo(1);
    assertThat(worker.output()).contains("kestra-sim loads no plugins").contains("1 plugin jar(s)");
  }
}
