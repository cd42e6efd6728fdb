package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Apache Kafka broker from Kafka's own jars, KRaft combined mode (broker and controller in one
 * process), formatted at its first start and restarted on the same data: the sandbox's broker, and
 * the one end-to-end tests stop and start again. With {@link Scram} credentials its client listener
 * accepts only SASL/SCRAM-SHA-256 (the credentials are written at format time, as {@code
 * kafka-storage format --add-scram} does), and {@link #clientProperties()} gives what a client
 * needs.
 *
 * @param libs Kafka's jars
 * @param home where its configuration and data go
 * @param process its process
 * @param port the client listener's port
 * @param controllerPort the controller listener's port
 * @param scram credentials of the only user, when clients must authenticate
 */
public record KafkaBroker(
    Path libs,
    Path home,
    ManagedProcess process,
    int port,
    int controllerPort,
    Optional<Scram> scram) {

  /**
   * A SASL/SCRAM-SHA-256 user.
   *
   * @param user its name
   * @param password its password
   */
  public record Scram(String user, String password) {

    String jaas() {
      return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
          + user
          + "\" password=\""
          + password
          + "\";";
    }
  }

  /** The bootstrap servers of its clients. */
  public String bootstrap() {
    return "localhost:" + port;
  }

  /**
   * The Kafka client properties a client of this broker needs besides the bootstrap servers (none
   * without SCRAM), by their Kafka names ({@code security.protocol}, {@code sasl.mechanism}, {@code
   * sasl.jaas.config}).
   */
  public Map<String, String> clientProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    scram.ifPresent(
        s -> {
          p.put("security.protocol", "SASL_PLAINTEXT");
          p.put("sasl.mechanism", "SCRAM-SHA-256");
          p.put("sasl.jaas.config", s.jaas());
        });
    return p;
  }

  /** Starts it unless it runs (formatting its storage the first time), and waits for its port. */
  public void start(PrintStream out) throws IOException, InterruptedException {
    if (!process.isRunning()) {
      Path data = home.resolve("data");
      Path props = home.resolve("server.properties");
      Path log4j = home.resolve("log4j2.properties");
      Files.createDirectories(data);
      Files.writeString(props, serverProperties(data.resolve("log")), StandardCharsets.UTF_8);
      Files.writeString(log4j, KafkaConfig.LOG4J, StandardCharsets.UTF_8);
      String cp = libs + "/*";
      String logging = "-Dlog4j2.configurationFile=" + log4j;
      if (!Files.exists(data.resolve("log/meta.properties"))) {
        out.println("· formatting Kafka's storage (KRaft)");
        List<String> format =
            new ArrayList<>(
                List.of(
                    ManagedProcess.javaExecutable(),
                    "-cp",
                    cp,
                    logging,
                    "kafka.tools.StorageTool",
                    "format",
                    "--standalone",
                    "-t",
                    KafkaConfig.clusterId(),
                    "-c",
                    props.toString()));
        scram.ifPresent(
            s -> {
              format.add("--add-scram");
              format.add("SCRAM-SHA-256=[name=" + s.user() + ",password=" + s.password() + "]");
            });
        Tool.run(format, home.resolve("format.log"));
      }
      out.println("· starting Kafka on " + port + (scram.isPresent() ? " (SASL/SCRAM)" : ""));
      process.start(
          List.of(
              ManagedProcess.javaExecutable(),
              "-Xmx512m",
              "-XX:+UseSerialGC",
              logging,
              "-cp",
              cp,
              "kafka.Kafka",
              props.toString()),
          Map.of(),
          home);
    }
    Readiness.await(
        "Kafka", "see " + process.logFile(), Duration.ofMinutes(2), () -> Ports.isOpen(port));
  }

  /** Stops it gracefully (its data stays for the next start). */
  public void stop() {
    process.stop(Duration.ofSeconds(20));
  }

  private String serverProperties(Path logDir) {
    String client = scram.isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT";
    List<String> lines =
        new ArrayList<>(
            List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=localhost:" + controllerPort,
                "listeners="
                    + client
                    + "://localhost:"
                    + port
                    + ",CONTROLLER://localhost:"
                    + controllerPort,
                "advertised.listeners=" + client + "://localhost:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=" + client + ":" + client + ",CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=" + client,
                "log.dirs=" + logDir,
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=3",
                "auto.create.topics.enable=false"));
    scram.ifPresent(
        s -> {
          lines.add("sasl.enabled.mechanisms=SCRAM-SHA-256");
          lines.add("sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256");
          lines.add("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=" + s.jaas());
        });
    return String.join("\n", lines) + "\n";
  }
}
