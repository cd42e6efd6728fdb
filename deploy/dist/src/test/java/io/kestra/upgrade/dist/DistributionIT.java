package io.kestra.upgrade.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.testsupport.TestKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archive as an operator gets it: unpacked with {@code tar}, its command line answers, and its
 * agent, started by {@code bin/kestra-upgrade-agent} from a working directory holding the archive's
 * example {@code config/agent.properties} as {@code config/application.properties} (the few
 * settings of this machine given by environment, as the systemd unit gives them), sends its
 * heartbeat to a real Kafka broker.
 */
class DistributionIT {

  private static final String VERSION = System.getProperty("dist.version");
  private static Path home;
  private static Path work;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("dist.archive"));
    assertThat(archive).as("the archive the package phase built").isRegularFile();
    work = Files.createDirectories(Path.of("target", "it-" + Instant.now().toEpochMilli()));
    Process tar =
        new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString())
            .directory(work.toFile())
            .inheritIO()
            .start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar -xzf").isTrue();
    home = work.resolve("kestra-upgrade-" + VERSION).toAbsolutePath();
  }

  @Test
  void theArchiveHoldsTheScriptsTheApplicationsTheExamplesAndTheUnits() {
    for (String script :
        List.of("kestra-upgrade", "kestra-upgrade-agent", "kestra-upgrade-coordinator")) {
      assertThat(home.resolve("bin").resolve(script)).isExecutable();
    }
    assertThat(home.resolve("lib/coordinator/quarkus-run.jar")).isRegularFile();
    assertThat(home.resolve("lib/agent/quarkus-run.jar")).isRegularFile();
    assertThat(home.resolve("lib/cli/kestra-upgrade.jar")).isRegularFile();
    assertThat(home.resolve("config/coordinator.properties")).isRegularFile();
    assertThat(home.resolve("config/agent.properties")).isRegularFile();
    assertThat(home.resolve("systemd/kestra-upgrade-coordinator.service")).isRegularFile();
    assertThat(home.resolve("systemd/kestra-upgrade-agent@.service")).isRegularFile();
  }

  @Test
  void theCommandLineAnswersItsVersion() throws Exception {
    Path out = work.resolve("cli.out");
    Process cli =
        new ProcessBuilder(home.resolve("bin/kestra-upgrade").toString(), "--version")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("kestra-upgrade --version ended").isTrue();
    String said = Files.readString(out);
    assertThat(cli.exitValue()).as(said).isZero();
    assertThat(said).startsWith("kestra-upgrade ");
  }

  @Test
  void theArchivesAgentStartsFromTheExampleConfigurationAndSendsItsHeartbeat() throws Exception {
    String bootstrap = TestKafka.bootstrapServers();
    String prefix = "dist-it-" + Instant.now().toEpochMilli();
    String agentId = "dist/worker/archive-1";
    Path agentHome = Files.createDirectories(work.resolve("agent").toAbsolutePath());
    Files.createDirectories(agentHome.resolve("config"));
    Files.copy(
        home.resolve("config/agent.properties"),
        agentHome.resolve("config/application.properties"));
    Path kestraConfig = agentHome.resolve("kestra.yml");
    Files.writeString(kestraConfig, "kestra:\n  server:\n    terminationGracePeriod: 20s\n");
    Path log = agentHome.resolve("agent.log");

    ProcessBuilder agent =
        new ProcessBuilder(home.resolve("bin/kestra-upgrade-agent").toString())
            .directory(agentHome.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // what the example leaves to this machine, by environment as the unit and its EnvironmentFile
    // do;
    // kind, driver and initial version come from the example
    agent
        .environment()
        .putAll(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                bootstrap,
                "AGENT_CLUSTER",
                "dist",
                "AGENT_INSTANCE",
                "archive-1",
                "AGENT_TOPIC_PREFIX",
                prefix,
                "AGENT_STATE_DIR",
                agentHome.resolve("state").toString(),
                "AGENT_SIGNING_KEY",
                "5a".repeat(32),
                "AGENT_HEARTBEAT_INTERVAL",
                "PT0.5S",
                "AGENT_DRIVER_PROCESS_INSTALL_DIR",
                Files.createDirectories(agentHome.resolve("kestra")).toString(),
                "AGENT_DRIVER_PROCESS_CONFIG_FILE",
                kestraConfig.toString(),
                "AGENT_DRIVER_PROCESS_MANAGEMENT_PORT",
                Integer.toString(freePort())));
    Process running = agent.start();
    JsonCodec codec = JsonCodec.create();
    AtomicReference<Heartbeat> heard = new AtomicReference<>();
    try (KafkaConsumer<String, byte[]> consumer =
        KafkaClients.consumer(bootstrap, prefix + "-reader", prefix + "-reader", "earliest")) {
      consumer.subscribe(List.of(new Topics(prefix).heartbeats()));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ZERO)
          .failFast("the agent exited:\n" + tail(log), () -> !running.isAlive())
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                  if (agentId.equals(r.key())
                      && codec.decode(r.value(), Heartbeat.class)
                          instanceof Decoded.Ok<Heartbeat> ok) {
                    heard.set(ok.value());
                  }
                }
                return heard.get() != null;
              });
    } finally {
      running.destroy();
      if (!running.waitFor(20, TimeUnit.SECONDS)) {
        running.destroyForcibly();
      }
    }
    Heartbeat beat = heard.get();
    assertThat(beat.agentId()).isEqualTo(agentId);
    assertThat(beat.kind()).as("from the example configuration").isEqualTo(ComponentKind.WORKER);
    assertThat(beat.driver()).isEqualTo("process");
    assertThat(beat.agentVersion()).as("the archive's build").isEqualTo(VERSION);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
