package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Apache Kafka broker from Kafka's own jars ({@code deploy/kafka-broker/target/libs}), one
 * combined KRaft node on {@link Ports#KAFKA}; its storage is formatted at the first start.
 */
final class KafkaPart implements Part {

  private final Layout layout;
  private final ManagedProcess process;

  KafkaPart(Layout layout) {
    this.layout = layout;
    this.process = ManagedProcess.of(layout, "kafka");
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public void start(PrintStream out) throws IOException, InterruptedException {
    if (!process.isRunning()) {
      Path dir = layout.data("kafka");
      Path props = layout.home().resolve("config/kafka.properties");
      Path log4j = layout.home().resolve("config/kafka-log4j2.properties");
      Files.createDirectories(dir);
      Files.createDirectories(props.getParent());
      Files.writeString(
          props, KafkaConfig.serverProperties(dir.resolve("log")), StandardCharsets.UTF_8);
      Files.writeString(log4j, KafkaConfig.LOG4J, StandardCharsets.UTF_8);
      String cp = layout.kafkaLibs() + "/*";
      String logging = "-Dlog4j2.configurationFile=" + log4j;
      if (!Files.exists(dir.resolve("log/meta.properties"))) {
        out.println("· formatting Kafka's storage (KRaft)");
        Tool.run(
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
                props.toString()),
            layout.logs().resolve("kafka-format.log"));
      }
      out.println("· starting Kafka on " + Ports.KAFKA);
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
          layout.home());
    }
    Readiness.await(
        "Kafka",
        "see " + process.logFile(),
        Duration.ofMinutes(2),
        () -> Ports.isOpen(Ports.KAFKA));
  }

  @Override
  public Optional<ManagedProcess> process() {
    return Optional.of(process);
  }

  @Override
  public boolean running() {
    return process.isRunning();
  }

  @Override
  public PartStatus status() {
    return PartStatus.of(name(), process, "bootstrap localhost:" + Ports.KAFKA);
  }

  @Override
  public void stop() {
    process.stop(Duration.ofSeconds(20));
  }
}
