package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.KestraUpgrade;
import io.kestra.upgrade.testsupport.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kestra-upgrade}, the operator's command line, against a real coordinator process and a
 * fleet of real agents and stand-in servers: it starts an upgrade that pauses before its migration
 * and follows it live, a second one attaches with {@code watch}, {@code resume} lets it go on, both
 * end with the upgrade's exit code; then the reading commands, a refused control, a missing and a
 * weaker token.
 */
class CommandLineIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Scenario scenario;

  @BeforeAll
  static void startCoordinator() throws Exception {
    scenario = Scenario.start("cli", new Scenario.Kafka(TestKafka.bootstrapServers(), Map.of()));
  }

  @AfterAll
  static void stopCoordinator() throws Exception {
    if (scenario != null) {
      scenario.close();
    }
  }

  /** One run of the command line: its exit code and what it printed. */
  record Run(int code, String out, String err) {}

  private static Run cli(String token, String... args) {
    return cli(new StringWriter(), token, args);
  }

  /** {@link #cli(String, String...)} printing into {@code out}, to be read while it runs. */
  private static Run cli(StringWriter out, String token, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", scenario.coordinator().url()));
    if (token != null) {
      all.addAll(List.of("--token", token));
    }
    StringWriter err = new StringWriter();
    int code =
        KestraUpgrade.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false,
            all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static Run operator(String... args) {
    return operator(new StringWriter(), args);
  }

  private static Run operator(StringWriter out, String... args) {
    return cli(out, scenario.installation.credentials().operator(), args);
  }

  @Test
  void startPausesBeforeMigrateWatchAttachesResumeLetsItEndAndEveryCommandSaysWhatItShould()
      throws Exception {
    AgentFleet fleet =
        scenario
            .fleet("cli")
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("worker", "worker-1", "", "-t", "2")
            .start(AgentFleet.VERSIONS);
    scenario.awaitReady(fleet);
    String cluster = fleet.cluster();

    Run plan =
        operator(
            "plan", "--cluster", cluster, "--target", "1.0.0", "--acknowledge-breaking-changes");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("plan: " + cluster + " 0.21.4 → 1.0.0, can run", "MIGRATE");

    Run refused = operator("start", "--cluster", cluster, "--target", "banana");
    assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.err()).contains("targetVersion");

    CompletableFuture<Run> started =
        CompletableFuture.supplyAsync(
            () ->
                operator(
                    "start",
                    "--cluster",
                    cluster,
                    "--target",
                    "1.0.0",
                    "--acknowledge-breaking-changes",
                    "--grace-period",
                    "20s",
                    "--kill-margin",
                    "10s",
                    "--pause-before",
                    "MIGRATE"));
    String[] id = {null};
    await("the upgrade paused before MIGRATE")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              JsonNode list =
                  JSON.readTree(operator("list", "--cluster", cluster, "-o", "json").out());
              id[0] = list.path(0).path("id").asText(null);
              return "PAUSED".equals(list.path(0).path("state").asText());
            });
    StringWriter watching = new StringWriter();
    CompletableFuture<Run> watched =
        CompletableFuture.supplyAsync(() -> operator(watching, "watch", id[0]));
    // a late subscriber: the stream's snapshot shows where the upgrade stands
    await("watch attached")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(watching.toString()).contains("(FULL_STOP), PAUSED"));

    Run resumed = operator("resume", id[0]);
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("upgrade " + id[0] + ": RUNNING");

    Run start = started.get(3, TimeUnit.MINUTES);
    Run watch = watched.get(1, TimeUnit.MINUTES);
    assertThat(start.code()).as(start.out() + start.err()).isEqualTo(ExitCodes.OK);
    assertThat(start.out())
        .contains("▶ upgrade " + id[0] + " started: " + cluster + " 0.21.4 → 1.0.0")
        .contains("paused", "— resume with: kestra-upgrade resume " + id[0], "resumed")
        .containsPattern("DRAIN +done in \\d+\\.\\d s")
        .containsPattern("MIGRATE +started \\(1 step\\)")
        .containsPattern("STOP +worker-1 +succeeded")
        .contains("■ SUCCEEDED  0.21.4 → 1.0.0 in ")
        .containsPattern("stops +\\d+ graceful");
    // the pause comes before the migration starts
    Matcher migrate = Pattern.compile("MIGRATE +started").matcher(start.out());
    assertThat(migrate.find()).isTrue();
    assertThat(start.out().indexOf("] paused")).isBetween(0, migrate.start());
    assertThat(watch.code()).as(watch.out() + watch.err()).isEqualTo(ExitCodes.OK);
    assertThat(watch.out())
        .contains("upgrade " + id[0] + ": " + cluster + " 0.21.4 → 1.0.0 (FULL_STOP), PAUSED")
        .contains("resumed", "■ SUCCEEDED");

    Run show = operator("show", id[0]);
    assertThat(show.code()).isZero();
    assertThat(show.out()).contains("MIGRATE", "executor-1", "SUCCEEDED");
    JsonNode shown = JSON.readTree(operator("show", id[0], "--output", "json").out());
    assertThat(shown.path("state").asText()).isEqualTo("SUCCEEDED");
    Run agents = operator("agents", "--cluster", cluster);
    assertThat(agents.out()).containsPattern(cluster + "/worker/worker-1 +1\\.0\\.0 +RUNNING +yes");

    // a rollback after success needs --restore: the coordinator refuses, saying so
    Run rollback = operator("rollback", id[0]);
    assertThat(rollback.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(rollback.err()).contains("409");

    Run anonymous = cli((String) null, "list");
    assertThat(anonymous.code()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(anonymous.err()).contains("not authorised (401)");
    Run viewer = cli(scenario.installation.credentials().viewer(), "pause", id[0]);
    assertThat(viewer.code()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(viewer.err()).contains("forbidden (403)");
  }
}
